from django.urls import path

from . import views

app_name = "journal"

urlpatterns = [
    path("clients/<int:client_id>/journal/", views.journal, name="journal"),
    path("me/journal/", views.journal, name="my_journal"),
    path("clients/<int:client_id>/journal/contacts/", views.contact_add, name="contact_add"),
    path("me/journal/contacts/", views.contact_add, name="my_contact_add"),
    path("clients/<int:client_id>/journal/schedule/", views.schedule, name="schedule"),
    path("me/check-in/", views.check_in, name="my_check_in"),
]
