"""Real-browser test of the client's data rights: on a phone the client asks for a copy of
their data, waits for it and downloads the ZIP (its contents checked), then asks to close
their account; on a desktop the practice admin confirms the closure with a reason. Every
page: screenshot, axe-core, no sideways overflow, no console (CSP) errors."""

import io
import json
import zipfile

import pytest
from django.urls import reverse

from outward.care import services as care_services
from outward.care.models import Client
from outward.conftest import PRACTICE_TZ, make_client, make_staff
from outward.journal import services as journal_services
from outward.tests.browsing import VIEWPORTS, new_journey, sign_in, skip_without_browser

skip_without_browser()

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_client_downloads_their_data_and_closes_their_account(request, browser, axe, live_server):
    from playwright.sync_api import expect

    practice = care_services.practice_create(name="Riverside Practice", time_zone=PRACTICE_TZ)
    therapist = make_staff(practice, "tara@riverside.test", "Tara Therapist")
    make_staff(practice, "ada@riverside.test", "Ada Admin", is_therapist=False, is_admin=True)
    client = make_client(therapist, "robin@client.test", "Robin Rivers")
    journal_services.contact_log(
        client=client,
        author=client.user,
        ip=None,
        kind="event",
        note="PRIVATE-CONTACT: board games",
        visibility="private",
    )
    phone_journey = new_journey(
        request, browser, axe, live_server, "data-rights-phone", VIEWPORTS["phone"]
    )
    desk_journey = new_journey(
        request, browser, axe, live_server, "data-rights-desktop", VIEWPORTS["desktop"]
    )

    with phone_journey.recording(), desk_journey.recording():
        phone = phone_journey.open("client")
        phone.goto(reverse("accounts:login"))
        sign_in(phone, "robin@client.test")
        phone.goto(reverse("accounts:account"))
        phone.get_by_role("link", name="Download a copy of your data").click()
        expect(phone.get_by_role("heading", name="A copy of your data")).to_be_visible()
        phone_journey.check(phone, "export")
        phone.get_by_role("button", name="Prepare my copy").click()
        expect(phone.get_by_role("button", name="Download the ZIP")).to_be_visible()
        phone_journey.check(phone, "export-ready")
        with phone.expect_download() as downloaded:
            phone.get_by_role("button", name="Download the ZIP").click()
        path = downloaded.value.path()
        with zipfile.ZipFile(io.BytesIO(open(path, "rb").read())) as archive:  # noqa: PTH123
            names = archive.namelist()
            document = json.loads(archive.read("outward-export.json"))
        assert "csv/journal.contact.csv" in names and "fhir/measures-bundle.json" in names
        assert document["schema_version"] == 1
        assert document["records"]["journal.contact"][0]["note"].startswith("PRIVATE-CONTACT")
        phone.reload()
        expect(phone.get_by_text("This export was downloaded.")).to_be_visible()

        phone.goto(reverse("care:my_closure"))
        phone.get_by_label("Anything you would like the practice to know (optional)").fill(
            "I am moving away."
        )
        phone.get_by_role("button", name="Ask to close my account").click()
        expect(phone.get_by_text("Your request is with your practice")).to_be_visible()
        phone_journey.check(phone, "closure-asked")

        desk = desk_journey.open("admin")
        desk.goto(reverse("accounts:login"))
        sign_in(desk, "ada@riverside.test")
        desk.goto(reverse("care:practice_clients"))
        expect(desk.get_by_text("Asked to close their account")).to_be_visible()
        desk_journey.check(desk, "clients")
        desk.get_by_role("link", name="Account closure").click()
        expect(desk.get_by_text("I am moving away.")).to_be_visible()
        desk_journey.check(desk, "closure")
        desk.get_by_label("Close the account").check()
        desk.get_by_label("Reason").fill("The client's request; confirmed by phone.")
        desk.get_by_role("button", name="Save the decision").click()
        expect(desk.get_by_text("The account is closed.")).to_be_visible()
        desk_journey.check(desk, "closed")

        phone.goto(reverse("care:today"))
        expect(phone.get_by_role("heading", name="Sign in")).to_be_visible()
    assert Client.objects.get(pk=client.pk).status == Client.Status.CLOSED
