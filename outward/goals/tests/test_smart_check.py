"""The live SMART check (/goals/smart-check/): a partial for htmx, advice only, never a 500."""

import pytest

from outward.goals.models import Goal

URL = "/goals/smart-check/"
HTMX = {"HX-Request": "true"}

GOOD = {
    "title": "Text my sister every Sunday",
    "specific": "",
    "measurable": "",
    "achievable": "She always replies and I like her",
    "relevant": "I want us to be close again",
    "target_date": "",
    "cadence_count": "1",
    "cadence_period": "week",
}


def criteria(response):
    return {criterion.key: criterion for criterion in response.context["check"]}


@pytest.mark.parametrize("persona", ["client", "therapist"])
def test_returns_the_partial_with_five_criteria(world, persona):
    response = world.as_(persona).post(URL, GOOD, headers=HTMX)

    assert response.status_code == 200
    assert response.text.lstrip().startswith('<div id="smart-check"')
    assert "<html" not in response.text
    assert response.text.count('<li class="criterion ') == 5
    for label in ["Specific", "Measurable", "Achievable", "Relevant", "Time-bound"]:
        assert label in response.text
    assert all(criterion.passed for criterion in criteria(response).values())
    assert not Goal.objects.exists()


def test_an_empty_form_gets_five_hints(world):
    response = world.as_("client").post(URL, {}, headers=HTMX)
    assert response.status_code == 200
    assert response.text.count('class="criterion criterion-hint"') == 5


@pytest.mark.parametrize(
    "garbage",
    [
        {"cadence_count": "lots"},
        {"cadence_count": "1e9"},
        {"cadence_count": "-3"},
        {"cadence_count": "99999999999999999999999"},
        {"cadence_period": "fortnight"},
        {"target_date": "2026-02-30"},
        {"target_date": "next tuesday"},
        {"target_date": "99999-01-01"},
        {"title": "x" * 5000},
        {"weight": "heavy", "steps": "y" * 300},
    ],
)
def test_garbage_input_still_gets_advice(world, garbage):
    response = world.as_("client").post(URL, {**GOOD, **garbage}, headers=HTMX)
    assert response.status_code == 200
    assert response.text.count('<li class="criterion ') == 5


def test_unparseable_cadence_is_treated_as_no_cadence(world):
    data = {**GOOD, "cadence_count": "lots", "achievable": "", "relevant": ""}
    check = criteria(world.as_("client").post(URL, data, headers=HTMX))
    # "every Sunday" in the title is still a rhythm, so the goal stays measurable and timed.
    assert check["measurable"].passed and check["time_bound"].passed
    check = criteria(
        world.as_("client").post(
            URL, {**data, "title": "Text my sister", "cadence_count": "lots"}, headers=HTMX
        )
    )
    assert not check["measurable"].passed and not check["time_bound"].passed


def test_a_past_target_date_gets_the_passed_date_hint(world, time_machine):
    time_machine.move_to("2026-11-26 12:00:00+00:00", tick=False)
    response = world.as_("client").post(URL, {**GOOD, "target_date": "2026-11-01"}, headers=HTMX)
    assert not criteria(response)["time_bound"].passed
    assert "That date has passed." in response.text


def test_a_cadence_that_is_too_big_gets_the_achievable_hint(world):
    response = world.as_("client").post(URL, {**GOOD, "cadence_count": "20"}, headers=HTMX)
    assert not criteria(response)["achievable"].passed
    assert "That’s a lot to start with." in response.text


def test_only_post(world):
    assert world.as_("client").get(URL).status_code == 405
