# The Flask CORS setups popular tutorials show, one per config name, for test/probe/flask.test.ts.
# Usage: /usr/bin/python3 flask_app.py <config> <port> "<allowed origin> <allowed origin>…"
import logging
import sys

from flask import Flask, jsonify, request

config, port, allowed = sys.argv[1], int(sys.argv[2]), sys.argv[3]
app = Flask(__name__)
logging.getLogger("werkzeug").setLevel(logging.ERROR)


@app.route("/api/data", methods=["GET", "POST", "PUT", "DELETE"])
def data():
    return jsonify(ok=True)


if config == "flask-cors-defaults":
    # from flask_cors import CORS; CORS(app)
    from flask_cors import CORS

    CORS(app)
elif config == "flask-cors-credentials":
    # CORS(app, supports_credentials=True): "so that cookies work"
    from flask_cors import CORS

    CORS(app, supports_credentials=True)
elif config == "flask-cors-allowlist":
    # The correct one: an explicit list of origins, with credentials.
    from flask_cors import CORS

    CORS(app, origins=allowed.split(" "), supports_credentials=True)
elif config == "echo-origin":
    # The hand-written after_request that echoes Origin "to make CORS work with cookies".
    @app.after_request
    def add_cors(response):
        origin = request.headers.get("Origin")
        if origin:
            response.headers["Access-Control-Allow-Origin"] = origin
            response.headers["Access-Control-Allow-Credentials"] = "true"
            response.headers["Access-Control-Allow-Methods"] = "GET, POST, PUT, DELETE, OPTIONS"
            response.headers["Access-Control-Allow-Headers"] = "Content-Type, Authorization"
        return response
elif config == "in-string":
    # An allow-list kept as one string and checked with `in`: a substring test, not a list lookup.
    ALLOWED_ORIGINS = allowed

    @app.after_request
    def add_cors(response):
        origin = request.headers.get("Origin")
        if origin and origin in ALLOWED_ORIGINS:
            response.headers["Access-Control-Allow-Origin"] = origin
            response.headers["Access-Control-Allow-Credentials"] = "true"
            response.headers["Access-Control-Allow-Methods"] = "GET, POST, PUT, DELETE, OPTIONS"
            response.headers["Access-Control-Allow-Headers"] = "Content-Type, Authorization"
            response.headers["Vary"] = "Origin"
        return response
else:
    sys.exit("unknown config " + config)

app.run(host="127.0.0.1", port=port)
