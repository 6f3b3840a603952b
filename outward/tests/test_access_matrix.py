"""Every URL × every persona. A URL missing from MATRIX fails the suite: new pages must
declare who may open them."""

import datetime

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

PERSONAS = ["therapist", "colleague", "stranger", "admin", "client", "other_client", "anonymous"]

OK, NOT_FOUND, LOGIN = "ok", "404", "login"
PUBLIC = dict.fromkeys(PERSONAS, OK)
SIGNED_IN = {**dict.fromkeys(PERSONAS, OK), "anonymous": LOGIN}
THERAPISTS = {
    **dict.fromkeys(PERSONAS, NOT_FOUND),
    "therapist": OK,
    "colleague": OK,
    "stranger": OK,
    "anonymous": LOGIN,
}
CARE_TEAM = {**dict.fromkeys(PERSONAS, NOT_FOUND), "therapist": OK, "anonymous": LOGIN}
ADMIN = {**dict.fromkeys(PERSONAS, NOT_FOUND), "admin": OK, "anonymous": LOGIN}
PRACTICE_THERAPISTS = {**THERAPISTS, "stranger": NOT_FOUND}
OWN = {**dict.fromkeys(PERSONAS, NOT_FOUND), "client": OK, "anonymous": LOGIN}
CLIENTS = {
    **dict.fromkeys(PERSONAS, NOT_FOUND),
    "client": OK,
    "other_client": OK,
    "anonymous": LOGIN,
}


def _client(w):
    return [w.client.pk]


def _note(w):
    return [w.client.pk, w.client.session_notes.get().pk]


def _none(w):
    return []


def _goal(w):
    from outward.goals import services as goal_services
    from outward.goals.models import Goal

    goal = Goal.objects.filter(client=w.client).first()
    if goal is None:
        goal = goal_services.goal_create(
            client=w.client,
            author=w.therapist.user,
            title="Reach out to a friend weekly",
            cadence_count=1,
            cadence_period="week",
            steps=["Pick one person"],
            ip=None,
        )
    return goal


def _stop_token(w):
    from outward.care.reminders import unsubscribe_token

    return unsubscribe_token(w.client)


def _assignment(w):
    import datetime

    from outward.measures import services as measure_services

    return measure_services.assignment_create(
        client=w.client,
        actor=w.therapist.user,
        instrument_key="phq9",
        every_days=None,
        first_due=datetime.date(2026, 11, 1),
        ip=None,
    )


def _client_alert(w):
    from outward.measures import services as measure_services

    answers = {str(n): 0 for n in range(1, 10)} | {"9": 1}
    response = measure_services.response_enter(
        client=w.client, instrument_key="phq9", answers=answers, actor=w.therapist.user, ip=None
    )
    return [w.client.pk, response.alert.pk]


def _crisis_line(w):
    """A crisis line of the world's practice: another practice's admin cannot remove it."""
    from outward.measures import services as measure_services

    line = measure_services.crisis_line_add(
        practice=w.practice, actor=w.admin.user, name="Riverside line", number="0800 1", hours=""
    )
    return [line.pk]


SCENARIO = "first-class-arrival"  # a library scenario: every client of every practice has it


def _client_scenario(w):
    return [w.client.pk, SCENARIO]


def _practice_scenario(w):
    """A scenario of the world's practice: another practice's therapists get a 404."""
    from outward.skills.models import Scenario
    from outward.skills.roleplay import services as roleplay_services

    scenario = Scenario.objects.filter(practice=w.practice).first()
    if scenario is None:
        scenario = roleplay_services.practice_scenario_create(
            practice=w.practice,
            author=w.therapist.user,
            title="At the allotment",
            setting="neighbours",
            intensity=2,
            situation="Watering plants side by side.",
            aim="Say hello.",
            role_card="You grow beans.",
            warm="You chat.",
            neutral="You nod.",
            busy="You are on the phone.",
            opening_lines="Hello!\nNice beans.",
            debrief_questions="How was it?",
        )
    return [scenario.pk]


def _reflection(w):
    from outward.journal import services as journal_services
    from outward.journal.models import Reflection

    reflection = Reflection.objects.filter(client=w.client).first()
    if reflection is None:
        reflection = journal_services.reflection_write(
            client=w.client,
            author=w.client.user,
            ip=None,
            prompt="free",
            went_well="Said hello at the bakery",
        )
    return reflection


def _person(w):
    from outward.journal import services as journal_services
    from outward.journal.models import Person

    person = Person.objects.filter(client=w.client).first()
    if person is None:
        person = journal_services.person_add(
            client=w.client,
            author=w.client.user,
            ip=None,
            name="Alex",
            circle=2,
            role="friend",
            touch="weekly",
        )
    return person


RUNG = {"situation": "Say hello to a neighbour", "expected_suds": "20"}


def _ladder(w):
    from outward.skills import services as skill_services
    from outward.skills.models import FearLadder

    ladder = FearLadder.objects.filter(client=w.client).first()
    if ladder is None:
        ladder = skill_services.ladder_create(
            client=w.client, author=w.client.user, title="Meeting new people", ip=None
        )
    return ladder


def _rung(w):
    from outward.skills import services as skill_services
    from outward.skills.models import Rung

    rung = Rung.objects.filter(client=w.client).first()
    if rung is None:
        rung = skill_services.rung_add(
            client=w.client,
            ladder=_ladder(w),
            author=w.client.user,
            situation="Say hello to a neighbour",
            expected_suds=20,
            ip=None,
        )
    return rung


def _client_ladder(w):
    return [w.client.pk, _ladder(w).pk]


def _my_ladder(w):
    return [_ladder(w).pk]


def _client_rung(w):
    return [w.client.pk, _rung(w).pk]


def _my_rung(w):
    return [_rung(w).pk]


def _area(w):
    """An area of the world's practice: another practice's therapist cannot edit it."""
    from outward.community.models import Area

    return Area.objects.get_or_create(
        practice=w.practice, name="Northside", defaults={"latitude": 40.7, "longitude": -74.0}
    )[0]


def _resource(w):
    from outward.community.models import Resource

    resource = Resource.objects.filter(practice=w.practice).first()
    if resource is None:
        resource = Resource.objects.create(
            practice=w.practice, name="Board games night", kind="group", online=True
        )
    return resource


def _synonym(w):
    from outward.community.interests.services import synonym_add

    return [synonym_add(practice=w.practice, phrase="crafternoon", interest_key="games").pk]


def _plan(w):
    """A plan of the world's client, a week ahead (reporting "did not go" is allowed early)."""
    import datetime

    from django.utils import timezone

    from outward.community.models import Plan
    from outward.community.plans import services as plan_services

    plan = Plan.objects.filter(client=w.client).first()
    if plan is None:
        plan = plan_services.plan_create(
            client=w.client,
            resource=_resource(w),
            when=timezone.now() + datetime.timedelta(days=7),
            author=w.client.user,
            ip=None,
        )
    return plan


def _exposure(w):
    """A planned attempt at the world's client's rung, not logged yet."""
    import datetime

    from outward.skills.models import Exposure

    exposure = Exposure.objects.filter(client=w.client, occurred__isnull=True).first()
    if exposure is None:
        exposure = Exposure.objects.create(
            client=w.client,
            author=w.client.user,
            rung=_rung(w),
            planned_for=datetime.date(2026, 11, 30),
            prediction="They will not talk to me",
            likelihood=60,
            expected_suds=50,
        )
    return exposure


def _pending_import(w):
    """A previewed CSV import of the world's practice: other practices cannot see it."""
    from outward.community.models import PendingImport

    pending = PendingImport.objects.create(
        practice=w.practice,
        kind="csv",
        file_name="groups.csv",
        rows=[{"key": "1", "where": "line 2", "fields": {"name": "Chess club", "kind": "club"}}],
        problems=[],
        header=["id", "Name", "Type"],
        mapping=["id", "name", "kind"],
        upload=b"id,Name,Type\r\n1,Chess club,club\r\n",
        state="ready",
        created_by=w.therapist.user,
    )
    return [pending.pk]


def _calendar_source(w):
    """An uploaded calendar of the world's practice (no address, so no network in tests)."""
    from outward.community.models import CalendarSource

    source = CalendarSource.objects.create(
        practice=w.practice, name="library.ics", url="", created_by=w.therapist.user
    )
    return [source.pk]


def _client_goal(w):
    return [w.client.pk, _goal(w).pk]


def _my_goal(w):
    return [_goal(w).pk]


def _my_step(w):
    return [_goal(w).steps.get().pk]


def _client_step(w):
    return [w.client.pk, *_my_step(w)]


def _client_win(w):
    from outward.goals import services as goal_services

    win = goal_services.win_create(client=w.client, author=w.client.user, text="Said hi", ip=None)
    return [w.client.pk, win.pk]


def _client_response(w):
    from outward.measures import services as measure_services

    answers = {str(n): 1 for n in range(1, 10)}
    response = measure_services.response_enter(
        client=w.client, instrument_key="phq9", answers=answers, actor=w.therapist.user, ip=None
    )
    return [w.client.pk, response.pk]


def _imported_key(w):
    """An instrument imported by the world's practice: other practices cannot see it."""
    from outward.measures import catalog, fhir
    from outward.measures import services as measure_services

    questionnaire = fhir.questionnaire_json(catalog.instrument("gad7"))
    imported = measure_services.instrument_import(
        practice=w.practice, questionnaire=questionnaire, source="gad7.json", actor=w.admin.user
    )
    return [imported.key]


def _thought_record(w):
    from outward.skills import services as skills_services
    from outward.skills.models import ThoughtRecord

    # A shared one: the privacy tests add a private record beside it.
    record = ThoughtRecord.objects.filter(client=w.client, visibility="shared").first()
    if record is None:
        record = skills_services.thought_record_create(
            client=w.client, author=w.client.user, ip=None, automatic_thought="They'll be bored"
        )
    return record


def _client_thought(w):
    return [w.client.pk, _thought_record(w).pk]


def _my_thought(w):
    return [_thought_record(w).pk]


def _calendar_token(w):
    from outward.reports import services as report_services

    token = report_services.calendar_feed_enable(
        client=w.client, actor=w.client.user, own_wording=False, ip=None
    )
    return [token]


def _report(w):
    """A ready client-version progress report of the world's client (made directly: the
    matrix tests who may open it, not the rendering)."""
    from outward.reports.models import ProgressReport

    report = ProgressReport.objects.filter(client=w.client).first()
    if report is None:
        report = ProgressReport.objects.create(
            client=w.client,
            requested_by=w.therapist.user,
            version=ProgressReport.Version.CLIENT,
            period_start=datetime.date(2026, 9, 1),
            period_end=datetime.date(2026, 11, 30),
            sections=["wins"],
            status=ProgressReport.Status.READY,
            pdf=b"%PDF-1.7 matrix",
            pages=1,
        )
    return report


def _client_report(w):
    return [w.client.pk, _report(w).pk]


def _my_report(w):
    return [_report(w).pk]


def _export_token(w):
    """An export the client asked for (built at once under the test task backend)."""
    from outward.reports import services as report_services

    _export, token = report_services.export_request(client=w.client, actor=w.client.user, ip=None)
    return [token]


def _lesson_assignment(w):
    from outward.skills import services as skills_services
    from outward.skills.models import LessonAssignment

    assignment = LessonAssignment.objects.filter(client=w.client).first()
    if assignment is None:
        assignment = skills_services.lesson_assign(
            client=w.client, actor=w.therapist.user, lesson_key="thinking-traps", ip=None
        )
    return assignment


def _practice_lesson(w):
    """A lesson written by the world's practice: another practice's admin cannot edit it."""
    from outward.skills import services as skills_services

    lesson = skills_services.practice_lesson_create(
        practice=w.practice,
        author=w.admin.user,
        title="Sleep and mood",
        slug="sleep-and-mood",
        body="Sleep matters.",
        sources="",
        reflection_question="How did you sleep?",
        published=True,
    )
    return [lesson.pk]


def _own_starter(w):
    """A starter the world's client wrote: another client cannot rehearse it."""
    from outward.skills.models import OwnStarter
    from outward.skills.starters import services as starter_services

    own = OwnStarter.objects.filter(client=w.client).first()
    if own is None:
        own = starter_services.own_starter_add(
            client=w.client,
            author=w.client.user,
            text="Hi, I'm new here",
            setting="club",
            openness=1,
            ip=None,
        )
    return [own.key]


def _practice_starter(w):
    """A starter in the world's practice's bank: another practice cannot take it out."""
    from outward.skills.starters import services as starter_services

    starter = starter_services.practice_starter_add(
        practice=w.practice,
        author=w.therapist.user,
        text="Is this seat free?",
        setting="club",
        openness=1,
    )
    return [starter.pk]


# name: (method, args from the world, expected outcome per persona[, form data])
MATRIX = {
    "home": ("get", _none, SIGNED_IN),
    "healthz": ("get", _none, PUBLIC),
    "accounts:login": ("get", _none, PUBLIC),
    "accounts:login_verify": ("get", _none, PUBLIC),
    "accounts:logout": ("post", _none, PUBLIC),
    "accounts:invitation_accept": (
        "get",
        lambda w: ["not-a-real-token"],
        dict.fromkeys(PERSONAS, NOT_FOUND),
    ),
    "accounts:account": ("get", _none, SIGNED_IN),
    "accounts:keep_alive": ("post", _none, SIGNED_IN),
    "accounts:sign_out_everywhere": ("post", _none, SIGNED_IN),
    "accounts:two_factor": ("get", _none, SIGNED_IN),
    "accounts:two_factor_disable": ("get", _none, SIGNED_IN),
    "accounts:password_change": ("get", _none, SIGNED_IN),
    "accounts:password_change_done": ("get", _none, SIGNED_IN),
    "accounts:password_reset": ("get", _none, PUBLIC),
    "accounts:password_reset_done": ("get", _none, PUBLIC),
    "accounts:password_reset_confirm": ("get", lambda w: ["MQ", "not-a-token"], PUBLIC),
    "accounts:password_reset_complete": ("get", _none, PUBLIC),
    "care:caseload": ("get", _none, THERAPISTS),
    "care:client_create": ("get", _none, THERAPISTS),
    "care:client_detail": ("get", _client, CARE_TEAM),
    "care:client_edit": ("get", _client, CARE_TEAM),
    "care:client_invitation": ("post", _client, CARE_TEAM),
    "care:client_invitation_email": ("post", _client, CARE_TEAM),
    "care:session_notes": ("get", _client, CARE_TEAM),
    "care:session_note_edit": ("get", _note, CARE_TEAM),
    "care:today": ("get", _none, CLIENTS),
    "care:practice": ("get", _none, ADMIN),
    "care:staff_invite": ("get", _none, ADMIN),
    "care:staff_invitation": ("post", lambda w: [w.colleague.pk], ADMIN),
    "care:staff_active": ("post", lambda w: [w.colleague.pk], ADMIN, {"active": "1"}),
    "care:practice_clients": ("get", _none, ADMIN),
    "care:care_team": ("get", _client, ADMIN),
    "care:audit_log": ("get", _client, ADMIN),
    "care:security_log": ("get", _none, ADMIN),
    "care:my_reminders": ("get", _none, CLIENTS),
    "care:reminders_stop": ("get", lambda w: [_stop_token(w)], PUBLIC),
    "goals:goals": ("get", _client, CARE_TEAM),
    "goals:my_goals": ("get", _none, CLIENTS),
    "goals:goal_create": ("get", _client, CARE_TEAM),
    "goals:my_goal_create": ("get", _none, CLIENTS),
    "goals:goal_detail": ("get", _client_goal, CARE_TEAM),
    "goals:my_goal_detail": ("get", _my_goal, OWN),
    "goals:goal_edit": ("get", _client_goal, CARE_TEAM),
    "goals:my_goal_edit": ("get", _my_goal, OWN),
    "goals:step_add": ("post", _client_goal, CARE_TEAM, {"title": "A step"}),
    "goals:my_step_add": ("post", _my_goal, OWN, {"title": "A step"}),
    # Without `confirmed`, a delete only asks: the goal and step stay for the next persona.
    "goals:goal_delete": ("post", _client_goal, CARE_TEAM),
    "goals:my_goal_delete": ("post", _my_goal, OWN),
    "goals:step_edit": ("get", _client_step, CARE_TEAM),
    "goals:my_step_edit": ("get", _my_step, OWN),
    "goals:step_move": ("post", _client_step, CARE_TEAM, {"direction": "down"}),
    "goals:my_step_move": ("post", _my_step, OWN, {"direction": "up"}),
    "goals:step_delete": ("post", _client_step, CARE_TEAM),
    "goals:my_step_delete": ("post", _my_step, OWN),
    "goals:win_add": ("post", _client, CARE_TEAM, {"text": "A win"}),
    "goals:my_win_add": ("post", _none, CLIENTS, {"text": "A win"}),
    "goals:goal_review": ("post", _client_goal, CARE_TEAM, {"level": "1"}),
    "goals:win_acknowledge": ("post", _client_win, CARE_TEAM, {"message": "Well done"}),
    "goals:step_done": ("post", _my_step, OWN),
    "goals:step_undo": ("post", _my_step, OWN),
    "goals:did_it": ("post", _my_goal, OWN),
    "goals:smart_check": ("post", _none, SIGNED_IN, {"title": "Go to a club"}),
    "measures:measures": ("get", _client, CARE_TEAM),
    "measures:assignment_stop": ("post", lambda w: [w.client.pk, _assignment(w).pk], CARE_TEAM),
    "measures:measure_detail": ("get", lambda w: [w.client.pk, "phq9"], CARE_TEAM),
    "measures:enter": ("get", lambda w: [w.client.pk, "phq9"], CARE_TEAM),
    "measures:alert_acknowledge": ("post", _client_alert, CARE_TEAM, {"note": "Called them"}),
    "measures:alerts": ("get", lambda w: _client_alert(w)[:1], CARE_TEAM),
    "measures:readiness": ("get", _client, CARE_TEAM),
    "measures:my_questionnaire": ("get", lambda w: [_assignment(w).pk], OWN),
    "measures:my_crisis": ("get", _none, CLIENTS),
    "measures:practice_measures": ("get", _none, ADMIN),
    "measures:crisis_line_add": (
        "post",
        _none,
        ADMIN,
        {"name": "Samaritans", "number": "116 123", "hours": "24 hours"},
    ),
    "measures:crisis_line_remove": ("post", _crisis_line, ADMIN),
    # Staff of the practice (therapists and admins); another practice cannot see its imports.
    "measures:fhir_questionnaire": (
        "get",
        _imported_key,
        {
            **dict.fromkeys(PERSONAS, NOT_FOUND),
            "therapist": OK,
            "colleague": OK,
            "admin": OK,
            "anonymous": LOGIN,
        },
    ),
    "measures:fhir_response": ("get", _client_response, CARE_TEAM),
    "measures:questionnaire_import": ("get", _none, ADMIN),
    "skills:skills": ("get", _client, CARE_TEAM),
    "skills:my_skills": ("get", _none, CLIENTS),
    "skills:ladder_create": ("get", _client, CARE_TEAM),
    "skills:my_ladder_create": ("get", _none, CLIENTS),
    "skills:ladder": ("get", _client_ladder, CARE_TEAM),
    "skills:my_ladder": ("get", _my_ladder, OWN),
    "skills:ladder_edit": ("get", _client_ladder, CARE_TEAM),
    "skills:my_ladder_edit": ("get", _my_ladder, OWN),
    "skills:ladder_archive": ("post", _client_ladder, CARE_TEAM, {"archived": ""}),
    "skills:my_ladder_archive": ("post", _my_ladder, OWN, {"archived": ""}),
    "skills:rung_add": ("post", _client_ladder, CARE_TEAM, RUNG),
    "skills:my_rung_add": ("post", _my_ladder, OWN, RUNG),
    "skills:rung_library": ("get", _client_ladder, CARE_TEAM),
    "skills:my_rung_library": ("get", _my_ladder, OWN),
    "skills:rung_from": ("get", lambda w: [*_client_ladder(w), "goal_step"], CARE_TEAM),
    "skills:my_rung_from": ("get", lambda w: [*_my_ladder(w), "goal_step"], OWN),
    "skills:rung_edit": ("get", _client_rung, CARE_TEAM),
    "skills:my_rung_edit": ("get", _my_rung, OWN),
    "skills:rung_status": ("post", _client_rung, CARE_TEAM, {"status": "practising"}),
    "skills:my_rung_status": ("post", _my_rung, OWN, {"status": "practising"}),
    "skills:rung_delete": ("post", _client_rung, CARE_TEAM),
    "skills:my_rung_delete": ("post", _my_rung, OWN),
    "skills:lessons": ("get", _client, CARE_TEAM),
    "skills:my_lessons": ("get", _none, CLIENTS),
    "skills:lesson_assign": ("post", _client, CARE_TEAM, {"lesson": "thinking-traps"}),
    "skills:lesson": ("get", lambda w: [w.client.pk, _lesson_assignment(w).pk], CARE_TEAM),
    "skills:my_lesson": ("get", lambda w: [_lesson_assignment(w).pk], OWN),
    "skills:practice_lessons": ("get", _none, ADMIN),
    "skills:practice_lesson_create": ("get", _none, ADMIN),
    "skills:practice_lesson_edit": ("get", _practice_lesson, ADMIN),
    "skills:rung": ("get", _client_rung, CARE_TEAM),
    "skills:my_rung": ("get", _my_rung, OWN),
    "skills:exposure_plan": ("get", _client_rung, CARE_TEAM),
    "skills:my_exposure_plan": ("get", _my_rung, OWN),
    "skills:exposure_new": ("get", _client_rung, CARE_TEAM),
    "skills:my_exposure_new": ("get", _my_rung, OWN),
    "skills:exposures": ("get", _client, CARE_TEAM),
    "skills:my_exposures": ("get", _none, CLIENTS),
    "skills:exposure_log": ("get", lambda w: [w.client.pk, _exposure(w).pk], CARE_TEAM),
    "skills:my_exposure_log": ("get", lambda w: [_exposure(w).pk], OWN),
    "skills:rung_decide": (
        "post",
        _client_rung,
        CARE_TEAM,
        {"decision": "keep"},
    ),
    "skills:thought_records": ("get", _client, CARE_TEAM),
    "skills:my_thought_records": ("get", _none, CLIENTS),
    "skills:thought_create": ("get", _client, CARE_TEAM),
    "skills:my_thought_create": ("get", _none, CLIENTS),
    "skills:thought_detail": ("get", _client_thought, CARE_TEAM),
    "skills:my_thought_detail": ("get", _my_thought, OWN),
    "skills:thought_edit": ("get", _client_thought, CARE_TEAM),
    "skills:my_thought_edit": ("get", _my_thought, OWN),
    "skills:thought_settings": ("get", _none, ADMIN),
    "skills:scenarios": ("get", _client, CARE_TEAM),
    "skills:my_scenarios": ("get", _none, CLIENTS),
    "skills:scenario_play": ("get", _client_scenario, CARE_TEAM),
    "skills:scenario_debrief": ("get", _client_scenario, CARE_TEAM),
    "skills:scenario_adapt": ("get", _client_scenario, CARE_TEAM),
    "skills:my_scenario_rehearse": ("get", lambda w: [SCENARIO], CLIENTS),
    "skills:rehearsals": ("get", _client, CARE_TEAM),
    "skills:my_rehearsals": ("get", _none, CLIENTS),
    "skills:practice_scenarios": ("get", _none, THERAPISTS),
    "skills:practice_scenario_create": ("get", _none, THERAPISTS),
    "skills:practice_scenario_edit": ("get", _practice_scenario, PRACTICE_THERAPISTS),
    "skills:starters": ("get", _client, CARE_TEAM),
    "skills:my_starters": ("get", _none, CLIENTS),
    "skills:starter_setting": ("get", lambda w: [w.client.pk, "club"], CARE_TEAM),
    "skills:my_starter_setting": ("get", lambda w: ["club"], CLIENTS),
    "skills:my_starter_favourite": ("post", _none, CLIENTS, {"key": "club-new-here"}),
    "skills:my_own_starter_create": ("get", _none, CLIENTS),
    "skills:my_starter_rehearse": ("get", _own_starter, OWN),
    "skills:practice_starters": ("get", _none, THERAPISTS),
    "skills:practice_starter_delete": ("post", _practice_starter, PRACTICE_THERAPISTS),
    "community:directory": ("get", _none, THERAPISTS),
    "community:resource_create": ("get", _none, THERAPISTS),
    "community:resource_detail": ("get", lambda w: [_resource(w).pk], PRACTICE_THERAPISTS),
    "community:resource_edit": ("get", lambda w: [_resource(w).pk], PRACTICE_THERAPISTS),
    "community:areas": ("get", _none, THERAPISTS),
    "community:area_create": ("get", _none, THERAPISTS),
    "community:area_edit": ("get", lambda w: [_area(w).pk], PRACTICE_THERAPISTS),
    "community:needs_location": ("get", _none, THERAPISTS),
    "community:locate": ("post", _none, THERAPISTS),
    "community:centroids": ("get", _none, ADMIN),
    "community:interests": ("get", _client, CARE_TEAM),
    "community:my_interests": ("get", _none, CLIENTS),
    "community:interests_step": ("get", lambda w: [w.client.pk, "areas"], CARE_TEAM),
    "community:my_interests_step": ("get", lambda w: ["details"], CLIENTS),
    "community:synonyms": ("get", _none, THERAPISTS),
    "community:synonym_delete": ("post", _synonym, PRACTICE_THERAPISTS),
    "community:suggestions": ("get", _client, CARE_TEAM),
    "community:my_suggestions": ("get", _none, CLIENTS),
    "community:mark": (
        "post",
        lambda w: [w.client.pk, _resource(w).pk],
        CARE_TEAM,
        {"state": "pinned"},
    ),
    "community:plan_create": ("get", lambda w: [w.client.pk, _resource(w).pk], CARE_TEAM),
    # Any client of the practice may plan to go to one of its resources.
    "community:my_plan_create": ("get", lambda w: [_resource(w).pk], CLIENTS),
    "community:plans": ("get", _client, CARE_TEAM),
    "community:my_plans": ("get", _none, CLIENTS),
    "community:plan": ("get", lambda w: [w.client.pk, _plan(w).pk], CARE_TEAM),
    "community:my_plan": ("get", lambda w: [_plan(w).pk], OWN),
    "community:plan_report": (
        "post",
        lambda w: [w.client.pk, _plan(w).pk],
        CARE_TEAM,
        {"went": "no"},
    ),
    "community:my_plan_report": ("post", lambda w: [_plan(w).pk], OWN, {"went": "no"}),
    "community:import_upload": ("get", _none, THERAPISTS),
    "community:import_preview": ("get", _pending_import, PRACTICE_THERAPISTS),
    "community:import_apply": ("post", _pending_import, PRACTICE_THERAPISTS),
    "community:import_mapping": ("post", _pending_import, PRACTICE_THERAPISTS),
    "community:feeds": ("get", _none, THERAPISTS),
    "community:feed_refresh": ("post", _calendar_source, PRACTICE_THERAPISTS),
    "journal:journal": ("get", _client, CARE_TEAM),
    "journal:my_journal": ("get", _none, CLIENTS),
    "journal:contact_add": ("post", _client, CARE_TEAM, {"kind": "event"}),
    "journal:my_contact_add": ("post", _none, CLIENTS, {"kind": "event"}),
    "journal:schedule": ("post", _client, CARE_TEAM, {"every_days": "14"}),
    "journal:my_check_in": ("get", _none, CLIENTS),
    "journal:insights": ("get", _client, CARE_TEAM),
    "journal:my_insights": ("get", _none, CLIENTS),
    "journal:my_insight_share": ("post", _none, CLIENTS, {"rule": "outing_day", "share": "1"}),
    "reports:my_prep": ("get", _none, CLIENTS),
    "reports:prep": ("get", _client, CARE_TEAM),
    "journal:reflections": ("get", _client, CARE_TEAM),
    "journal:my_reflections": ("get", _none, CLIENTS),
    "journal:reflection_create": ("get", _client, CARE_TEAM),
    "journal:my_reflection_create": ("get", _none, CLIENTS),
    "journal:my_reflection_edit": ("get", lambda w: [_reflection(w).pk], OWN),
    "journal:reflection_cadence": ("post", _client, CARE_TEAM, {"every_days": "30"}),
    "journal:map": ("get", _client, CARE_TEAM),
    "journal:my_map": ("get", _none, CLIENTS),
    "journal:map_history": ("get", _client, CARE_TEAM),
    "journal:my_map_history": ("get", _none, CLIENTS),
    "journal:my_person_add": (
        "post",
        _none,
        CLIENTS,
        {"name": "Sam", "circle": "3", "role": "neighbour", "touch": "monthly"},
    ),
    "journal:my_person_edit": ("get", lambda w: [_person(w).pk], OWN),
    "journal:my_person_move": ("post", lambda w: [_person(w).pk], OWN, {"circle": "1"}),
    "journal:my_person_remove": ("post", lambda w: [_person(w).pk], OWN),
    "journal:my_journey": ("get", _none, CLIENTS),
    "reports:my_calendar": ("get", _none, CLIENTS),
    "reports:calendar_link": ("post", _none, CLIENTS),
    "reports:calendar_wording": ("post", _none, CLIENTS, {"own_wording": "on"}),
    "reports:calendar_off": ("post", _none, CLIENTS),
    # Public: the secret link is the credential, so whoever holds it gets the feed.
    "reports:calendar_feed": ("get", _calendar_token, PUBLIC),
    "reports:progress_reports": ("get", _client, CARE_TEAM),
    "reports:my_progress_reports": ("get", _none, CLIENTS),
    "reports:progress_report": ("get", _client_report, CARE_TEAM),
    "reports:progress_report_pdf": ("get", _client_report, CARE_TEAM),
    "reports:my_progress_report_pdf": ("get", _my_report, OWN),
    "reports:my_export": ("get", _none, CLIENTS),
    "reports:export": ("get", _client, CARE_TEAM),
    "reports:admin_export": ("get", _client, ADMIN),
    # The link works only for the person who asked (here the client), holding it or not.
    "reports:export_status": ("get", _export_token, OWN),
    "reports:export_download": ("post", _export_token, OWN),
    "care:my_closure": ("get", _none, CLIENTS),
    "care:closure": ("get", _client, ADMIN),
}


def _url_names(patterns, namespace=""):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from _url_names(entry.url_patterns, inner)
        elif isinstance(entry, URLPattern) and entry.name:
            yield namespace + entry.name


def test_every_url_is_in_the_matrix():
    names = set(_url_names(get_resolver().url_patterns))
    assert names - set(MATRIX) == set(), "add these URLs to the access matrix"
    assert set(MATRIX) - names == set(), "these matrix entries name no URL"


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("name", sorted(MATRIX))
def test_access(world, name, persona):
    method, args, expected, *data = MATRIX[name]
    url = reverse(name, args=args(world))
    response = getattr(world.as_(persona), method)(url, *data)
    outcome = expected[persona]
    login = reverse("accounts:login")
    if outcome == LOGIN:
        assert response.status_code == 302
        assert response["Location"].startswith(f"{login}?next=")
    elif outcome == NOT_FOUND:
        assert response.status_code == 404
    else:
        assert response.status_code in (200, 302), response.status_code
        signing_out = name in {"accounts:logout", "accounts:sign_out_everywhere"}
        if response.status_code == 302 and persona != "anonymous" and not signing_out:
            assert not response["Location"].startswith(login)
