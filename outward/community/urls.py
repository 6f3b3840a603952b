from django.urls import path

from . import views

app_name = "community"

urlpatterns = [
    path("directory/", views.directory, name="directory"),
    path("directory/new/", views.resource_create, name="resource_create"),
    path("directory/<int:resource_id>/", views.resource_detail, name="resource_detail"),
    path("directory/<int:resource_id>/edit/", views.resource_edit, name="resource_edit"),
    path("clients/<int:client_id>/interests/", views.interests, name="interests"),
    path("me/interests/", views.interests, name="my_interests"),
]
