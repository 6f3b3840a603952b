"""Every form in Outward, fed anything at all: `is_valid()` answers True or False, never
raises, and no date input is left unbounded (issue 8)."""

import datetime
import importlib
import inspect
import pathlib
import zoneinfo

import pytest
from django import forms
from hypothesis import given

from outward.accounts import forms as accounts_forms
from outward.accounts.models import User
from outward.care import forms as care_forms
from outward.care import happenings
from outward.community import forms as community_forms
from outward.community import selectors as community_selectors
from outward.community.directory import forms as directory_forms
from outward.community.imports import forms as import_forms
from outward.community.interests import forms as interest_forms
from outward.community.interests import selectors as interest_selectors
from outward.community.plans import forms as plan_forms
from outward.goals import forms as goals_forms
from outward.journal import forms as journal_forms
from outward.lib.forms import BoundedDateField
from outward.measures import catalog
from outward.measures import forms as measures_forms
from outward.reports import forms as reports_forms
from outward.skills import forms as skills_forms
from outward.skills import selectors as skills_selectors
from outward.skills.roleplay import forms as roleplay_forms
from outward.skills.starters import forms as starter_forms
from outward.tests.properties import form_data

FORM_MODULES = [
    "outward.accounts.forms",
    "outward.care.forms",
    "outward.community.forms",
    "outward.community.directory.forms",
    "outward.community.imports.forms",
    "outward.community.interests.forms",
    "outward.community.plans.forms",
    "outward.goals.forms",
    "outward.journal.forms",
    "outward.measures.forms",
    "outward.reports.forms",
    "outward.skills.forms",
    "outward.skills.roleplay.forms",
    "outward.skills.starters.forms",
]


def _phq9():
    return catalog.instrument("phq9")


def _soon():
    now = datetime.datetime.now(datetime.UTC)
    return [now + datetime.timedelta(days=2), now + datetime.timedelta(days=9)]


def _lines():
    return [
        happenings.OpeningLine("club-new-here", "Hi, I'm new.", favourite=True),
        happenings.OpeningLine("practice:1", "Which table is for beginners?"),
    ]


# How to make each form as its view does: a form missing here fails the coverage test below.
FORMS = {
    accounts_forms.LoginForm: lambda world: {},
    accounts_forms.CodeForm: lambda world: {},
    accounts_forms.SetPasswordForm: lambda world: {"user": world.client.user},
    accounts_forms.InvitationAcceptForm: lambda world: {"user": world.client.user},
    accounts_forms.ProfileForm: lambda world: {},
    accounts_forms.TwoFactorOffForm: lambda world: {},
    care_forms.ClientCreateForm: lambda world: {},
    care_forms.ClientEditForm: lambda world: {},
    care_forms.CaseloadFilterForm: lambda world: {},
    care_forms.SessionNoteForm: lambda world: {},
    care_forms.StaffInviteForm: lambda world: {},
    care_forms.PracticeSettingsForm: lambda world: {},
    care_forms.InvitationEmailForm: lambda world: {},
    care_forms.CareTeamForm: lambda world: {"therapists": User.objects.all()},
    care_forms.ReminderForm: lambda world: {},
    care_forms.SecurityLogFilterForm: lambda world: {},
    care_forms.ClosureRequestForm: lambda world: {},
    care_forms.ClosureDecisionForm: lambda world: {"can_decline": True},
    interest_forms.AreasForm: lambda world: {
        "areas": list(community_selectors.top_level_interests())
    },
    interest_forms.DetailsForm: lambda world: {
        "groups": interest_selectors.detail_groups(
            areas=list(community_selectors.top_level_interests()), profile=None
        )
    },
    interest_forms.TimesForm: lambda world: {},
    interest_forms.ModeForm: lambda world: {},
    interest_forms.WhereForm: lambda world: {
        "areas": community_selectors.areas(practice=world.practice)
    },
    interest_forms.NeedsForm: lambda world: {},
    interest_forms.SynonymForm: lambda world: {
        "lookup": interest_selectors.lookup_for(practice=world.practice)
    },
    community_forms.ResourceForm: lambda world: {"intensity_guess": 2},
    directory_forms.AreaForm: lambda world: {"practice": world.practice},
    directory_forms.CentroidFileForm: lambda world: {},
    import_forms.ImportUploadForm: lambda world: {},
    import_forms.FeedForm: lambda world: {},
    import_forms.ColumnMappingForm: lambda world: {
        "header": ["Organisation", "Town", "Opening times", ""],
        "mapping": ["name", "town", "", ""],
    },
    import_forms.ApplyForm: lambda world: {},
    plan_forms.PlanBeforeForm: lambda world: {"care_team": True, "opening_lines": _lines()},
    plan_forms.PlanCreateForm: lambda world: {
        "times": _soon(),
        "time_zone": "Pacific/Kiritimati",
        "opening_lines": _lines(),
    },
    plan_forms.PlanReportForm: lambda world: {},
    goals_forms.GoalForm: lambda world: {},
    goals_forms.GoalCreateForm: lambda world: {},
    goals_forms.GoalEditForm: lambda world: {},
    goals_forms.StepForm: lambda world: {},
    goals_forms.ReviewForm: lambda world: {},
    goals_forms.WinForm: lambda world: {},
    goals_forms.AcknowledgeForm: lambda world: {},
    journal_forms.CheckInForm: lambda world: {},
    journal_forms.ContactForm: lambda world: {},
    journal_forms.CareTeamContactForm: lambda world: {},
    journal_forms.ScheduleForm: lambda world: {},
    journal_forms.InsightShareForm: lambda world: {},
    journal_forms.ReflectionForm: lambda world: {},
    journal_forms.CareTeamReflectionForm: lambda world: {},
    journal_forms.ReflectionCadenceForm: lambda world: {},
    journal_forms.PersonForm: lambda world: {},
    journal_forms.PersonAddForm: lambda world: {"names": ["Alex", "Sam"]},
    journal_forms.PersonCircleForm: lambda world: {},
    journal_forms.MapCompareForm: lambda world: {},
    measures_forms.AssignForm: lambda world: {"instruments": catalog.all_instruments()},
    measures_forms.OneAnswerForm: lambda world: {"item": _phq9().items[8]},
    measures_forms.WholeResponseForm: lambda world: {"instrument": _phq9()},
    measures_forms.AlertAcknowledgeForm: lambda world: {},
    measures_forms.InstrumentSettingForm: lambda world: {},
    measures_forms.CrisisTextForm: lambda world: {},
    measures_forms.CrisisLineForm: lambda world: {},
    measures_forms.ReadinessForm: lambda world: {},
    measures_forms.QuestionnaireUploadForm: lambda world: {},
    reports_forms.WordingForm: lambda world: {},
    reports_forms.PrepApproveForm: lambda world: {},
    reports_forms.ProgressReportForm: lambda world: {},
    skills_forms.LadderForm: lambda world: {},
    skills_forms.RungForm: lambda world: {},
    skills_forms.RungEditForm: lambda world: {},
    skills_forms.PickForm: lambda world: {},
    skills_forms.ArchiveForm: lambda world: {},
    skills_forms.SearchForm: lambda world: {},
    skills_forms.LessonAssignForm: lambda world: {
        "lessons": skills_selectors.lessons_offered(practice=world.practice)
    },
    skills_forms.LessonReadForm: lambda world: {},
    skills_forms.PracticeLessonForm: lambda world: {},
    skills_forms.ExposureBeforeFields: lambda world: {},
    skills_forms.ExposureAfterForm: lambda world: {},
    skills_forms.ExposurePlanForm: lambda world: {},
    skills_forms.ExposureLogForm: lambda world: {},
    skills_forms.RungDecisionForm: lambda world: {},
    skills_forms.ThoughtRecordForm: lambda world: {},
    skills_forms.CareTeamThoughtRecordForm: lambda world: {},
    skills_forms.ThoughtSettingsForm: lambda world: {},
    roleplay_forms.ScenarioFilterForm: lambda world: {},
    roleplay_forms.PracticeScenarioForm: lambda world: {},
    roleplay_forms.ScenarioAdaptForm: lambda world: {},
    roleplay_forms.RolePlayDebriefForm: lambda world: {},
    roleplay_forms.AloneRehearsalForm: lambda world: {},
    starter_forms.FavouriteForm: lambda world: {},
    starter_forms.StarterTextFields: lambda world: {},
    starter_forms.OwnStarterForm: lambda world: {},
    starter_forms.PracticeStarterForm: lambda world: {},
    starter_forms.StarterRehearsalForm: lambda world: {},
}


def _forms_defined_in(module_name: str) -> set[type]:
    module = importlib.import_module(module_name)
    return {
        value
        for value in vars(module).values()
        if inspect.isclass(value)
        and issubclass(value, forms.BaseForm)
        and value.__module__ == module.__name__
    }


def test_every_form_in_outward_is_covered():
    found = set().union(*(_forms_defined_in(name) for name in FORM_MODULES))
    missing = sorted(form.__qualname__ for form in found - set(FORMS))
    assert not missing, f"add these forms to FORMS (and their module to FORM_MODULES): {missing}"


def test_the_form_modules_are_all_listed():
    """A new forms module (say, a room turned package) must join FORM_MODULES."""
    root = pathlib.Path(__file__).resolve().parents[1]
    on_disk = {
        ".".join(path.relative_to(root.parent).with_suffix("").parts)
        for path in root.rglob("*forms*.py")
        if not {"tests", "migrations"} & set(path.parts) and path.parent.name != "lib"
    }
    assert on_disk <= set(FORM_MODULES)


def test_every_date_input_is_bounded(world):
    for form_class, make_kwargs in FORMS.items():
        for name, field in form_class(**make_kwargs(world)).fields.items():
            where = f"{form_class.__qualname__}.{name}"
            assert not isinstance(field, (forms.DateTimeField, forms.SplitDateTimeField)), where
            if isinstance(field, forms.DateField):
                assert isinstance(field, BoundedDateField), where


@pytest.mark.parametrize("form_class", FORMS, ids=lambda form: form.__qualname__)
def test_no_input_makes_a_form_raise(world, form_class):
    """The world is built once per form; each example only reads (a few forms query), so
    examples need no isolation from each other."""
    kwargs = FORMS[form_class](world)
    fields = form_class(**kwargs).fields

    @given(form_data(fields))
    def check(posted):
        data, files = posted
        form = form_class(data, files, **kwargs)
        if form.is_valid():
            for value in form.cleaned_data.values():
                if isinstance(value, str):
                    assert "\x00" not in value  # PostgreSQL refuses NUL in text
                if isinstance(value, datetime.datetime):
                    value.astimezone(zoneinfo.ZoneInfo("Etc/GMT-14"))
                    value.astimezone(zoneinfo.ZoneInfo("Etc/GMT+12"))
        else:
            assert form.errors

    check()
