"""The alert at the top of the client's Overview, linking to the answer, and the alert
history: raised when, by which answer, who acknowledged, when, and what they did."""

import pytest
from django.urls import reverse

from outward.care.models import AuditEvent
from outward.conftest import raise_alert
from outward.measures import services
from outward.measures.models import RiskAlert


def alerts_url(world):
    return reverse("measures:alerts", args=[world.client.pk])


def test_the_overview_starts_with_the_open_alert_linking_to_the_answer(world):
    alert = raise_alert(world.client)
    text = world.as_("therapist").get(reverse("care:client_detail", args=[world.client.pk])).text
    notice = text.index("Risk alert open since")
    assert notice < text.index("Since the last session")
    assert f'href="{alerts_url(world)}#alert-{alert.pk}"' in text
    assert "See the answer and acknowledge" in text


def test_the_overview_is_quiet_without_alerts_and_links_the_history_after(world):
    overview = reverse("care:client_detail", args=[world.client.pk])
    http = world.as_("therapist")
    assert "Alert history" not in http.get(overview).text
    alert = raise_alert(world.client)
    services.alert_acknowledge(alert=alert, therapist=world.therapist.user, note="x", ip=None)
    text = http.get(overview).text
    assert "Risk alert open" not in text and "Alert history" in text


def test_alert_history_shows_answer_acknowledger_and_note(world):
    acknowledged = raise_alert(world.client, item9=1)
    services.alert_acknowledge(
        alert=acknowledged,
        therapist=world.therapist.user,
        note="Phoned; safety plan reviewed.",
        ip=None,
    )
    open_alert = raise_alert(world.client, item9=3)
    response = world.as_("therapist").get(alerts_url(world))
    assert response.status_code == 200
    text = response.text
    assert text.index(f'id="alert-{open_alert.pk}"') < text.index(f'id="alert-{acknowledged.pk}"')
    assert "Nearly every day" in text and "Several days" in text  # the answers given
    assert "Acknowledged by Tara Therapist" in text
    assert "Phoned; safety plan reviewed." in text
    ack_url = reverse("measures:alert_acknowledge", args=[world.client.pk, open_alert.pk])
    assert f'action="{ack_url}"' in text
    assert AuditEvent.objects.filter(action="view", client=world.client).exists()


def test_acknowledging_from_the_history_comes_back_to_it(world):
    alert = raise_alert(world.client)
    ack = reverse("measures:alert_acknowledge", args=[world.client.pk, alert.pk])
    response = world.as_("therapist").post(ack, {"note": "Called", "from": "alerts"})
    assert response["Location"] == alerts_url(world)
    assert RiskAlert.objects.get().note == "Called"


def test_strangers_get_404(world):
    raise_alert(world.client)
    for persona in ["colleague", "stranger", "admin", "client"]:
        assert world.as_(persona).get(alerts_url(world)).status_code == 404


@pytest.mark.parametrize("count", [3, 40])
def test_alert_history_query_count_is_constant(world, count, django_assert_max_num_queries):
    for _number in range(count):
        raise_alert(world.client)
    http = world.as_("therapist")
    with django_assert_max_num_queries(13):
        response = http.get(alerts_url(world))
    assert response.status_code == 200
    assert response.text.count('class="card stack alert-card"') == min(count, 25)
