# Hand-written, broken CORS for the Flask proof server: the spec (CORS_BROKEN, JSON) says which header
# is wrong. Headers are added after the response is built, so preflights go through auth and routing.
_SPEC = json.loads(os.environ["CORS_BROKEN"])


@app.after_request
def broken_cors(response):
    if response.status_code >= 400 and not _SPEC["onErrors"]:
        return response
    origin = request.headers.get("Origin")
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
        response.vary.add("Origin")
    return response
