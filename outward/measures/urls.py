from django.urls import path

from . import fhir_views, views

app_name = "measures"

urlpatterns = [
    path("clients/<int:client_id>/measures/", views.measures, name="measures"),
    path(
        "clients/<int:client_id>/measures/assignments/<int:assignment_id>/stop/",
        views.assignment_stop,
        name="assignment_stop",
    ),
    path(
        "clients/<int:client_id>/measures/<slug:instrument_key>/",
        views.measure_detail,
        name="measure_detail",
    ),
    path(
        "clients/<int:client_id>/measures/<slug:instrument_key>/enter/", views.enter, name="enter"
    ),
    path("clients/<int:client_id>/alerts/", views.alerts, name="alerts"),
    path(
        "clients/<int:client_id>/alerts/<int:alert_id>/acknowledge/",
        views.alert_acknowledge,
        name="alert_acknowledge",
    ),
    path(
        "clients/<int:client_id>/readiness/",
        views.readiness_conversation,
        name="readiness",
    ),
    path("me/questionnaires/<int:assignment_id>/", views.questionnaire, name="my_questionnaire"),
    path("me/if-you-need-help/", views.crisis, name="my_crisis"),
    path("practice/measures/", views.practice_measures, name="practice_measures"),
    path("practice/crisis-lines/", views.crisis_line_add, name="crisis_line_add"),
    path(
        "practice/crisis-lines/<int:line_id>/remove/",
        views.crisis_line_remove,
        name="crisis_line_remove",
    ),
    # FHIR R4
    path(
        "measures/fhir/Questionnaire/<slug:key>.json",
        fhir_views.questionnaire_export,
        name="fhir_questionnaire",
    ),
    path(
        "clients/<int:client_id>/measures/responses/<int:response_id>/fhir.json",
        fhir_views.response_export,
        name="fhir_response",
    ),
    path(
        "practice/measures/import/",
        fhir_views.questionnaire_import,
        name="questionnaire_import",
    ),
]
