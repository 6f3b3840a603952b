from django.urls import path


def client_record_paths(route: str, view, name: str) -> list:
    """A client-record page at the care team's URL (with the client id) and at the client's
    own "me/" URL, named `name` and `my_<name>` (see care.templatetags.records)."""
    return [
        path(f"clients/<int:client_id>/{route}", view, name=name),
        path(f"me/{route}", view, name=f"my_{name}"),
    ]
