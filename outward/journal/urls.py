from django.urls import path

from outward.lib.routes import client_record_paths

from . import views

app_name = "journal"

urlpatterns = [
    *client_record_paths("journal/", views.journal, "journal"),
    *client_record_paths("journal/contacts/", views.contact_add, "contact_add"),
    path("clients/<int:client_id>/journal/schedule/", views.schedule, name="schedule"),
    path("me/check-in/", views.check_in, name="my_check_in"),
    *client_record_paths("journal/insights/", views.insights, "insights"),
    path("me/journal/insights/share/", views.insight_share, name="my_insight_share"),
]
