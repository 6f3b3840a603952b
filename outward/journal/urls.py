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

# Reflections, the relationship map and the client's journey (issue 11).
urlpatterns += [
    *client_record_paths("journal/reflections/", views.reflections, "reflections"),
    *client_record_paths("journal/reflections/new/", views.reflection_create, "reflection_create"),
    path(
        "me/journal/reflections/<int:reflection_id>/edit/",
        views.reflection_edit,
        name="my_reflection_edit",
    ),
    path(
        "clients/<int:client_id>/journal/reflections/schedule/",
        views.reflection_cadence,
        name="reflection_cadence",
    ),
    *client_record_paths("journal/people/", views.relationship_map, "map"),
    *client_record_paths("journal/people/history/", views.map_history, "map_history"),
    path("me/journal/people/add/", views.person_add, name="my_person_add"),
    path("me/journal/people/<int:person_id>/", views.person_edit, name="my_person_edit"),
    path("me/journal/people/<int:person_id>/circle/", views.person_move, name="my_person_move"),
    path("me/journal/people/<int:person_id>/remove/", views.person_remove, name="my_person_remove"),
    path("me/journal/journey/", views.journey, name="my_journey"),
]
