"""The site's URLs plus ``/bench/bare/``, mounted only by bench/rush_settings.py."""

from django.http import HttpRequest, HttpResponse
from django.urls import path

from tot_platform.urls import urlpatterns as site_urlpatterns


def bare(request: HttpRequest) -> HttpResponse:
    """The floor under every page: gunicorn, WSGI and the site's whole middleware stack
    (security, WhiteNoise, session, locale, CSRF, auth, messages, allauth) — no query of
    its own, no template."""
    return HttpResponse(b"ok", content_type="text/plain")


urlpatterns = [path("bench/bare/", bare, name="bench_bare"), *site_urlpatterns]
