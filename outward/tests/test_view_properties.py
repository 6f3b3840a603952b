"""The pages that write, posted anything at all by the person allowed to post there: never a
500, and a refused post writes nothing (issue 8). The audit log and failed-login records are
written on purpose whatever the outcome, so they are not counted."""

import pytest
from django.apps import apps
from django.db import connection, transaction
from django.urls import reverse
from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from outward.accounts import forms as accounts_forms
from outward.care import forms as care_forms
from outward.community import forms as community_forms
from outward.community import services as community_services
from outward.community.directory import forms as directory_forms
from outward.community.imports import forms as import_forms
from outward.community.interests import forms as interest_forms
from outward.community.interests import selectors as interest_selectors
from outward.community.models import Interest
from outward.community.plans import forms as plan_forms
from outward.community.plans import selectors as plan_selectors
from outward.goals import forms as goals_forms
from outward.journal import forms as journal_forms
from outward.measures import forms as measures_forms
from outward.reports import forms as reports_forms
from outward.skills import forms as skills_forms
from outward.skills.roleplay import forms as roleplay_forms
from outward.skills.starters import forms as starter_forms
from outward.tests.properties import ANY_VALUE, form_data
from outward.tests.test_access_matrix import (
    _area,
    _assignment,
    _client,
    _client_alert,
    _client_goal,
    _client_ladder,
    _client_rung,
    _client_scenario,
    _client_step,
    _client_thought,
    _client_win,
    _goal,
    _lesson_assignment,
    _my_goal,
    _my_ladder,
    _my_rung,
    _my_step,
    _my_thought,
    _none,
    _note,
    _own_starter,
    _pending_import,
    _person,
    _plan,
    _practice_lesson,
    _practice_scenario,
    _practice_starter,
    _reflection,
    _resource,
)
from outward.tests.test_form_properties import FORMS

NOT_COUNTED = {"care.AuditEvent", "accounts.LoginFailure"}
OUTWARD_APPS = {
    "accounts",
    "care",
    "community",
    "goals",
    "journal",
    "measures",
    "reports",
    "skills",
}


def _models():
    return [
        model
        for model in apps.get_models()
        if model._meta.app_label in OUTWARD_APPS and model._meta.label not in NOT_COUNTED
    ]


def _rows() -> dict[str, int]:
    """Every counted table's rows, in one query (two per example, not seventy)."""
    labels = [model._meta.label for model in _models()]
    tables = [connection.ops.quote_name(model._meta.db_table) for model in _models()]
    counts = ", ".join(f"(SELECT COUNT(*) FROM {table})" for table in tables)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {counts}")  # noqa: S608 (table names from the models)
        return dict(zip(labels, cursor.fetchone(), strict=True))


def _refuse_nul(execute, sql, params, many, context):
    """PostgreSQL refuses NUL in a text parameter and a \\u0000 escape in jsonb (a 500 there);
    SQLite stores both. Refuse them here too, so the SQLite run finds what PostgreSQL would."""
    for param in () if many else params or ():
        if isinstance(param, str):
            assert "\x00" not in param and "\\u0000" not in param, f"NUL sent in: {sql}"
    return execute(sql, params, many, context)


def _lines(world):
    """The opening lines the plan pages offer (the client's starters for the resource)."""
    return plan_selectors.opening_line_choices(
        client=world.client, viewer=world.client.user, resource=_resource(world)
    )


def _details_kwargs(world):
    """The details step lists the narrower interests of the areas the client ticked: tick two
    (and a sport, with its shortlist), as the step before would."""
    areas = list(Interest.objects.filter(key__in=["games", "music", "sport-and-movement"]))
    profile = community_services.profile_save(
        client=world.client,
        actor=world.client.user,
        interests=dict.fromkeys(areas, 2),
        free_windows=[],
        ip=None,
    )
    return {"groups": interest_selectors.detail_groups(areas=areas, profile=profile)}


def _plan_create_kwargs(world):
    return {"times": [], "time_zone": world.client.user.time_zone, "opening_lines": _lines(world)}


def _plan_before_kwargs(world):
    return {"opening_lines": _lines(world)}


# url name: (persona, url args from the world, form, form kwargs from the world or None for
# the form's own entry in FORMS)
WRITES = {
    "accounts:login": ("anonymous", _none, accounts_forms.LoginForm, None),
    "accounts:account": ("client", _none, accounts_forms.ProfileForm, None),
    "care:client_create": ("therapist", _none, care_forms.ClientCreateForm, None),
    "care:client_edit": ("therapist", _client, care_forms.ClientEditForm, None),
    "care:client_invitation_email": ("therapist", _client, care_forms.InvitationEmailForm, None),
    "care:session_notes": ("therapist", _client, care_forms.SessionNoteForm, None),
    "care:session_note_edit": ("therapist", _note, care_forms.SessionNoteForm, None),
    "care:practice": ("admin", _none, care_forms.PracticeSettingsForm, None),
    "care:staff_invite": ("admin", _none, care_forms.StaffInviteForm, None),
    "care:my_closure": ("client", _none, care_forms.ClosureRequestForm, None),
    "care:closure": (
        "admin",
        _client,
        care_forms.ClosureDecisionForm,
        lambda w: {"can_decline": False},
    ),
    "care:my_reminders": ("client", _none, care_forms.ReminderForm, None),
    "community:resource_create": ("therapist", _none, community_forms.ResourceForm, None),
    "community:resource_edit": (
        "therapist",
        lambda w: [_resource(w).pk],
        community_forms.ResourceForm,
        None,
    ),
    # One step each way here; every step of the inventory is posted anything at all in
    # community/tests/test_inventory_steps.py.
    "community:my_interests_step": (
        "client",
        lambda w: ["times"],
        interest_forms.TimesForm,
        None,
    ),
    "community:interests_step": (
        "therapist",
        lambda w: [w.client.pk, "details"],
        interest_forms.DetailsForm,
        _details_kwargs,
    ),
    "community:synonyms": ("therapist", _none, interest_forms.SynonymForm, None),
    "community:import_mapping": (
        "therapist",
        _pending_import,
        import_forms.ColumnMappingForm,
        lambda w: {"header": ["id", "Name", "Type"], "mapping": ["id", "name", "kind"]},
    ),
    "community:import_apply": ("therapist", _pending_import, import_forms.ApplyForm, None),
    "community:area_create": ("therapist", _none, directory_forms.AreaForm, None),
    "community:area_edit": (
        "therapist",
        lambda w: [_area(w).pk],
        directory_forms.AreaForm,
        None,
    ),
    "community:centroids": ("admin", _none, directory_forms.CentroidFileForm, None),
    "community:my_plan_create": (
        "client",
        lambda w: [_resource(w).pk],
        plan_forms.PlanCreateForm,
        _plan_create_kwargs,
    ),
    "community:plan_create": (
        "therapist",
        lambda w: [w.client.pk, _resource(w).pk],
        plan_forms.PlanCreateForm,
        _plan_create_kwargs,
    ),
    "community:my_plan": (
        "client",
        lambda w: [_plan(w).pk],
        plan_forms.PlanBeforeForm,
        _plan_before_kwargs,
    ),
    "community:my_plan_report": (
        "client",
        lambda w: [_plan(w).pk],
        plan_forms.PlanReportForm,
        None,
    ),
    "goals:goal_create": ("therapist", _client, goals_forms.GoalCreateForm, None),
    "goals:my_goal_create": ("client", _none, goals_forms.GoalCreateForm, None),
    "goals:goal_edit": ("therapist", _client_goal, goals_forms.GoalEditForm, None),
    "goals:my_step_add": ("client", _my_goal, goals_forms.StepForm, None),
    "goals:step_edit": ("therapist", _client_step, goals_forms.StepForm, None),
    "goals:my_step_edit": ("client", _my_step, goals_forms.StepForm, None),
    "goals:goal_review": ("therapist", _client_goal, goals_forms.ReviewForm, None),
    "goals:my_win_add": ("client", _none, goals_forms.WinForm, None),
    "goals:win_acknowledge": ("therapist", _client_win, goals_forms.AcknowledgeForm, None),
    "goals:smart_check": ("client", _none, goals_forms.GoalCreateForm, None),
    "journal:my_check_in": ("client", _none, journal_forms.CheckInForm, None),
    "journal:my_contact_add": ("client", _none, journal_forms.ContactForm, None),
    "journal:contact_add": ("therapist", _client, journal_forms.CareTeamContactForm, None),
    "journal:schedule": ("therapist", _client, journal_forms.ScheduleForm, None),
    "journal:my_insight_share": ("client", _none, journal_forms.InsightShareForm, None),
    "journal:my_reflection_create": ("client", _none, journal_forms.ReflectionForm, None),
    "journal:reflection_create": (
        "therapist",
        _client,
        journal_forms.CareTeamReflectionForm,
        None,
    ),
    "journal:my_reflection_edit": (
        "client",
        lambda w: [_reflection(w).pk],
        journal_forms.ReflectionForm,
        None,
    ),
    "journal:reflection_cadence": (
        "therapist",
        _client,
        journal_forms.ReflectionCadenceForm,
        None,
    ),
    "journal:my_person_add": ("client", _none, journal_forms.PersonAddForm, None),
    "journal:my_person_edit": (
        "client",
        lambda w: [_person(w).pk],
        journal_forms.PersonForm,
        None,
    ),
    "journal:my_person_move": (
        "client",
        lambda w: [_person(w).pk],
        journal_forms.PersonCircleForm,
        None,
    ),
    "measures:measures": ("therapist", _client, measures_forms.AssignForm, None),
    "measures:enter": (
        "therapist",
        lambda w: [w.client.pk, "phq9"],
        measures_forms.WholeResponseForm,
        None,
    ),
    "measures:readiness": ("therapist", _client, measures_forms.ReadinessForm, None),
    "measures:alert_acknowledge": (
        "therapist",
        _client_alert,
        measures_forms.AlertAcknowledgeForm,
        None,
    ),
    "measures:my_questionnaire": (
        "client",
        lambda w: [_assignment(w).pk],
        measures_forms.OneAnswerForm,
        None,
    ),
    "measures:practice_measures": ("admin", _none, measures_forms.CrisisTextForm, None),
    "measures:crisis_line_add": ("admin", _none, measures_forms.CrisisLineForm, None),
    "measures:questionnaire_import": (
        "admin",
        _none,
        measures_forms.QuestionnaireUploadForm,
        None,
    ),
    "reports:calendar_wording": ("client", _none, reports_forms.WordingForm, None),
    "reports:my_prep": ("client", _none, reports_forms.PrepApproveForm, None),
    "reports:progress_reports": ("therapist", _client, reports_forms.ProgressReportForm, None),
    "skills:my_ladder_create": ("client", _none, skills_forms.LadderForm, None),
    "skills:ladder_edit": ("therapist", _client_ladder, skills_forms.LadderForm, None),
    "skills:my_rung_add": ("client", _my_ladder, skills_forms.RungForm, None),
    "skills:rung_edit": ("therapist", _client_rung, skills_forms.RungEditForm, None),
    "skills:my_rung_library": ("client", _my_ladder, skills_forms.PickForm, None),
    "skills:rung_from": (
        "therapist",
        lambda w: [*_client_ladder(w), "resource"],
        skills_forms.PickForm,
        None,
    ),
    "skills:lesson_assign": ("therapist", _client, skills_forms.LessonAssignForm, None),
    "skills:my_lesson": (
        "client",
        lambda w: [_lesson_assignment(w).pk],
        skills_forms.LessonReadForm,
        None,
    ),
    "skills:practice_lesson_create": ("admin", _none, skills_forms.PracticeLessonForm, None),
    "skills:practice_lesson_edit": (
        "admin",
        _practice_lesson,
        skills_forms.PracticeLessonForm,
        None,
    ),
    "skills:my_exposure_new": (
        "client",
        _my_rung,
        skills_forms.ExposureLogForm,
        None,
    ),
    "skills:my_exposure_plan": (
        "client",
        _my_rung,
        skills_forms.ExposurePlanForm,
        None,
    ),
    "skills:rung_decide": (
        "therapist",
        _client_rung,
        skills_forms.RungDecisionForm,
        None,
    ),
    "skills:my_thought_create": ("client", _none, skills_forms.ThoughtRecordForm, None),
    "skills:thought_create": ("therapist", _client, skills_forms.CareTeamThoughtRecordForm, None),
    "skills:my_thought_edit": ("client", _my_thought, skills_forms.ThoughtRecordForm, None),
    "skills:thought_edit": (
        "therapist",
        _client_thought,
        skills_forms.CareTeamThoughtRecordForm,
        None,
    ),
    "skills:thought_settings": ("admin", _none, skills_forms.ThoughtSettingsForm, None),
    "skills:practice_scenario_create": (
        "therapist",
        _none,
        roleplay_forms.PracticeScenarioForm,
        None,
    ),
    "skills:practice_scenario_edit": (
        "therapist",
        _practice_scenario,
        roleplay_forms.PracticeScenarioForm,
        None,
    ),
    "skills:scenario_adapt": (
        "therapist",
        _client_scenario,
        roleplay_forms.ScenarioAdaptForm,
        None,
    ),
    "skills:scenario_debrief": (
        "therapist",
        _client_scenario,
        roleplay_forms.RolePlayDebriefForm,
        None,
    ),
    "skills:my_scenario_rehearse": (
        "client",
        lambda w: ["first-class-arrival"],
        roleplay_forms.AloneRehearsalForm,
        None,
    ),
    "skills:my_starter_favourite": ("client", _none, starter_forms.FavouriteForm, None),
    "skills:my_own_starter_create": ("client", _none, starter_forms.OwnStarterForm, None),
    "skills:my_starter_rehearse": (
        "client",
        _own_starter,
        starter_forms.StarterRehearsalForm,
        None,
    ),
    "skills:practice_starters": ("therapist", _none, starter_forms.PracticeStarterForm, None),
}


@pytest.mark.parametrize("name", WRITES)
def test_no_post_makes_a_500_or_a_partial_write(world, name):
    """One world per page. Each example runs in a savepoint that is rolled back, so examples
    cannot change each other's outcome (a plan made by one would 404 the next) and a
    failure replays the same way when Hypothesis shrinks it."""
    persona, args, form_class, make_kwargs = WRITES[name]
    url = reverse(name, args=args(world))
    http = world.as_(persona)
    http.get(url)  # opening a questionnaire keeps an in-progress response: not the post's write
    kwargs = (make_kwargs or FORMS[form_class])(world)
    fields = form_class(**kwargs).fields
    examples = min(20, hypothesis_settings.default.max_examples)

    @hypothesis_settings(max_examples=examples)
    @given(form_data(fields))
    def check(posted):
        data, files = posted
        with transaction.atomic():
            valid = form_class(data, files, **kwargs).is_valid()
            before = _rows()
            for upload in files.values():
                upload.seek(0)
            with connection.execute_wrapper(_refuse_nul):
                response = http.post(url, {**data, **files})
            assert response.status_code < 500
            if not valid:
                assert _rows() == before, "a refused post wrote a row"
            transaction.set_rollback(True)

    check()


def _step(world):
    return [_goal(world).steps.get().pk]


# Parameters views read by hand, outside a form: url name: (persona, method, url args, names).
HAND_PARSED = {
    "accounts:login": ("anonymous", "post", _none, ["email", "password", "next"]),
    "accounts:two_factor": ("client", "post", _none, ["device", "code"]),
    "care:caseload": ("therapist", "get", _none, ["q", "status", "page"]),
    "care:practice_clients": ("admin", "get", _none, ["q", "page"]),
    "care:security_log": (
        "admin",
        "get",
        _none,
        ["action", "actor", "date_from", "date_to", "page"],
    ),
    "care:staff_active": ("admin", "post", lambda w: [w.colleague.pk], ["active"]),
    "care:care_team": ("admin", "post", _client, ["therapist", "remove"]),
    "community:directory": ("therapist", "get", _none, ["q", "kind", "page"]),
    "community:needs_location": ("therapist", "get", _none, ["page"]),
    "community:resource_edit": ("therapist", "post", lambda w: [_resource(w).pk], ["next"]),
    "skills:my_exposures": ("client", "get", _none, ["page"]),
    "reports:progress_reports": ("therapist", "get", _client, ["page"]),
    "reports:my_progress_reports": ("client", "get", _none, ["page"]),
    "goals:goal_create": ("therapist", "get", _client, ["start"]),
    "skills:my_thought_create": ("client", "get", _none, ["from"]),
    "skills:my_own_starter_create": ("client", "get", _none, ["setting"]),
    "journal:my_reflection_create": ("client", "get", _none, ["about", "from", "prompt"]),
    "journal:my_map_history": ("client", "get", _none, ["since", "until", "page"]),
    "journal:my_journey": ("client", "get", _none, ["month"]),
    "journal:my_person_remove": ("client", "post", lambda w: [_person(w).pk], ["confirmed"]),
    "goals:step_done": ("client", "post", _step, ["next"]),
    "goals:my_step_move": ("client", "post", _my_step, ["direction"]),
    "goals:step_delete": ("therapist", "post", _client_step, ["confirmed"]),
    "goals:my_goal_delete": ("client", "post", _my_goal, ["confirmed"]),
    "measures:my_questionnaire": (
        "client",
        "post",
        lambda w: [_assignment(w).pk],
        ["item", "answer", "submit"],
    ),
    "measures:my_crisis": ("client", "get", _none, ["assignment"]),
    "skills:my_ladder": ("client", "get", _my_ladder, ["together"]),
    "skills:my_ladder_archive": ("client", "post", _my_ladder, ["archived"]),
    "skills:my_rung_status": ("client", "post", _my_rung, ["status", "together"]),
    "skills:rung_delete": ("therapist", "post", _client_rung, ["confirmed"]),
    "skills:practice_starter_delete": ("therapist", "post", _practice_starter, ["confirmed"]),
    "skills:my_rung_library": ("client", "post", _my_ladder, ["ref", "expected_suds", "together"]),
    "skills:my_rung_from": (
        "client",
        "post",
        lambda w: [*_my_ladder(w), "goal_step"],
        ["ref", "expected_suds"],
    ),
    "skills:rung_from": ("therapist", "get", lambda w: [*_client_ladder(w), "resource"], ["q"]),
    "accounts:keep_alive": ("client", "post", _none, ["next"]),
    "skills:practice_lesson_create": ("admin", "post", _none, ["preview", "title", "body"]),
    "skills:scenario_play": ("therapist", "get", _client_scenario, ["plays", "swapped", "started"]),
    "skills:scenario_debrief": (
        "therapist",
        "get",
        _client_scenario,
        ["plays", "swapped", "started"],
    ),
    "skills:my_scenarios": ("client", "get", _none, ["setting", "intensity", "page"]),
    "skills:my_rehearsals": ("client", "get", _none, ["page"]),
    "measures:practice_measures": (
        "admin",
        "post",
        _none,
        ["instrument", "enabled", "licence_confirmed"],
    ),
}


@pytest.mark.parametrize("name", HAND_PARSED)
def test_no_hand_parsed_parameter_makes_a_500(world, name):
    persona, method, args, names = HAND_PARSED[name]
    url = reverse(name, args=args(world))
    http = getattr(world.as_(persona), method)
    values = st.one_of(ANY_VALUE, st.sampled_from(["phq9", "1", "0", "/me/", "//evil.test/"]))
    examples = min(20, hypothesis_settings.default.max_examples)

    @hypothesis_settings(max_examples=examples)
    @given(st.fixed_dictionaries({}, optional=dict.fromkeys(names, values)))
    def check(data):
        with transaction.atomic():
            with connection.execute_wrapper(_refuse_nul):
                response = http(url, data)
            assert response.status_code < 500
            if response.status_code == 302:
                assert not response["Location"].startswith(("//", "http")), "an open redirect"
            transaction.set_rollback(True)

    check()
