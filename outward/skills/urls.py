from django.urls import path

from outward.lib.routes import client_record_paths

from . import views

app_name = "skills"


urlpatterns = [
    *client_record_paths("skills/", views.skills, "skills"),
    *client_record_paths("skills/ladders/new/", views.ladder_create, "ladder_create"),
    *client_record_paths("skills/ladders/<int:ladder_id>/", views.ladder, "ladder"),
    *client_record_paths("skills/ladders/<int:ladder_id>/edit/", views.ladder_edit, "ladder_edit"),
    *client_record_paths(
        "skills/ladders/<int:ladder_id>/archive/", views.ladder_archive, "ladder_archive"
    ),
    *client_record_paths("skills/ladders/<int:ladder_id>/rungs/", views.rung_add, "rung_add"),
    *client_record_paths(
        "skills/ladders/<int:ladder_id>/examples/", views.rung_library, "rung_library"
    ),
    *client_record_paths(
        "skills/ladders/<int:ladder_id>/from/<slug:source>/", views.rung_from, "rung_from"
    ),
    *client_record_paths("skills/rungs/<int:rung_id>/edit/", views.rung_edit, "rung_edit"),
    *client_record_paths("skills/rungs/<int:rung_id>/status/", views.rung_status, "rung_status"),
    *client_record_paths("skills/rungs/<int:rung_id>/delete/", views.rung_delete, "rung_delete"),
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

# Thought records (issue 9).
urlpatterns += [
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

# Role-play and rehearsal (issue 10).
urlpatterns += [
    *client_record_paths("skills/scenarios/", views.scenarios, "scenarios"),
    path(
        "clients/<int:client_id>/skills/scenarios/<str:key>/play/",
        views.scenario_play,
        name="scenario_play",
    ),
    path(
        "clients/<int:client_id>/skills/scenarios/<str:key>/debrief/",
        views.scenario_debrief,
        name="scenario_debrief",
    ),
    path(
        "clients/<int:client_id>/skills/scenarios/<str:key>/adapt/",
        views.scenario_adapt,
        name="scenario_adapt",
    ),
    path("me/skills/scenarios/<str:key>/", views.scenario_rehearse, name="my_scenario_rehearse"),
    *client_record_paths("skills/rehearsals/", views.rehearsals, "rehearsals"),
    path("practice/scenarios/", views.practice_scenarios, name="practice_scenarios"),
    path(
        "practice/scenarios/new/", views.practice_scenario_create, name="practice_scenario_create"
    ),
    path(
        "practice/scenarios/<int:scenario_id>/edit/",
        views.practice_scenario_edit,
        name="practice_scenario_edit",
    ),
]

# Conversation starters (issue 10).
urlpatterns += [
    *client_record_paths("skills/starters/", views.starters, "starters"),
    *client_record_paths(
        "skills/starters/in/<slug:setting>/", views.starter_setting, "starter_setting"
    ),
    path("me/skills/starters/favourite/", views.starter_favourite, name="my_starter_favourite"),
    path("me/skills/starters/new/", views.own_starter_create, name="my_own_starter_create"),
    path(
        "me/skills/starters/rehearse/<str:key>/",
        views.starter_rehearse,
        name="my_starter_rehearse",
    ),
    path("practice/starters/", views.practice_starters, name="practice_starters"),
    path(
        "practice/starters/<int:starter_id>/delete/",
        views.practice_starter_delete,
        name="practice_starter_delete",
    ),
]
