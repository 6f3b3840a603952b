import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from outward.care.models import AuditEvent
from outward.measures import services
from outward.measures.models import Assignment, InstrumentSetting, ReadinessCheck, Response


def phq9(total_items_at: int, item9: int = 0) -> dict[str, int]:
    return {str(n): total_items_at for n in range(1, 9)} | {"9": item9}


def enter(world, answers, key="phq9"):
    return services.response_enter(
        client=world.client,
        instrument_key=key,
        answers=answers,
        actor=world.therapist.user,
        ip=None,
    )


def test_enter_in_session_scores_and_flags_missing(world):
    url = reverse("measures:enter", args=[world.client.pk, "phq9"])
    http = world.as_("therapist")
    data = {f"item_{k}": v for k, v in phq9(2).items()}
    missing = {k: v for k, v in data.items() if k != "item_3"}
    response = http.post(url, missing)
    assert response.status_code == 200 and "Please answer this question." in response.text
    assert not Response.objects.exists()
    bad = data | {"item_3": "9"}
    assert "not one of the choices" in http.post(url, bad).text
    assert http.post(url, data)["Location"] == reverse("measures:measures", args=[world.client.pk])
    saved = Response.objects.get()
    assert saved.scores["scales"]["total"]["score"] == 16
    assert saved.entered_by == world.therapist.user


def test_measure_page_shows_band_chart_and_reliable_change(world):
    enter(world, phq9(2))  # 16, moderately severe
    enter(world, phq9(0) | {"1": 1, "2": 1})  # 2
    page = world.as_("therapist").get(
        reverse("measures:measure_detail", args=[world.client.pk, "phq9"])
    )
    text = page.text
    assert "<svg" in text and 'role="img"' in text
    assert "From 16 at baseline to 2 now" in text and "reliably improved" in text
    assert "recovered" in text


def test_measure_without_published_norms_says_so(world):
    services.instrument_set_enabled(
        practice=world.practice, key="ucla3", enabled=True, actor=world.admin.user
    )
    answers = dict.fromkeys(("1", "2", "3"), 1) | {"direct": 2}
    enter(world, answers, key="ucla3")
    enter(world, answers, key="ucla3")
    text = (
        world.as_("therapist")
        .get(reverse("measures:measure_detail", args=[world.client.pk, "ucla3"]))
        .text
    )
    assert "Not enough published norms for a reliable-change test" in text


@pytest.mark.parametrize("count", [5, 100])
def test_measure_page_query_count_is_constant(world, count, django_assert_max_num_queries):
    Response.objects.bulk_create(
        Response(
            client=world.client,
            instrument_key="phq9",
            instrument_version=1,
            answers=phq9(1),
            scores={"scales": {"total": {"score": 8, "band": "Mild"}}},
            entered_by=world.therapist.user,
            completed=timezone.now() - datetime.timedelta(days=count - n),
        )
        for n in range(count)
    )
    http = world.as_("therapist")
    with django_assert_max_num_queries(13):
        response = http.get(reverse("measures:measure_detail", args=[world.client.pk, "phq9"]))
    assert response.status_code == 200


def test_a_past_first_due_date_warns_and_shows_as_not_answered_yet(world, time_machine):
    time_machine.move_to(datetime.datetime(2026, 11, 24, 15, 0, tzinfo=datetime.UTC), tick=False)
    url = reverse("measures:measures", args=[world.client.pk])
    http = world.as_("therapist")
    response = http.post(
        url, {"instrument": "phq9", "schedule": "once", "first_due": "2026-11-10"}, follow=True
    )
    assert Assignment.objects.get().next_due == datetime.date(2026, 11, 10)
    assert "The first due date, 10 November 2026, has already passed" in response.text
    assert 'due 10 Nov <span class="overdue">(not answered yet)</span>' in response.text


def test_assign_validates_and_only_offered_instruments(world):
    url = reverse("measures:measures", args=[world.client.pk])
    http = world.as_("therapist")
    response = http.post(
        url, {"instrument": "ucla3", "schedule": "once", "first_due": "2026-11-26"}
    )
    assert "Select a valid choice" in response.text  # shipped disabled, not switched on
    response = http.post(
        url, {"instrument": "phq9", "schedule": "weeks", "first_due": "2026-11-26"}
    )
    assert "How many weeks" in response.text
    assert not Assignment.objects.exists()
    http.post(
        url, {"instrument": "phq9", "schedule": "weeks", "every": "2", "first_due": "2026-11-26"}
    )
    assignment = Assignment.objects.get()
    assert assignment.every_days == 14
    assert AuditEvent.objects.filter(target=f"assignment:{assignment.pk}").exists()


def test_admin_enables_a_disabled_instrument_only_after_confirming_the_licence(world):
    url = reverse("measures:practice_measures")
    admin = world.as_("admin")
    page = admin.get(url).text
    assert "De Jong Gierveld" in page and "Mini-SPIN" not in page and "LSAS" not in page
    admin.post(url, {"instrument": "djg6", "enabled": "1"})
    assert not InstrumentSetting.objects.exists()
    admin.post(url, {"instrument": "djg6", "enabled": "1", "licence_confirmed": "on"})
    assert InstrumentSetting.objects.get(instrument_key="djg6").enabled
    admin.post(url, {"instrument": "nope", "enabled": "1"})
    assert InstrumentSetting.objects.count() == 1


def test_readiness_is_a_tab_of_the_clients_record(world):
    url = reverse("measures:readiness", args=[world.client.pk])
    overview = world.as_("therapist").get(reverse("care:client_detail", args=[world.client.pk]))
    assert f'href="{url}"' in overview.text
    page = world.as_("therapist").get(url).text
    assert f'<a href="{url}" aria-current="page">Readiness</a>' in page


def test_the_readiness_prompts_show_no_placeholder(world):
    page = world.as_("therapist").get(reverse("measures:readiness", args=[world.client.pk])).text
    assert "What makes it the number you chose" in page
    assert "%(" not in page


def test_readiness_conversation_suggests_and_saves(world):
    url = reverse("measures:readiness", args=[world.client.pk])
    data = {"held_on": "2026-11-20", "q_new_friends": "I'd like one friend to walk with."}
    for area, (importance, confidence) in {
        "new_friends": (8, 3),
        "deepening": (5, 9),
        "groups": (7, 6),
        "reconnecting": (9, 2),
    }.items():
        data[f"importance_{area}"] = importance
        data[f"confidence_{area}"] = confidence
    http = world.as_("therapist")
    response = http.post(url, data | {"suggest": "1"})
    assert "Joining groups or activities matters to you (7/10)" in response.text
    assert not ReadinessCheck.objects.exists()
    response = http.post(url, data | {"focus_area": "groups", "focus_note": "The choir"})
    assert response.status_code == 302
    check = ReadinessCheck.objects.get()
    assert check.focus_area == "groups" and check.rulers.count() == 4
    assert check.answers.get().text.startswith("I'd like")
    assert "The choir" in http.get(url).text


def test_readiness_bad_input(world):
    url = reverse("measures:readiness", args=[world.client.pk])
    response = world.as_("therapist").post(
        url, {"held_on": "2031-01-01", "importance_groups": "11"}
    )
    assert response.status_code == 200
    assert "cannot be in the future" in response.text
    assert not ReadinessCheck.objects.exists()


def test_in_session_double_submit_saves_once_and_zero_scores_show(world):
    url = reverse("measures:enter", args=[world.client.pk, "phq9"])
    http = world.as_("therapist")
    form = http.get(url).context["form"]
    key = form["submission"].initial
    data = {f"item_{k}": 0 for k in phq9(0)} | {"submission": str(key)}
    http.post(url, data)
    http.post(url, data)
    assert Response.objects.count() == 1
    page = http.get(reverse("measures:measures", args=[world.client.pk])).text
    assert ">0<" in page.replace("</td>", "<").replace('">', ">")


def test_an_acknowledged_alert_keeps_the_first_note(world):
    response = enter(world, phq9(0, item9=1))
    alert = response.alert
    ack = reverse("measures:alert_acknowledge", args=[world.client.pk, alert.pk])
    world.as_("therapist").post(ack, {"note": "First: called the client."})
    assert world.as_("therapist").post(ack, {"note": "Second"}).status_code == 404
    alert.refresh_from_db()
    assert alert.note == "First: called the client."


def test_readiness_saves_only_the_areas_discussed(world):
    url = reverse("measures:readiness", args=[world.client.pk])
    http = world.as_("therapist")
    assert 'value="" class="scale" id="id_importance_groups_0" checked' in http.get(url).text
    data = {
        "held_on": "2026-11-20",
        "importance_groups": "7",
        "confidence_groups": "6",
        "importance_deepening": "",
        "confidence_deepening": "",
    }
    suggested = http.post(url, data | {"suggest": "1"})
    assert "Joining groups or activities matters to you (7/10)" in suggested.text
    assert http.post(url, data).status_code == 302
    check = ReadinessCheck.objects.get()
    assert list(check.rulers.values_list("area", "importance", "confidence")) == [("groups", 7, 6)]


def test_readiness_area_rated_on_one_ruler_only_is_questioned(world):
    url = reverse("measures:readiness", args=[world.client.pk])
    response = world.as_("therapist").post(url, {"held_on": "2026-11-20", "importance_groups": "7"})
    assert response.status_code == 200
    assert "Rate confidence too" in response.text
    assert not ReadinessCheck.objects.exists()


def test_readiness_with_no_rulers_saves_the_words_and_suggests_nothing(world):
    url = reverse("measures:readiness", args=[world.client.pk])
    http = world.as_("therapist")
    data = {"held_on": "2026-11-20", "q_joining": "Nervous, but curious."}
    assert "Rate at least one area" in http.post(url, data | {"suggest": "1"}).text
    assert http.post(url, data).status_code == 302
    assert not ReadinessCheck.objects.get().rulers.exists()


def test_the_admin_reads_plainly_what_to_confirm_before_switching_one_on(world):
    page = world.as_("admin").get(reverse("measures:practice_measures")).text
    sias = page[page.index("SIAS-6 —") : page.index("</article>", page.index("SIAS-6 —"))]
    phq = page[page.index("PHQ-9 —") : page.index("</article>", page.index("PHQ-9 —"))]
    assert "Before you switch it on:" in sias and "check with its publisher" in sias
    assert "Free to use with clients: nothing to confirm." in phq
    assert "What is known about its licence" in sias  # the recorded note, folded away
