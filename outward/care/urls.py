from django.urls import path

from . import views

app_name = "care"

urlpatterns = [
    path("caseload/", views.caseload, name="caseload"),
    path("clients/new/", views.client_create, name="client_create"),
    path("clients/<int:client_id>/", views.client_detail, name="client_detail"),
    path("clients/<int:client_id>/edit/", views.client_edit, name="client_edit"),
    path("clients/<int:client_id>/invitation/", views.client_invitation, name="client_invitation"),
    path(
        "clients/<int:client_id>/invitation/email/",
        views.client_invitation_email,
        name="client_invitation_email",
    ),
    path("clients/<int:client_id>/notes/", views.session_notes, name="session_notes"),
    path(
        "clients/<int:client_id>/notes/<int:note_id>/",
        views.session_note_edit,
        name="session_note_edit",
    ),
    path("today/", views.today, name="today"),
    path("me/reminders/", views.reminders, name="my_reminders"),
    path("reminders/stop/<str:token>/", views.reminders_stop, name="reminders_stop"),
    path("practice/", views.practice, name="practice"),
    path("practice/staff/new/", views.staff_invite, name="staff_invite"),
    path(
        "practice/staff/<int:member_id>/invitation/",
        views.staff_invitation,
        name="staff_invitation",
    ),
    path("practice/staff/<int:member_id>/active/", views.staff_active, name="staff_active"),
    path("practice/security-log/", views.security_log, name="security_log"),
    path("practice/clients/", views.practice_clients, name="practice_clients"),
    path("practice/clients/<int:client_id>/care-team/", views.care_team, name="care_team"),
    path("practice/clients/<int:client_id>/audit/", views.audit_log, name="audit_log"),
    path("practice/clients/<int:client_id>/closure/", views.closure, name="closure"),
    path("me/close/", views.my_closure, name="my_closure"),
]
