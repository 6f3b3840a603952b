"""The move from the booleans (note_private, private) to visibility keeps what a client kept
private private, forwards and back."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("journal", "0001_initial")]
AFTER = [("journal", "0005_remove_private_flags")]


def _latest():
    """Every journal migration: the test ends there, so later tests see the whole schema."""
    executor = MigrationExecutor(connection)
    return [key for key in executor.loader.graph.leaf_nodes() if key[0] == "journal"]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_private_flags_become_visibility_and_back(world):
    try:
        apps = _migrate(BEFORE)
        CheckIn, Contact = (
            apps.get_model("journal", "CheckIn"),
            apps.get_model("journal", "Contact"),
        )
        answers = {"mood": 5, "loneliness": 5, "meaningful_interactions": 2, "in_person": 1}
        common = {"client_id": world.client.pk, "author_id": world.client.user.pk}
        CheckIn.objects.create(**common, **answers, online=1, note="mine", note_private=True)
        CheckIn.objects.create(**common, **answers, online=1, note="ours", note_private=False)
        Contact.objects.create(**common, kind="met_up", with_whom="Sam", private=True)
        Contact.objects.create(**common, kind="event", with_whom="Club", private=False)

        apps = _migrate(AFTER)
        CheckIn, Contact = (
            apps.get_model("journal", "CheckIn"),
            apps.get_model("journal", "Contact"),
        )
        assert dict(CheckIn.objects.values_list("note", "note_visibility")) == {
            "mine": "private",
            "ours": "shared",
        }
        assert dict(Contact.objects.values_list("with_whom", "visibility")) == {
            "Sam": "private",
            "Club": "shared",
        }

        apps = _migrate(BEFORE)
        CheckIn, Contact = (
            apps.get_model("journal", "CheckIn"),
            apps.get_model("journal", "Contact"),
        )
        assert dict(CheckIn.objects.values_list("note", "note_private")) == {
            "mine": True,
            "ours": False,
        }
        assert dict(Contact.objects.values_list("with_whom", "private")) == {
            "Sam": True,
            "Club": False,
        }
    finally:
        _migrate(_latest())
