# Serves django_site on an ephemeral loopback port (wsgiref, threaded), printed as "PORT <n>".
import os
import sys
from socketserver import ThreadingMixIn
from wsgiref.simple_server import WSGIServer, make_server, WSGIRequestHandler

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
os.environ["DJANGO_SETTINGS_MODULE"] = "django_site"

import django  # noqa: E402
from django.core.wsgi import get_wsgi_application  # noqa: E402

django.setup()


class ThreadingWSGIServer(ThreadingMixIn, WSGIServer):
    daemon_threads = True


class QuietHandler(WSGIRequestHandler):
    def log_message(self, *args):
        pass


server = make_server("127.0.0.1", 0, get_wsgi_application(), server_class=ThreadingWSGIServer, handler_class=QuietHandler)
print("PORT", server.server_port, flush=True)
server.serve_forever()
