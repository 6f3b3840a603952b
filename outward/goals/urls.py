from django.urls import path

from outward.lib.routes import client_record_paths

from . import views

app_name = "goals"


urlpatterns = [
    *client_record_paths("goals/", views.goals, "goals"),
    *client_record_paths("goals/new/", views.goal_create, "goal_create"),
    *client_record_paths("goals/<int:goal_id>/", views.goal_detail, "goal_detail"),
    *client_record_paths("goals/<int:goal_id>/edit/", views.goal_edit, "goal_edit"),
    *client_record_paths("goals/<int:goal_id>/steps/", views.step_add, "step_add"),
    *client_record_paths("goals/<int:goal_id>/delete/", views.goal_delete, "goal_delete"),
    *client_record_paths("steps/<int:step_id>/edit/", views.step_edit, "step_edit"),
    *client_record_paths("steps/<int:step_id>/move/", views.step_move, "step_move"),
    *client_record_paths("steps/<int:step_id>/delete/", views.step_delete, "step_delete"),
    *client_record_paths("wins/", views.win_add, "win_add"),
    path(
        "clients/<int:client_id>/goals/<int:goal_id>/review/", views.goal_review, name="goal_review"
    ),
    path(
        "clients/<int:client_id>/wins/<int:win_id>/acknowledge/",
        views.win_acknowledge,
        name="win_acknowledge",
    ),
    path("me/steps/<int:step_id>/done/", views.step_done, name="step_done"),
    path("me/steps/<int:step_id>/undo/", views.step_undo, name="step_undo"),
    path("me/goals/<int:goal_id>/did-it/", views.did_it, name="did_it"),
    path("goals/smart-check/", views.smart_check_partial, name="smart_check"),
]
