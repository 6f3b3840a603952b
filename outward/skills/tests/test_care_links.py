"""The skills room's links on care's pages: a thought record can be started any time from the
client's Today, and the practice admin finds the room's practice settings on their page."""

from django.urls import reverse


def test_today_offers_a_thought_record_any_time(world):
    page = world.as_("client").get(reverse("care:today"))
    assert "Any time" in page.text
    assert reverse("skills:my_thought_create") in page.text
    assert world.as_("client").get(reverse("skills:my_thought_create")).status_code == 200


def test_the_practice_page_links_the_skills_settings(world):
    page = world.as_("admin").get(reverse("care:practice"))
    assert reverse("skills:practice_lessons") in page.text
    assert reverse("skills:thought_settings") in page.text


def test_a_missed_plan_leads_to_a_thought_record_that_remembers_it(world):
    from outward.community.models import Plan
    from outward.community.tests.test_plans import make_plan

    plan = make_plan(world, status=Plan.Status.DID_NOT_GO)
    start = reverse("skills:my_thought_create") + f"?from=community.plan:{plan.pk}"
    assert start in world.as_("client").get(reverse("community:my_plan", args=[plan.pk])).text
    form = world.as_("client").get(start)
    assert f'value="community.plan:{plan.pk}"' in form.text
    went = make_plan(world, status=Plan.Status.WENT)
    page = world.as_("client").get(reverse("community:my_plan", args=[went.pk]))
    assert "community.plan:" not in page.text
