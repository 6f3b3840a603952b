"""What the real-browser tests share: Chromium and axe set-up, the per-page checks (screenshot,
axe-core, sideways overflow, console/CSP errors) and signing in. Fixtures are in conftest.py."""

import os
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

import pytest

from outward.conftest import PASSWORD

# Debian's headless shell (package chromium-headless-shell) when it is installed, as Playwright
# itself runs headless Chromium: the same Blink and V8 without the full browser around them, a
# third less CPU per journey than the full Chromium in its headless mode. Else that Chromium.
CHROMIUM = next(
    (
        path
        for path in (Path("/usr/bin/chromium-headless-shell"), Path("/usr/bin/chromium"))
        if path.exists()
    ),
    Path("/usr/bin/chromium"),
)
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
# axe-core's run on the page, for the violations of a blocking impact. It runs every rule
# axe runs by default (enabled, not tagged experimental or deprecated) whose impact is
# blocking, or that has none. Each axe rule is defined with one impact, which axe gives to
# every result of it (finalizeRuleResult), so the rules left out (minor or moderate: region,
# heading-order, landmark-*, ...) could only report what this check discards: it finds what
# the full run finds, in about 60 % of the time. The page sends back only what the message
# needs, not axe's whole result.
AXE_BLOCKING = """async (blocking) => {
    const audit = axe._audit;
    const rules = audit.rules.filter((rule) => rule.enabled
        && (!rule.impact || blocking.includes(rule.impact))
        && !rule.tags.some((tag) => audit.tagExclude.includes(tag)));
    const results = await axe.run(document, {
        runOnly: {type: "rule", values: rules.map((rule) => rule.id)},
        resultTypes: ["violations"],
    });
    return results.violations
        .filter((violation) => blocking.includes(violation.impact))
        .map((violation) => ({
            id: violation.id, impact: violation.impact, help: violation.help,
            targets: violation.nodes.slice(0, 3).map((node) => node.target),
        }));
}"""
TIMEOUT_MS = 10_000
CLIENT_PASSWORD = "a quiet walk by the river"

# Playwright's sync API keeps an event loop running in this thread (from the first browser
# test until the session ends), so Django would refuse the ORM calls made here and in any test
# collected after this file; they are plain synchronous code all the same.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"


def skip_without_browser() -> None:
    """Called at the top of each browser test module: skip it when Chromium (or Playwright,
    axe) is missing, unless OUTWARD_REQUIRE_BROWSER=1 (CI), where the fixtures then fail."""
    if REQUIRE_BROWSER:
        return
    if not (CHROMIUM.exists() and os.access(CHROMIUM, os.X_OK)):
        pytest.skip(f"no Chromium at {CHROMIUM}", allow_module_level=True)
    pytest.importorskip("playwright.sync_api")
    pytest.importorskip("axe_playwright_python.sync_playwright")


VIEWPORTS = {
    "phone": {"width": 375, "height": 800},
    "desktop": {"width": 1280, "height": 900},
}


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
                if response.status >= 400 and response.request.resource_type != "document"
                else None
            ),
        )
        return page

    def check(self, page, step: str) -> None:
        """Screenshot, then the checks every page must pass."""
        self.step_number += 1
        self._screenshot(page, self._shot(f"{self.step_number:02d}-{step}"))
        self._check_console(page)
        self._check_overflow(page, step)
        self._check_axe(page, step)

    @staticmethod
    def _screenshot(page, path: str) -> None:
        """Chromium now and then answers "Unable to capture screenshot" to a full-page capture
        (it resizes the page to take it). Then it tries again after a moment, and at last
        takes the visible part only: the screenshot is for people to look at, and the checks
        that come after it run either way."""
        from playwright.sync_api import Error

        for full_page in (True, True, False):
            try:
                page.screenshot(path=path, full_page=full_page)
                return
            except Error as error:
                if "Unable to capture screenshot" not in str(error) or not full_page:
                    raise
                page.wait_for_timeout(300)

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
        page.evaluate(self.axe.axe_script)
        violations = page.evaluate(AXE_BLOCKING, sorted(BLOCKING_IMPACTS))
        lines = [
            f"- {violation['id']} ({violation['impact']}): {violation['help']} "
            f"— {'; '.join(', '.join(target) for target in violation['targets'])}"
            for violation in violations
        ]
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


def new_journey(request, browser, axe, live_server, label: str, viewport: dict):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for old in [*SCREENSHOTS.glob(f"{label}-*.png"), *SCREENSHOTS.glob(f"FAILED-{label}-*.png")]:
        old.unlink(missing_ok=True)  # another worker may have removed it first
    journey = Journey(browser, axe, live_server.url, label, viewport)
    request.addfinalizer(journey.close)
    return journey


def sign_in(page, email: str, password: str = PASSWORD) -> None:
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password", exact=True).fill(password)
    page.get_by_role("button", name="Sign in").click()
