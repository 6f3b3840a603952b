from django.urls import path

from . import views

app_name = "goals"


def both(route, view, name):
    """The care team's URL (with the client id) and the client's own "my_" URL."""
    return [
        path(f"clients/<int:client_id>/{route}", view, name=name),
        path(f"me/{route}", view, name=f"my_{name}"),
    ]


urlpatterns = [
    *both("goals/", views.goals, "goals"),
    *both("goals/new/", views.goal_create, "goal_create"),
    *both("goals/<int:goal_id>/", views.goal_detail, "goal_detail"),
    *both("goals/<int:goal_id>/edit/", views.goal_edit, "goal_edit"),
    *both("goals/<int:goal_id>/steps/", views.step_add, "step_add"),
    *both("wins/", views.win_add, "win_add"),
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
