from django.urls import path

from outward.lib.routes import client_record_paths

from . import views

app_name = "skills"


urlpatterns = [
    *client_record_paths("skills/", views.skills, "skills"),
    *client_record_paths("skills/ladders/new/", views.ladder_create, "ladder_create"),
]

# Lessons ---------------------------------------------------------------------------------
urlpatterns += [
    *client_record_paths("skills/lessons/", views.lessons, "lessons"),
    path(
        "clients/<int:client_id>/skills/lessons/assign/",
        views.lesson_assign,
        name="lesson_assign",
    ),
    *client_record_paths("skills/lessons/<int:assignment_id>/", views.lesson, "lesson"),
    path("practice/lessons/", views.practice_lessons, name="practice_lessons"),
    path("practice/lessons/new/", views.practice_lesson_create, name="practice_lesson_create"),
    path(
        "practice/lessons/<int:lesson_id>/edit/",
        views.practice_lesson_edit,
        name="practice_lesson_edit",
    ),
]
