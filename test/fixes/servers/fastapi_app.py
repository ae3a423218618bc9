# Proof server for the FastAPI/Starlette recipe. The auth middleware is added first; the CORS slot
# (broken code from fastapi_broken.py, or the generated recipe) is added after it, i.e. outside it.
import json
import os
import socket

import uvicorn
from fastapi import FastAPI, Request
from fastapi.responses import PlainTextResponse

app = FastAPI()


@app.middleware("http")
async def require_auth(request: Request, call_next):
    if request.url.path == "/api/private" and not request.headers.get("authorization"):
        return PlainTextResponse("unauthorized", status_code=401)
    return await call_next(request)


# {{CORS}}


@app.api_route("/api/data", methods=["GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"])
async def data():
    return PlainTextResponse("ok")


@app.api_route("/api/private", methods=["GET", "OPTIONS"])
async def private():
    return PlainTextResponse("secret")


@app.get("/api/error")
async def error():
    raise RuntimeError("boom")


if __name__ == "__main__":
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    sock.listen(128)  # listening before the port is announced: no refused first connection
    print("PORT", sock.getsockname()[1], flush=True)
    uvicorn.Server(uvicorn.Config(app, log_level="warning")).run(sockets=[sock])
