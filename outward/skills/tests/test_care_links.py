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
