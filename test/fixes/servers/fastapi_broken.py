# Hand-written, broken CORS middleware for the FastAPI proof server: decorates responses only, so
# preflights reach auth and routing, and unhandled exceptions bypass it.
_SPEC = json.loads(os.environ["CORS_BROKEN"])


@app.middleware("http")
async def broken_cors(request: Request, call_next):
    response = await call_next(request)
    if response.status_code >= 400 and not _SPEC["onErrors"]:
        return response
    origin = request.headers.get("origin")
    acao = {
        "none": None,
        "other": "http://other.example",
        "*": "*",
        "origin": origin if origin == _SPEC["pageOrigin"] else None,
    }[_SPEC["acao"]]
    if acao:
        response.headers["Access-Control-Allow-Origin"] = acao
    if _SPEC["acac"]:
        response.headers["Access-Control-Allow-Credentials"] = "true"
    if request.method == "OPTIONS":
        response.headers["Access-Control-Allow-Methods"] = _SPEC["acam"]
        response.headers["Access-Control-Allow-Headers"] = _SPEC["acah"]
    if _SPEC["vary"]:
        response.headers["Vary"] = "Origin"
    return response
