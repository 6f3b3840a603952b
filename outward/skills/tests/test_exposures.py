"""Exposures: planning and logging attempts at a rung, the rung page and its charts, the list,
Today, the ready-for-next-rung suggestion and the therapist's decision, plans attended read
through the happenings registry, and the caseload column."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from outward.care import happenings
from outward.care.models import AuditEvent
from outward.community.models import Plan, Resource
from outward.community.plans import services as plan_services
from outward.goals import services as goal_services
from outward.goals.models import Win
from outward.lib.periods import local_date
from outward.skills import selectors, services
from outward.skills.models import Exposure, FearLadder, Rung, RungDecision


def make_rung(client, situation="Say hello to a neighbour", expected_suds=40, source_ref=""):
    ladder = FearLadder.objects.filter(client=client).first() or FearLadder.objects.create(
        client=client, author=client.user, title="Meeting people"
    )
    return Rung.objects.create(
        client=client,
        author=client.user,
        ladder=ladder,
        situation=situation,
        expected_suds=expected_suds,
        source_ref=source_ref,
        source=Rung.Source.RESOURCE if source_ref else Rung.Source.TYPED,
    )


BEFORE = {"prediction": "They will ignore me", "likelihood": 70, "expected_suds": 60}


def log(rung, peak, **fields):
    return services.exposure_log(
        rung=rung, author=rung.client.user, ip=None, **{**BEFORE, "suds_peak": peak, **fields}
    )


# Services --------------------------------------------------------------------------------------


def test_logging_an_attempt_counts_and_starts_the_rung(world):
    rung = make_rung(world.client)

    exposure = log(rung, 55, suds_start=30, suds_end=20, came_true="no", learned="It was fine")

    assert exposure.is_logged and exposure.suds_peak == 55
    rung.refresh_from_db()
    assert rung.status == Rung.Status.PRACTISING
    assert AuditEvent.objects.filter(client=world.client, action=AuditEvent.Action.CREATE).exists()
    # Goals heard of it: a first time is a win.
    assert Win.objects.filter(client=world.client, source="first:skills.exposure").exists()


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"suds_peak": 150}, "suds_peak"),
        ({"likelihood": 101}, "likelihood"),
        ({"prediction": "  "}, "prediction"),
        ({"suds_peak": None}, "suds_peak"),
    ],
)
def test_bad_input_is_refused_and_writes_nothing(world, fields, field):
    rung = make_rung(world.client)

    with pytest.raises(ValidationError) as refused:
        services.exposure_log(
            rung=rung, author=world.client.user, ip=None, **{**BEFORE, "suds_peak": 50, **fields}
        )

    assert field in refused.value.error_dict
    assert not Exposure.objects.exists()


def test_the_database_refuses_a_suds_of_150_too(world):
    rung = make_rung(world.client)
    with pytest.raises(IntegrityError), transaction.atomic():
        Exposure.objects.create(
            client=world.client,
            author=world.client.user,
            rung=rung,
            occurred=timezone.now(),
            suds_peak=150,
            **BEFORE,
        )


def test_an_exposure_on_someone_elses_rung_is_refused(world):
    olives_rung = make_rung(world.other_client)
    exposure = Exposure(client=world.client, rung=olives_rung, author=world.client.user, **BEFORE)

    with pytest.raises(ValidationError) as refused:
        services._check(exposure, logging=False)

    assert "rung" in refused.value.error_dict


def test_plan_then_log_completes_once(world):
    rung = make_rung(world.client)
    planned = services.exposure_plan(
        rung=rung, author=world.client.user, planned_for=datetime.date.today(), ip=None, **BEFORE
    )
    assert not planned.is_logged

    services.exposure_complete(exposure=planned, actor=world.client.user, ip=None, suds_peak=30)

    planned.refresh_from_db()
    assert planned.is_logged and planned.suds_peak == 30
    with pytest.raises(ValidationError):
        services.exposure_complete(exposure=planned, actor=world.client.user, ip=None, suds_peak=5)
    planned.refresh_from_db()
    assert planned.suds_peak == 30


def test_an_attempt_counts_toward_a_goal_cadence(world):
    goal = goal_services.goal_create(
        client=world.client,
        author=world.therapist.user,
        title="Practise once a week",
        cadence_count=1,
        cadence_period="week",
        counts_kind=selectors.EXPOSURE,
        ip=None,
    )
    log(make_rung(world.client), 50)

    assert Win.objects.filter(client=world.client, source__startswith=f"target:{goal.pk}:").exists()


# The rule and the therapist's decision ---------------------------------------------------------


def test_confirming_a_ready_rung_is_a_win(world):
    rung = make_rung(world.client)
    log(rung, 35)
    log(rung, 30)
    attempts = selectors.attempts_by_rung([rung], viewer=world.therapist.user)[rung.pk]
    assert selectors.rung_state(rung=rung, attempts=attempts).waiting

    services.rung_decide(rung=rung, therapist=world.therapist.user, decision="done", ip=None)

    rung.refresh_from_db()
    assert rung.status == Rung.Status.DONE and rung.done_at is not None
    win = Win.objects.get(client=world.client, source=f"skills.rung:{rung.pk}")
    assert rung.situation in win.text


def test_keep_practising_rests_until_the_next_attempt(world):
    rung = make_rung(world.client)
    log(rung, 35)
    log(rung, 30)
    services.rung_decide(rung=rung, therapist=world.therapist.user, decision="keep", ip=None)

    def waiting():
        attempts = selectors.attempts_by_rung([rung], viewer=None)[rung.pk]
        return selectors.rung_state(rung=rung, attempts=attempts).waiting

    assert not waiting()
    rung.refresh_from_db()
    assert rung.status == Rung.Status.PRACTISING
    log(rung, 25)
    assert waiting()


# A plan attended is an attempt too ---------------------------------------------------------------


def _went(world, resource, *, predicted, actual):
    plan = Plan.objects.create(
        client=world.client,
        author=world.client.user,
        resource=resource,
        when=timezone.now() - datetime.timedelta(days=1),
        predicted_anxiety=predicted,
    )
    return plan_services.plan_report(
        plan=plan, went=True, actor=world.client.user, ip=None, actual_anxiety=actual
    )


def test_plans_attended_at_the_rungs_group_are_its_attempts(world):
    resource = Resource.objects.create(practice=world.practice, name="Choir", kind="group")
    other = Resource.objects.create(practice=world.practice, name="Chess", kind="group")
    rung = make_rung(
        world.client, "Go to the choir", source_ref=f"community.resource:{resource.pk}"
    )
    _went(world, resource, predicted=80, actual=40)
    _went(world, other, predicted=90, actual=90)

    attempts = selectors.attempts_by_rung([rung], viewer=world.therapist.user)[rung.pk]

    assert [(a.expected_suds, a.suds_peak, a.is_plan) for a in attempts] == [(80, 40, True)]
    page = world.as_("client").get(f"/me/skills/rungs/{rung.pk}/").text
    assert f'href="/me/plans/{attempts[0].plan_id}/"' in page
    # Nothing was copied: there is no exposure row for the plan.
    assert not Exposure.objects.exists()
    log(rung, 20)  # 40 → 20: halved from the first attempt
    attempts = selectors.attempts_by_rung([rung], viewer=None)[rung.pk]
    assert selectors.rung_state(rung=rung, attempts=attempts).readiness.ready


def test_the_provider_answers_for_exposures_and_finished_rungs(world):
    rung = make_rung(world.client)
    log(rung, 30)
    log(rung, 30)
    services.rung_decide(rung=rung, therapist=world.therapist.user, decision="done", ip=None)
    now = timezone.now()

    found = happenings.happenings(
        client_ids=[world.client.pk],
        start=now - datetime.timedelta(hours=1),
        end=now + datetime.timedelta(hours=1),
        kinds=[selectors.EXPOSURE, selectors.RUNG_DONE],
    )

    assert sorted(h.kind for h in found) == [selectors.EXPOSURE] * 2 + [selectors.RUNG_DONE]
    assert found[0].numbers == {"expected_suds": 60, "peak_suds": 30}


# Views -------------------------------------------------------------------------------------------


def rung_url(persona, world, rung, tail=""):
    base = "/me/skills" if persona == "client" else f"/clients/{world.client.pk}/skills"
    return f"{base}/rungs/{rung.pk}/{tail}"


POSTED_LOG = {**BEFORE, "suds_peak": "45", "suds_start": "30", "came_true": "partly"}


@pytest.mark.parametrize("persona", ["client", "therapist"])
def test_logging_through_the_page(world, persona):
    rung = make_rung(world.client)

    response = world.as_(persona).post(rung_url(persona, world, rung, "log/"), POSTED_LOG)

    assert response.status_code == 302
    exposure = Exposure.objects.get()
    assert (exposure.suds_peak, exposure.came_true, exposure.author) == (
        45,
        "partly",
        world.user(persona),
    )


@pytest.mark.parametrize("change", [{"suds_peak": "150"}, {"prediction": ""}, {"likelihood": "-1"}])
def test_bad_input_gets_a_message_and_writes_nothing(world, change):
    rung = make_rung(world.client)

    response = world.as_("client").post(
        rung_url("client", world, rung, "log/"), {**POSTED_LOG, **change}
    )

    assert response.status_code == 200
    assert 'class="error"' in response.text
    assert not Exposure.objects.exists()


@pytest.mark.parametrize("persona", ["client", "therapist"])
def test_someone_elses_rung_is_not_found(world, persona):
    olives_rung = make_rung(world.other_client)

    for tail in ("", "log/", "plan/"):
        response = world.as_(persona).post(rung_url(persona, world, olives_rung, tail), POSTED_LOG)
        assert response.status_code in (404, 405)
    assert world.as_(persona).get(rung_url(persona, world, olives_rung)).status_code == 404
    assert not Exposure.objects.exists()


def test_strangers_get_404(world):
    rung = make_rung(world.client)
    for persona in ("colleague", "stranger"):
        http = world.as_(persona)
        assert http.get(rung_url("therapist", world, rung)).status_code == 404
        assert http.post(rung_url("therapist", world, rung, "log/"), POSTED_LOG).status_code == 404
    assert not Exposure.objects.exists()


def test_a_prediction_that_came_true_leads_to_a_thought_record(world):
    rung = make_rung(world.client)
    came_true = log(rung, 70, came_true="yes")
    did_not = log(rung, 40, came_true="no")

    page = world.as_("client").get(rung_url("client", world, rung)).text
    form = world.as_("client").get(f"/me/skills/thoughts/new/?from=skills.exposure:{came_true.pk}")

    assert f"/me/skills/thoughts/new/?from=skills.exposure:{came_true.pk}" in page
    assert f"?from=skills.exposure:{did_not.pk}" not in page
    assert f'value="skills.exposure:{came_true.pk}"' in form.text  # the thought record keeps it


def test_the_rung_page_shows_attempts_charts_and_is_audited(world):
    rung = make_rung(world.client)
    log(rung, 70, came_true="no")
    log(rung, 30, came_true="partly")

    response = world.as_("therapist").get(rung_url("therapist", world, rung))

    assert response.status_code == 200
    assert response.text.count('<svg class="chart suds-chart"') == 3
    assert "<table" in response.text
    assert "Ready for the next rung?" in response.text  # 70 → 30: more than halved
    assert AuditEvent.objects.filter(
        client=world.client, action=AuditEvent.Action.VIEW, actor=world.therapist.user
    ).exists()


@pytest.mark.parametrize("part", ["plan", "log"])
def test_opening_the_plan_or_log_form_is_an_audited_look(world, part):
    # The form shows the rung's situation, so the care team's look is recorded, as on the
    # rung's own page and its edit form.
    rung = make_rung(world.client)

    response = world.as_("therapist").get(
        f"/clients/{world.client.pk}/skills/rungs/{rung.pk}/{part}/"
    )

    assert response.status_code == 200
    assert AuditEvent.objects.filter(
        action=AuditEvent.Action.VIEW, actor=world.therapist.user, target=f"rung:{rung.pk}"
    ).exists()


def test_the_client_sees_encouragement_and_no_decision_form(world):
    rung = make_rung(world.client)
    log(rung, 30)
    log(rung, 30)

    response = world.as_("client").get(rung_url("client", world, rung))

    assert "Looking ready for the next step" in response.text
    assert "decide/" not in response.text


def test_the_therapist_confirms_through_the_page(world):
    rung = make_rung(world.client)
    log(rung, 30)
    log(rung, 30)

    response = world.as_("therapist").post(
        rung_url("therapist", world, rung, "decide/"), {"decision": "done", "note": "Well done"}
    )

    assert response.status_code == 302
    rung.refresh_from_db()
    assert rung.status == Rung.Status.DONE
    assert RungDecision.objects.get().note == "Well done"
    assert Win.objects.filter(source=f"skills.rung:{rung.pk}").exists()


def test_the_client_cannot_decide(world):
    rung = make_rung(world.client)
    response = world.as_("client").post(
        f"/clients/{world.client.pk}/skills/rungs/{rung.pk}/decide/", {"decision": "done"}
    )

    assert response.status_code == 404
    rung.refresh_from_db()
    assert rung.status == Rung.Status.NOT_TRIED


def test_a_planned_attempt_is_due_on_today_and_logged_from_there(world):
    rung = make_rung(world.client)
    today = local_date(timezone.now(), world.client.user.time_zone)
    planned = services.exposure_plan(
        rung=rung, author=world.client.user, planned_for=today, ip=None, **BEFORE
    )

    items = happenings.due_items(client=world.client, day=today)

    item = next(item for item in items if item.key == f"exposure:{planned.pk}")
    assert item.open_url == f"/me/skills/exposures/{planned.pk}/log/"
    response = world.as_("client").post(item.open_url, {"suds_peak": "35", "learned": "Fine"})
    assert response.status_code == 302
    planned.refresh_from_db()
    assert planned.is_logged
    assert not [
        i for i in happenings.due_items(client=world.client, day=today) if i.key == item.key
    ]


def test_planning_through_the_page(world):
    rung = make_rung(world.client)
    day = (timezone.now() + datetime.timedelta(days=3)).date().isoformat()

    response = world.as_("client").post(
        rung_url("client", world, rung, "plan/"), {**BEFORE, "planned_for": day}
    )

    assert response.status_code == 302
    assert Exposure.objects.get().planned_for.isoformat() == day


# Query counts ----------------------------------------------------------------------------------


def _fill(world, rungs, count):
    for rung in rungs:
        for n in range(count):
            log(rung, 30 + n)


@pytest.mark.parametrize("persona", ["client", "therapist"])
def test_the_rung_page_query_count_is_constant(world, persona, django_assert_max_num_queries):
    resource = Resource.objects.create(practice=world.practice, name="Choir", kind="group")
    rung = make_rung(world.client, source_ref=f"community.resource:{resource.pk}")
    url = rung_url(persona, world, rung)
    http = world.as_(persona)
    _fill(world, [rung], 2)
    _went(world, resource, predicted=60, actual=50)
    http.get(url)
    with django_assert_max_num_queries(16) as few:
        assert http.get(url).status_code == 200
    _fill(world, [rung], 25)
    for _n in range(5):
        _went(world, resource, predicted=60, actual=50)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert http.get(url).status_code == 200


@pytest.mark.parametrize("persona", ["client", "therapist"])
def test_the_exposure_list_query_count_is_constant(world, persona, django_assert_max_num_queries):
    url = (
        "/me/skills/exposures/"
        if persona == "client"
        else f"/clients/{world.client.pk}/skills/exposures/"
    )
    http = world.as_(persona)
    rungs = [make_rung(world.client, f"Step {n}") for n in range(3)]
    _fill(world, rungs, 1)
    http.get(url)
    with django_assert_max_num_queries(16) as few:
        assert http.get(url).status_code == 200
    _fill(world, rungs, 10)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = http.get(url)
    assert response.text.count('<li class="card">') == 20


def test_the_caseload_column_counts_rungs_waiting_in_constant_queries(
    world, django_assert_max_num_queries
):
    rung = make_rung(world.client)
    log(rung, 30)
    log(rung, 30)
    now = timezone.now()
    clients = [world.client, world.other_client]

    with django_assert_max_num_queries(5) as few:
        cells = selectors.ready_cell(clients, now)
    assert cells[world.client.pk].text == "1 ready"
    assert world.other_client.pk not in cells

    for n in range(5):
        _fill(world, [make_rung(world.client, f"More {n}")], 3)
        _fill(world, [make_rung(world.other_client, f"Olive {n}")], 3)
    with django_assert_max_num_queries(len(few.captured_queries)):
        cells = selectors.ready_cell(clients, now)
    assert cells[world.other_client.pk].text == "5 ready"

    response = world.as_("therapist").get("/caseload/")
    assert "Ready for next rung" in response.text


def test_the_client_sees_the_therapists_word_on_a_finished_rung(world):
    rung = make_rung(world.client)
    log(rung, 30)
    log(rung, 30)
    services.rung_decide(
        rung=rung, therapist=world.therapist.user, decision="done", note="So proud", ip=None
    )

    response = world.as_("client").get(rung_url("client", world, rung))

    assert "You finished this step. Well done!" in response.text
    assert "So proud" in response.text
    assert "Plan an attempt" not in response.text
