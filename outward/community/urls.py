from django.urls import path

from . import import_views, plan_views, suggestion_views, views

app_name = "community"

urlpatterns = [
    path("directory/", views.directory, name="directory"),
    path("directory/new/", views.resource_create, name="resource_create"),
    path("directory/<int:resource_id>/", views.resource_detail, name="resource_detail"),
    path("directory/<int:resource_id>/edit/", views.resource_edit, name="resource_edit"),
    path("clients/<int:client_id>/interests/", views.interests, name="interests"),
    path("me/interests/", views.interests, name="my_interests"),
    # Plans to go and the first-visit bridge (plan_views).
    path(
        "clients/<int:client_id>/groups/<int:resource_id>/plan/",
        plan_views.plan_create,
        name="plan_create",
    ),
    path("me/groups/<int:resource_id>/plan/", plan_views.plan_create, name="my_plan_create"),
    path("clients/<int:client_id>/plans/", plan_views.plans, name="plans"),
    path("me/plans/", plan_views.plans, name="my_plans"),
    path("clients/<int:client_id>/plans/<int:plan_id>/", plan_views.plan, name="plan"),
    path("me/plans/<int:plan_id>/", plan_views.plan, name="my_plan"),
    path(
        "clients/<int:client_id>/plans/<int:plan_id>/report/",
        plan_views.plan_report,
        name="plan_report",
    ),
    path("me/plans/<int:plan_id>/report/", plan_views.plan_report, name="my_plan_report"),
    # Suggested groups with reasons, and the care team's pins and hides (suggestion_views).
    path("clients/<int:client_id>/groups/", suggestion_views.suggestions, name="suggestions"),
    path("me/groups/", suggestion_views.suggestions, name="my_suggestions"),
    path(
        "clients/<int:client_id>/groups/<int:resource_id>/mark/",
        suggestion_views.mark,
        name="mark",
    ),
    # Imports into the directory (CSV, Open Referral HSDS, iCalendar) and feeds (import_views).
    path("directory/import/", import_views.import_upload, name="import_upload"),
    path("directory/import/<int:pending_id>/", import_views.import_preview, name="import_preview"),
    path(
        "directory/import/<int:pending_id>/apply/",
        import_views.import_apply,
        name="import_apply",
    ),
    path("directory/feeds/", import_views.feeds, name="feeds"),
    path("directory/feeds/<int:feed_id>/refresh/", import_views.feed_refresh, name="feed_refresh"),
]
