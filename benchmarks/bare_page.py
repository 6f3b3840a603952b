"""The yardstick for benchmarks/pages.py: the smallest Django project that renders a page, a
20-row table from a template, with no database, session or middleware. Every Outward page's
server CPU is given as a multiple of this page's, measured in the same run.

    cd benchmarks && gunicorn bare_page:application
"""

from pathlib import Path

from django.conf import settings
from django.core.wsgi import get_wsgi_application
from django.shortcuts import render
from django.urls import path

ROWS = [{"name": f"Row {n}", "count": n * 7, "note": f"Note number {n}"} for n in range(20)]


def page(request):
    return render(request, "bare.html", {"rows": ROWS})


urlpatterns = [path("", page)]

settings.configure(
    DEBUG=False,
    ALLOWED_HOSTS=["127.0.0.1", "localhost"],
    ROOT_URLCONF=__name__,
    SECRET_KEY="bare-page-benchmark-only",  # noqa: S106 - serves nothing secret
    MIDDLEWARE=[],
    INSTALLED_APPS=[],
    TEMPLATES=[
        {
            "BACKEND": "django.template.backends.django.DjangoTemplates",
            "DIRS": [Path(__file__).resolve().parent / "bare_templates"],
        }
    ],
)
application = get_wsgi_application()
