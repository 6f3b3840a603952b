from django.urls import path

from outward.lib.routes import client_record_paths

from . import views

app_name = "reports"

urlpatterns = [
    path("me/calendar/", views.my_calendar, name="my_calendar"),
    path("me/calendar/link/", views.calendar_link, name="calendar_link"),
    path("me/calendar/wording/", views.calendar_wording, name="calendar_wording"),
    path("me/calendar/off/", views.calendar_off, name="calendar_off"),
    path("me/prep/", views.my_prep, name="my_prep"),
    path("clients/<int:client_id>/prep/", views.prep, name="prep"),
    path("calendar/<str:token>.ics", views.calendar_feed, name="calendar_feed"),
    path("me/export/", views.export, name="my_export"),
    path("clients/<int:client_id>/export/", views.export, name="export"),
    path("practice/clients/<int:client_id>/export/", views.admin_export, name="admin_export"),
    path("exports/<str:token>/", views.export_status, name="export_status"),
    path("exports/<str:token>/download/", views.export_download, name="export_download"),
]

urlpatterns += [
    *client_record_paths("reports/", views.progress_reports, "progress_reports"),
    path(
        "clients/<int:client_id>/reports/<int:report_id>/",
        views.progress_report,
        name="progress_report",
    ),
    *client_record_paths(
        "reports/<int:report_id>/report.pdf", views.progress_report_pdf, "progress_report_pdf"
    ),
]
