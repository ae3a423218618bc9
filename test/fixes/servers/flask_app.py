# Proof server for the Flask recipes (flask and flask-cors). The CORS slot below is filled with either
# the hand-written broken CORS code (flask_broken.py) or the generated recipe, then the app is served
# on an ephemeral loopback port, printed as "PORT <n>".
import json
import os

from flask import Flask, request
from werkzeug.serving import make_server

app = Flask(__name__)

# {{CORS}}


@app.before_request
def require_auth():
    # The app's authentication: registered after the CORS slot, as the recipes ask.
    if request.path == "/api/private" and not request.headers.get("Authorization"):
        return "unauthorized", 401


@app.route("/api/data", methods=["GET", "POST", "PUT", "PATCH", "DELETE"])
def data():
    return "ok"


@app.route("/api/private")
def private():
    return "secret"


@app.route("/api/error")
def error():
    raise RuntimeError("boom")


if __name__ == "__main__":
    server = make_server("127.0.0.1", 0, app, threaded=True)
    print("PORT", server.server_port, flush=True)
    server.serve_forever()
