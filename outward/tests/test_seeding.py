from django.core.management import call_command
from django.core.paginator import Paginator

from outward.accounts.models import User
from outward.care.models import CareTeamMember, Client, Membership, SessionNote
from outward.seeding import seed_demo_practice
from outward.skills import selectors as skill_selectors
from outward.skills.models import Exposure, FearLadder, Rehearsal, Rung, Scenario, ThoughtRecord


def test_demo_practice_is_made_once_and_lists_logins(demo):
    logins = demo
    assert [role for role, _email in logins] == [
        "practice admin",
        "therapist",
        "therapist",
        "client",
    ]
    assert seed_demo_practice() == logins
    assert Client.objects.count() == 10
    assert Membership.objects.filter(is_therapist=True).count() == 2
    assert SessionNote.objects.exists()
    therapists = Membership.objects.filter(is_therapist=True)
    assert all(CareTeamMember.objects.filter(therapist=t).count() == 5 for t in therapists)
    client_email = logins[-1][1]
    assert User.objects.get(email=client_email).check_password("outward-demo")


def test_demo_clients_are_part_way_up_a_ladder_seeded_once(demo):
    seed_demo_practice()
    ladders = {ladder.title: ladder for ladder in FearLadder.objects.select_related("client")}
    assert sorted(ladders) == ["Meeting new people", "Speaking up in groups"]
    assert len({ladder.client_id for ladder in ladders.values()}) == 2
    meeting = skill_selectors.ladder_view(ladders["Meeting new people"])
    assert meeting.total == 6 and meeting.done == 2
    assert meeting.current.status == Rung.Status.PRACTISING
    assert {rung.source for rung in meeting.rungs} == {
        Rung.Source.TYPED,
        Rung.Source.LIBRARY,
        Rung.Source.RESOURCE,
    }
    groups = skill_selectors.ladder_view(ladders["Speaking up in groups"])
    assert groups.total == 4 and groups.done == 1
    # The client's level follows the ladder, so their group suggestions can say so.
    assert skill_selectors.exposure_level(meeting.ladder.client) is not None
    # The rung being practised has one attempt; both clients have thought records, one private.
    attempt = Exposure.objects.get()
    assert attempt.rung == meeting.current and attempt.suds_peak is not None
    assert ThoughtRecord.objects.count() == 3
    assert {record.client_id for record in ThoughtRecord.objects.all()} == {
        ladder.client_id for ladder in ladders.values()
    }
    assert ThoughtRecord.objects.filter(visibility="private").count() == 1


def test_two_demo_clients_have_insights_and_one_approved_session_prep(demo):
    from django.utils import timezone

    from outward.journal.insights import insights_for_viewer
    from outward.reports.models import SessionPrep

    seeded = [c for c in Client.objects.select_related("user") if c.check_ins.count() > 3]
    assert len(seeded) == 2
    therapist = Membership.objects.filter(is_therapist=True).first().user
    for client in seeded:
        own = insights_for_viewer(client=client, viewer=client.user, now=timezone.now())
        assert {insight.rule for insight in own} == {"loneliness_and_meeting", "outing_day"}
        shared = insights_for_viewer(client=client, viewer=therapist, now=timezone.now())
        assert [insight.rule for insight in shared] == ["outing_day"]
    prep = SessionPrep.objects.get()
    assert prep.removed == 1 and prep.items and prep.agenda


def test_alex_and_sam_have_rehearsed_and_the_practice_wrote_a_scenario(demo):
    scenario = Scenario.objects.get()
    names = {r.client.display_name.split()[0] for r in Rehearsal.objects.select_related("client")}
    assert names == {"Alex", "Sam"}
    assert Rehearsal.objects.filter(scenario_key=scenario.key).exists()
    assert {r.mode for r in Rehearsal.objects.all()} == {"in_session", "alone"}


def test_alex_and_sam_have_starters_and_alex_used_one_for_real(demo):
    from outward.care import happenings
    from outward.skills.models import FavouriteStarter, Rehearsal, Starter

    alex, sam = (Client.objects.get(display_name__startswith=n) for n in ("Alex", "Sam"))
    assert Starter.objects.count() == 1
    assert FavouriteStarter.objects.filter(client=alex).count() == 3
    assert FavouriteStarter.objects.filter(client=sam).count() == 2
    assert {r.client_id for r in Rehearsal.objects.filter(mode="alone")} == {alex.pk, sam.pk}
    uses = happenings.opening_line_uses(client=alex, keys=["club-new-here"])
    assert uses["club-new-here"] == happenings.LineUse(used=1, worked=1)


def test_demo_clients_have_a_journal_and_a_map_with_history(demo):
    from outward.journal import selectors as journal_selectors
    from outward.journal.models import MapSnapshot, Person, Reflection

    clients = {ladder.client for ladder in FearLadder.objects.select_related("client__user")}
    assert len(clients) == 2
    for client in clients:
        therapist = CareTeamMember.objects.filter(client=client).get().therapist.user
        assert journal_selectors.reflections(client=client, viewer=therapist).exists()
        assert MapSnapshot.objects.filter(client=client).count() == 2
        history = journal_selectors.map_history(
            client=client,
            viewer=client.user,
            page=Paginator(journal_selectors.snapshots(client=client), 10).page(1),
        )
        assert history[0].changes and history[1].first
    assert Reflection.objects.filter(visibility="private").count() == 1
    # The one with a logged attempt looked back on it.
    assert Reflection.objects.filter(prompt="after").exclude(about="").count() == 1
    assert Person.objects.filter(visibility="private").count() == 1


def test_seed_command_makes_load_data(db, capsys):
    call_command("seed", therapists=3, clients=30, notes_per_client=2)
    assert Membership.objects.count() == 3
    assert Client.objects.count() == 30 and SessionNote.objects.count() == 60
    assert {
        CareTeamMember.objects.filter(therapist=m).count() for m in Membership.objects.all()
    } == {10}
    assert "Sign in as therapist0" in capsys.readouterr().out


def test_the_demo_client_has_a_report_made_for_them(demo):
    from outward.reports.models import ProgressReport

    logins = demo
    report = ProgressReport.objects.get()
    assert report.client.user.email == logins[-1][1]
    assert report.version == ProgressReport.Version.CLIENT
    assert report.status == ProgressReport.Status.READY  # the tests' tasks run at once
