# Proof server for the Django recipe: settings, middleware, views and URLs in one module. The CORS
# slot is filled with the broken code (django_broken.py) or the generated settings recipe.
import json
import os

from django.http import HttpResponse
from django.urls import path

SECRET_KEY = "proof-only"
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
ROOT_URLCONF = "django_site"
INSTALLED_APPS = []
MIDDLEWARE = ["django_site.RequireAuth"]
TEMPLATES = []
USE_TZ = True


class RequireAuth:
    """The app's authentication middleware."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path == "/api/private" and not request.headers.get("Authorization"):
            return HttpResponse("unauthorized", status=401)
        return self.get_response(request)


# {{CORS}}


def data(request):
    return HttpResponse("ok")


def private(request):
    return HttpResponse("secret")


def error(request):
    raise RuntimeError("boom")


urlpatterns = [path("api/data", data), path("api/private", private), path("api/error", error)]
