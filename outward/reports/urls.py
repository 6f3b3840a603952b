from django.urls import path

from . import views

app_name = "reports"

urlpatterns = [
    path("me/calendar/", views.my_calendar, name="my_calendar"),
    path("me/calendar/link/", views.calendar_link, name="calendar_link"),
    path("me/calendar/wording/", views.calendar_wording, name="calendar_wording"),
    path("me/calendar/off/", views.calendar_off, name="calendar_off"),
    path("calendar/<str:token>.ics", views.calendar_feed, name="calendar_feed"),
    path("me/export/", views.export, name="my_export"),
    path("clients/<int:client_id>/export/", views.export, name="export"),
    path("practice/clients/<int:client_id>/export/", views.admin_export, name="admin_export"),
    path("exports/<str:token>/", views.export_status, name="export_status"),
    path("exports/<str:token>/download/", views.export_download, name="export_download"),
]
