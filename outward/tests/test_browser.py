"""Real-browser tests: Chromium through Playwright, against a live test server.

They walk the onboarding journey the way people do it — a therapist, then a client in a fresh
browser context of their own, at a phone and at a desktop size — and on every page they save a
full-page screenshot, run axe-core (no "serious" or "critical" violations), check that nothing
overflows sideways, and check that the strict CSP blocked nothing (a blocked inline style or
script shows up as a console error).

Screenshots go to test-artifacts/screenshots/ (git-ignored), including FAILED-*.png when a test
fails. Without Chromium at /usr/bin/chromium the tests are skipped, unless
OUTWARD_REQUIRE_BROWSER=1 (as in CI), in which case they fail.
"""

import os
import re
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

import pytest
from django.urls import reverse

from outward.care import services as care_services
from outward.conftest import PASSWORD, PRACTICE_TZ, make_client, make_staff

CHROMIUM = Path("/usr/bin/chromium")
REQUIRE_BROWSER = os.environ.get("OUTWARD_REQUIRE_BROWSER") == "1"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"
BLOCKING_IMPACTS = {"serious", "critical"}
TIMEOUT_MS = 10_000
CLIENT_PASSWORD = "a quiet walk by the river"

# Playwright's sync API keeps an event loop running in this thread (from the first browser
# test until the session ends), so Django would refuse the ORM calls made here and in any test
# collected after this file; they are plain synchronous code all the same.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

if not REQUIRE_BROWSER:
    if not (CHROMIUM.exists() and os.access(CHROMIUM, os.X_OK)):
        pytest.skip(f"no Chromium at {CHROMIUM}", allow_module_level=True)
    pytest.importorskip("playwright.sync_api")
    pytest.importorskip("axe_playwright_python.sync_playwright")

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

VIEWPORTS = {
    "phone": {"width": 375, "height": 800},
    "desktop": {"width": 1280, "height": 900},
}


# Fixtures --------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        pytest.fail(f"OUTWARD_REQUIRE_BROWSER=1 but there is no Chromium at {CHROMIUM}")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture(scope="session")
def axe():
    from axe_playwright_python.sync_playwright import Axe

    return Axe()


class Journey:
    """One test's browser contexts, and the checks every page of the journey goes through."""

    def __init__(self, browser, axe, base_url: str, label: str, viewport: dict):
        self.browser, self.axe, self.base_url = browser, axe, base_url
        self.label, self.viewport = label, viewport
        self.step_number = 0
        self.contexts = []
        self.pages = {}  # name -> page, for the screenshots taken on failure
        self.console_errors = {}  # page name -> messages

    def open(self, name: str, *, clipboard: bool = False):
        """A page in a fresh browser context: its own cookies, as on another device."""
        context = self.browser.new_context(
            base_url=self.base_url, viewport=self.viewport, locale="en-GB"
        )
        context.set_default_timeout(TIMEOUT_MS)
        if clipboard:
            context.grant_permissions(["clipboard-read", "clipboard-write"], origin=self.base_url)
        self.contexts.append(context)
        page = context.new_page()
        self.pages[name] = page
        errors = self.console_errors.setdefault(name, [])
        page.on("pageerror", lambda error: errors.append(f"page error: {error}"))
        page.on(
            "console",
            lambda message: (
                errors.append(message.text)
                if message.type == "error"
                # Reported below, by URL; a page's own error status (the 410 of a used
                # link) is not a fault.
                and not message.text.startswith("Failed to load resource")
                else None
            ),
        )
        page.on(
            "response",
            lambda response: (
                errors.append(f"{response.status} for {response.url}")
                if response.status >= 400
                and response.request.resource_type != "document"
                and not response.url.endswith("/favicon.ico")
                else None
            ),
        )
        return page

    def check(self, page, step: str) -> None:
        """Screenshot, then the checks every page must pass."""
        self.step_number += 1
        page.screenshot(path=self._shot(f"{self.step_number:02d}-{step}"), full_page=True)
        self._check_console(page)
        self._check_overflow(page, step)
        self._check_axe(page, step)

    def _shot(self, name: str) -> str:
        return str(SCREENSHOTS / f"{self.label}-{name}.png")

    def _check_console(self, page) -> None:
        name = next(key for key, value in self.pages.items() if value is page)
        errors = self.console_errors[name]
        assert not errors, f"console errors on {page.url} (CSP?):\n" + "\n".join(errors)

    def _check_overflow(self, page, step: str) -> None:
        scroll_width, inner_width = page.evaluate(
            "[document.documentElement.scrollWidth, window.innerWidth]"
        )
        assert scroll_width <= inner_width + 1, (
            f"{step}: the page is {scroll_width}px wide in a {inner_width}px window "
            f"({page.url}) — something overflows sideways"
        )

    def _check_axe(self, page, step: str) -> None:
        violations = [
            violation
            for violation in self.axe.run(page).response["violations"]
            if violation["impact"] in BLOCKING_IMPACTS
        ]
        lines = []
        for violation in violations:
            targets = [", ".join(node["target"]) for node in violation["nodes"][:3]]
            lines.append(
                f"- {violation['id']} ({violation['impact']}): {violation['help']} "
                f"— {'; '.join(targets)}"
            )
        assert not violations, f"axe on {step} ({page.url}):\n" + "\n".join(lines)

    @contextmanager
    def recording(self) -> Iterator["Journey"]:
        """On any failure, a FAILED-... screenshot of every open page, then the error."""
        try:
            yield self
        except BaseException:
            for name, page in self.pages.items():
                if page.is_closed():
                    continue
                with suppress(Exception):  # the original error matters more
                    page.screenshot(
                        path=str(SCREENSHOTS / f"FAILED-{self.label}-{name}.png"), full_page=True
                    )
            raise

    def close(self) -> None:
        for context in self.contexts:
            context.close()


def _journey(request, browser, axe, live_server, label: str, viewport: dict):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for old in [*SCREENSHOTS.glob(f"{label}-*.png"), *SCREENSHOTS.glob(f"FAILED-{label}-*.png")]:
        old.unlink()
    journey = Journey(browser, axe, live_server.url, label, viewport)
    request.addfinalizer(journey.close)
    return journey


@pytest.fixture(params=list(VIEWPORTS), ids=list(VIEWPORTS))
def journey(request, browser, axe, live_server) -> Journey:
    return _journey(request, browser, axe, live_server, request.param, VIEWPORTS[request.param])


def sign_in(page, email: str, password: str = PASSWORD) -> None:
    page.get_by_label("E-mail").fill(email)
    page.get_by_label("Password", exact=True).fill(password)
    page.get_by_role("button", name="Sign in").click()


# Tests -----------------------------------------------------------------------------------


def test_onboarding_a_client(journey):
    from playwright.sync_api import expect

    practice = care_services.practice_create(name="Riverside Practice", time_zone=PRACTICE_TZ)
    make_staff(practice, "tara@riverside.test", "Tara Therapist")

    with journey.recording():
        # Context A: the therapist.
        desk = journey.open("therapist", clipboard=True)
        desk.goto(reverse("accounts:login"))
        expect(desk.get_by_role("heading", name="Sign in")).to_be_visible()
        journey.check(desk, "login")

        sign_in(desk, "tara@riverside.test")
        expect(desk).to_have_url(re.compile(reverse("care:caseload") + "$"))
        expect(desk.get_by_role("heading", name="Caseload")).to_be_visible()
        expect(desk.get_by_text("No clients yet")).to_be_visible()
        journey.check(desk, "caseload-empty")

        desk.get_by_role("link", name="New client").click()
        expect(desk.get_by_role("heading", name="New client")).to_be_visible()
        journey.check(desk, "new-client")

        desk.get_by_label("Name").fill("Robin Rivers")
        desk.get_by_label("E-mail").fill("robin@client.test")
        desk.get_by_role("button", name="Add client").click()
        expect(desk.get_by_role("heading", name="Invite Robin Rivers")).to_be_visible()
        link_field = desk.locator("#invitation-link")
        expect(link_field).to_have_attribute("readonly", "")
        link = link_field.input_value()
        assert re.fullmatch(re.escape(journey.base_url) + r"/invite/[^/]+/", link), link

        desk.get_by_role("button", name="Copy link").click()
        expect(desk.locator("#copy-status")).to_have_text("Copied")
        assert desk.evaluate("navigator.clipboard.readText()") == link
        journey.check(desk, "invitation")

        # Context B: the client, on their own device.
        phone = journey.open("client")
        phone.goto(link)
        expect(phone.get_by_role("heading", name="Welcome, Robin")).to_be_visible()
        journey.check(phone, "welcome")

        phone.get_by_label("Choose a password").fill(CLIENT_PASSWORD)
        phone.get_by_label("Type it again").fill(CLIENT_PASSWORD)
        phone.get_by_role("button", name="Set my password").click()
        expect(phone).to_have_url(re.compile(reverse("care:today") + "$"))
        expect(phone.get_by_role("heading", name="Hello, Robin", level=1)).to_be_visible()
        bottom_nav = phone.get_by_role("navigation", name="Your places")
        expect(bottom_nav.get_by_role("link", name="Today")).to_be_visible()
        expect(bottom_nav.get_by_role("link", name="Today")).to_have_attribute(
            "aria-current", "page"
        )
        expect(phone.get_by_text("Tara Therapist")).to_be_visible()
        journey.check(phone, "today")

        # Back in context A: the client has joined.
        desk.get_by_role("link", name="Caseload").click()
        row = desk.get_by_role("row", name=re.compile("Robin Rivers"))
        expect(row).to_be_visible()
        expect(row).to_contain_text("Joined")
        expect(row).not_to_contain_text("Not joined yet")
        journey.check(desk, "caseload-joined")

        # The link worked once; a fresh device cannot use it again.
        again = journey.open("reused-link")
        response = again.goto(link)
        assert response is not None and response.status == 410
        expect(again.get_by_role("heading", name="This link cannot be used")).to_be_visible()
        expect(again.get_by_role("link", name="Sign in")).to_be_visible()
        journey.check(again, "link-used")

        # Even in the context that used it, it does not work a second time.
        phone.goto(link)
        expect(phone.get_by_role("heading", name="This link cannot be used")).to_be_visible()


def test_caseload_search_filters_live(request, browser, axe, live_server):
    from playwright.sync_api import expect

    practice = care_services.practice_create(name="Riverside Practice", time_zone=PRACTICE_TZ)
    therapist = make_staff(practice, "tara@riverside.test", "Tara Therapist")
    make_client(therapist, "casey@client.test", "Casey Client")
    make_client(therapist, "olive@client.test", "Olive Other", joined=False)
    journey = _journey(request, browser, axe, live_server, "search-desktop", VIEWPORTS["desktop"])

    with journey.recording():
        desk = journey.open("therapist")
        desk.goto(reverse("accounts:login"))
        sign_in(desk, "tara@riverside.test")
        results = desk.locator("#results")
        expect(results.get_by_role("link", name="Casey Client")).to_be_visible()
        expect(results.get_by_role("link", name="Olive Other")).to_be_visible()
        journey.check(desk, "caseload")

        # A marker on the window survives an htmx swap but not a full page load.
        desk.evaluate("window.outwardNoReload = true")
        with desk.expect_response(
            lambda response: (
                "q=oli" in response.url and response.request.headers.get("hx-request") == "true"
            )
        ):
            desk.get_by_label("Search").press_sequentially("oli")
        expect(results.get_by_role("link", name="Casey Client")).to_have_count(0)
        expect(results.get_by_role("link", name="Olive Other")).to_be_visible()
        expect(results).to_have_count(1)  # swapped in place, not nested in itself
        expect(results).to_contain_text("Not joined yet")
        assert desk.evaluate("window.outwardNoReload") is True, "the search reloaded the page"
        expect(desk).to_have_url(re.compile(r"[?&]q=oli"))  # hx-push-url: shareable, back works
        journey.check(desk, "searched")

        desk.get_by_label("Search").fill("nobody")
        expect(results).to_contain_text("No clients match")
        assert desk.evaluate("window.outwardNoReload") is True
        journey.check(desk, "no-match")
