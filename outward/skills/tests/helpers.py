"""Small builders shared by the skills tests (the personas live in outward/conftest.py)."""

from outward.skills import services
from outward.skills.models import FearLadder, Rung


def make_ladder(client, *, title="Meeting new people", author=None) -> FearLadder:
    return services.ladder_create(client=client, author=author or client.user, title=title, ip=None)


def make_rung(ladder: FearLadder, situation="Say hello to a neighbour", suds=20, **extra) -> Rung:
    return services.rung_add(
        client=ladder.client,
        ladder=ladder,
        author=ladder.client.user,
        situation=situation,
        expected_suds=suds,
        ip=None,
        **extra,
    )


def set_status(rung: Rung, status: str) -> Rung:
    return services.rung_update(
        rung=rung,
        actor=rung.client.user,
        situation=rung.situation,
        expected_suds=rung.expected_suds,
        status=status,
        ip=None,
    )
