from django.urls import path

from outward.lib.routes import client_record_paths

from . import views

app_name = "skills"


urlpatterns = [
    *client_record_paths("skills/", views.skills, "skills"),
    *client_record_paths("skills/ladders/new/", views.ladder_create, "ladder_create"),
]

# Exposures (issue 9).
urlpatterns += [
    *client_record_paths("skills/rungs/<int:rung_id>/", views.rung, "rung"),
    *client_record_paths("skills/rungs/<int:rung_id>/plan/", views.exposure_plan, "exposure_plan"),
    *client_record_paths("skills/rungs/<int:rung_id>/log/", views.exposure_new, "exposure_new"),
    *client_record_paths("skills/exposures/", views.exposures, "exposures"),
    *client_record_paths(
        "skills/exposures/<int:exposure_id>/log/", views.exposure_log, "exposure_log"
    ),
    path(
        "clients/<int:client_id>/skills/rungs/<int:rung_id>/decide/",
        views.rung_decide,
        name="rung_decide",
    ),
]
