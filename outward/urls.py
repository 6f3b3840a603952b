from django.http import HttpResponse
from django.urls import include, path
from django.views.decorators.http import require_GET

from outward.care.views import home


@require_GET
def healthz(request):
    """For load balancers and the benchmark's baseline: no database, no template."""
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [
    path("", home, name="home"),
    path("healthz/", healthz, name="healthz"),
    path("", include("outward.accounts.urls")),
    path("", include("outward.care.urls")),
    path("", include("outward.goals.urls")),
    path("", include("outward.journal.urls")),
    path("", include("outward.measures.urls")),
    path("", include("outward.community.urls")),
    path("", include("outward.skills.urls")),
    path("", include("outward.reports.urls")),
]
