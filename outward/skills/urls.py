from outward.lib.routes import client_record_paths

from . import views

app_name = "skills"


urlpatterns = [
    *client_record_paths("skills/", views.skills, "skills"),
    *client_record_paths("skills/ladders/new/", views.ladder_create, "ladder_create"),
]
