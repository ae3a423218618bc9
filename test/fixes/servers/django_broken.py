# Hand-written, broken CORS middleware for the Django proof server (after auth in MIDDLEWARE).
_SPEC = json.loads(os.environ["CORS_BROKEN"])


class BrokenCors:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
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
            response["Access-Control-Allow-Origin"] = acao
        if _SPEC["acac"]:
            response["Access-Control-Allow-Credentials"] = "true"
        if request.method == "OPTIONS":
            response["Access-Control-Allow-Methods"] = _SPEC["acam"]
            response["Access-Control-Allow-Headers"] = _SPEC["acah"]
        if _SPEC["vary"]:
            response["Vary"] = "Origin"
        return response


MIDDLEWARE.append("django_site.BrokenCors")
