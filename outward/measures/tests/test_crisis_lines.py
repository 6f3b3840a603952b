"""The practice's local crisis lines, shown with tap-to-call links after a risk answer; a
setup prompt for admins until there is one; wording that fits the moment."""

from django.urls import reverse

from outward.measures import services
from outward.measures.models import CrisisLine
from outward.measures.tests.test_questionnaire_flow import CALM, answer_all, url

CRISIS = reverse("measures:my_crisis")


def add_line(world, **fields):
    data = {"name": "Riverside Crisis Line", "number": "+1 (555) 010-0199", "hours": "24/7"}
    return services.crisis_line_add(
        practice=world.practice, actor=world.admin.user, **(data | fields)
    )


def test_admin_adds_a_line_and_it_is_shown_with_a_tel_link(world):
    admin = world.as_("admin")
    response = admin.post(
        reverse("measures:crisis_line_add"),
        {"name": "Riverside Crisis Line", "number": "+1 (555) 010-0199", "hours": "24/7"},
    )
    assert response["Location"] == reverse("measures:practice_measures") + "#crisis"
    line = CrisisLine.objects.get()
    assert (line.practice, line.created_by) == (world.practice, world.admin.user)
    text = world.as_("client").get(CRISIS).text
    assert "Riverside Crisis Line" in text and "24/7" in text
    assert 'href="tel:+15550100199"' in text
    assert "Call +1 (555) 010-0199" in text


def test_a_bad_number_is_refused_with_the_reason(world):
    admin = world.as_("admin")
    response = admin.post(
        reverse("measures:crisis_line_add"), {"name": "Line", "number": "call us"}, follow=True
    )
    assert "Enter a phone number" in response.text
    assert not CrisisLine.objects.exists()


def test_until_set_admins_see_a_prompt_and_clients_the_generic_text(world):
    practice_page = world.as_("admin").get(reverse("care:practice")).text
    assert "Set up your local crisis lines" in practice_page
    assert reverse("measures:practice_measures") + "#crisis" in practice_page
    text = world.as_("client").get(CRISIS).text
    assert "emergency services" in text and "tel:" not in text
    add_line(world)
    assert (
        "Set up your local crisis lines"
        not in world.as_("admin").get(reverse("care:practice")).text
    )


def test_removing_a_line_asks_first(world):
    line = add_line(world)
    admin = world.as_("admin")
    remove = reverse("measures:crisis_line_remove", args=[line.pk])
    response = admin.post(remove)
    assert response.status_code == 200 and "Remove the crisis line Riverside Crisis Line?" in (
        response.text
    )
    assert CrisisLine.objects.exists()
    admin.post(remove, {"confirmed": "1"})
    assert not CrisisLine.objects.exists()


def test_another_practices_admin_cannot_remove_it(world):
    from outward.conftest import make_staff

    hal = make_staff(world.other_practice, "hal@hilltop.test", "Hal", is_admin=True)
    line = add_line(world)
    http = world.as_("anonymous")
    http.force_login(hal.user)
    remove = reverse("measures:crisis_line_remove", args=[line.pk])
    assert http.post(remove, {"confirmed": "1"}).status_code == 404
    assert CrisisLine.objects.exists()


def test_mid_questionnaire_the_client_can_continue_or_go_back(world, assignment):
    add_line(world)
    http = world.as_("client")
    answer_all(http, assignment, {k: v for k, v in CALM.items() if k != "9"})
    response = http.post(url(assignment), {"item": "9", "answer": 2})
    page = http.get(response["Location"]).text
    assert "you can go on with the questions afterwards" in page
    assert f'href="{url(assignment)}"' in page and "Continue with the questions" in page
    assert "Back to Today" in page and 'href="tel:' in page
    # Sent: no questions left, so only the way back.
    http.post(url(assignment), {"submit": "1"})
    page = http.get(CRISIS + f"?assignment={assignment.pk}").text
    assert "Continue with the questions" not in page and "Back to Today" in page


def test_the_crisis_page_never_fails_on_a_strange_address(world, assignment):
    other = world.as_("other_client")
    response = other.get(CRISIS + f"?assignment={assignment.pk}")
    assert response.status_code == 200 and "Continue with the questions" not in response.text
    assert world.as_("client").get(CRISIS + "?assignment=x").status_code == 200
