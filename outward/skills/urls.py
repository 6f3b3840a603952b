from django.urls import path

from outward.lib.routes import client_record_paths

from . import views

app_name = "skills"


urlpatterns = [
    *client_record_paths("skills/", views.skills, "skills"),
    *client_record_paths("skills/ladders/new/", views.ladder_create, "ladder_create"),
    # Thought records (issue 9)
    *client_record_paths("skills/thoughts/", views.thought_records, "thought_records"),
    *client_record_paths("skills/thoughts/new/", views.thought_create, "thought_create"),
    *client_record_paths(
        "skills/thoughts/<int:record_id>/", views.thought_detail, "thought_detail"
    ),
    *client_record_paths(
        "skills/thoughts/<int:record_id>/edit/", views.thought_edit, "thought_edit"
    ),
    path("practice/thought-records/", views.thought_settings, name="thought_settings"),
]
