from django.urls import reverse


def test_today_shows_own_things_only(world):
    text = world.as_("client").get(reverse("care:today")).text
    assert "Hello, Casey" in text and "Tara Therapist" in text
    assert "Olive" not in text and "Cole Colleague" not in text
    assert "not watched in real time" in text


def test_client_home_is_today(world):
    assert world.as_("client").get("/")["Location"] == reverse("care:today")
