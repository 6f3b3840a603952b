from django.urls import path

from outward.lib.routes import client_record_paths

from . import views
from .directory import views as directory_views
from .imports import views as import_views
from .interests import views as interest_views
from .matching import views as matching_views
from .plans import views as plan_views

app_name = "community"

urlpatterns = [
    path("directory/", views.directory, name="directory"),
    path("directory/new/", views.resource_create, name="resource_create"),
    path("directory/<int:resource_id>/", views.resource_detail, name="resource_detail"),
    path("directory/<int:resource_id>/edit/", views.resource_edit, name="resource_edit"),
    # Where entries are: areas, entries that need a location, the centroid file (directory).
    path("directory/areas/", directory_views.areas, name="areas"),
    path("directory/areas/new/", directory_views.area_create, name="area_create"),
    path("directory/areas/<int:area_id>/edit/", directory_views.area_edit, name="area_edit"),
    path("directory/needs-location/", directory_views.needs_location, name="needs_location"),
    path("directory/needs-location/locate/", directory_views.locate, name="locate"),
    path("directory/places-file/", directory_views.centroids, name="centroids"),
    # The interest inventory, a step at a time, and the practice's synonyms (interests.views).
    *client_record_paths("interests/", interest_views.inventory, "interests"),
    *client_record_paths("interests/<slug:step>/", interest_views.inventory_step, "interests_step"),
    path("directory/synonyms/", interest_views.synonyms, name="synonyms"),
    path(
        "directory/synonyms/<int:synonym_id>/delete/",
        interest_views.synonym_delete,
        name="synonym_delete",
    ),
    # Plans to go and the first-visit bridge (plans.views).
    *client_record_paths("groups/<int:resource_id>/plan/", plan_views.plan_create, "plan_create"),
    *client_record_paths("plans/", plan_views.plans, "plans"),
    *client_record_paths("plans/<int:plan_id>/", plan_views.plan, "plan"),
    *client_record_paths("plans/<int:plan_id>/report/", plan_views.plan_report, "plan_report"),
    # Suggested groups with reasons, and the care team's pins and hides (matching.views).
    *client_record_paths("groups/", matching_views.suggestions, "suggestions"),
    path(
        "clients/<int:client_id>/groups/<int:resource_id>/mark/",
        matching_views.mark,
        name="mark",
    ),
    # Imports into the directory (CSV, Open Referral HSDS, iCalendar) and feeds (imports.views).
    path("directory/import/", import_views.import_upload, name="import_upload"),
    path("directory/import/<int:pending_id>/", import_views.import_preview, name="import_preview"),
    path(
        "directory/import/<int:pending_id>/columns/",
        import_views.import_mapping,
        name="import_mapping",
    ),
    path(
        "directory/import/<int:pending_id>/apply/",
        import_views.import_apply,
        name="import_apply",
    ),
    path("directory/feeds/", import_views.feeds, name="feeds"),
    path("directory/feeds/<int:feed_id>/refresh/", import_views.feed_refresh, name="feed_refresh"),
]
