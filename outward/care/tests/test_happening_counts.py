"""The rooms' counters agree with their providers: `happenings.counts` (one UNION ALL query)
gives, kind by kind, what counting `happenings.happenings` would, for the client and for the
care team (who never count what the client kept private)."""

import datetime
from collections import Counter

from django.utils import timezone

from outward.care import happenings
from outward.care.models import Client


def test_counts_agree_with_the_providers_for_every_demo_client(demo, django_assert_num_queries):
    now = timezone.now()
    start, end = now - datetime.timedelta(days=120), now + datetime.timedelta(days=30)
    kinds = list(happenings.kinds())
    compared = Counter()
    for client in Client.objects.select_related("user"):
        therapist = client.care_team.select_related("therapist__user").first().therapist.user
        for viewer in (client.user, therapist):
            listed = Counter(
                happening.kind
                for happening in happenings.happenings(
                    client_ids=[client.pk], start=start, end=end, viewer=viewer
                )
            )
            counted = happenings.counts(
                client=client, start=start, end=end, kinds=kinds, viewer=viewer
            )
            assert counted == dict(listed), (client.display_name, viewer.email)
            for kind in kinds:  # each room's rows first in the union once
                alone = happenings.counts(
                    client=client, start=start, end=end, kinds=[kind], viewer=viewer
                )
                assert alone == ({kind: listed[kind]} if listed[kind] else {}), kind
            compared.update(listed)
    # The demo's records reach every room that counts, private ones included.
    assert {"goals.step_done", "journal.check_in", "journal.reflection"} <= set(compared)
    assert any(kind.startswith("journal.contact.") for kind in compared)


def test_counting_is_one_query_for_the_rooms_that_count(demo, django_assert_num_queries):
    client = Client.objects.select_related("user").filter(user__is_active=True).first()
    now = timezone.now()
    counting = [kind for kind in happenings.kinds() if kind != "journal.map.snapshot"]
    counting = [kind for kind in counting if not kind.endswith(".win")]
    with django_assert_num_queries(1):
        happenings.counts(
            client=client,
            start=now - datetime.timedelta(days=7),
            end=now,
            kinds=counting,
            viewer=client.user,
        )
