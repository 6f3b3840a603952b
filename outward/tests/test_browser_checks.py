"""The checks every browser journey's pages go through (browsing.Journey.check) can fail: axe
finds a serious or critical fault and lets a moderate one pass, and its run of the blocking
rules only reports what axe's full run reports at those impacts."""

import pytest

from outward.tests.browsing import (
    AXE_BLOCKING,
    BLOCKING_IMPACTS,
    VIEWPORTS,
    Journey,
    skip_without_browser,
)

skip_without_browser()

pytestmark = pytest.mark.browser

# Faults of each impact axe gives: an image without a text alternative (critical), a button
# without a name (critical), grey on white (serious), a list item outside a list (serious), a
# skipped heading level (moderate), content outside any landmark (moderate).
FAULTY = """<!doctype html><html lang="en"><head><title>Faults</title></head><body>
<h1>Faults</h1><h3>A skipped level</h3><p>Outside any landmark.</p>
<main><img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=" width="20" height="20">
<button type="button"></button><p style="color:#bbb;background:#fff">Faint words</p>
<div><li>An item without a list</li></div></main></body></html>"""
MODERATE_ONLY = """<!doctype html><html lang="en"><head><title>Moderate</title></head><body>
<main><h1>Moderate</h1><h3>A skipped level</h3></main><p>Outside any landmark.</p>
</body></html>"""


@pytest.fixture
def journey(request, browser, axe):
    journey = Journey(browser, axe, "http://127.0.0.1", "checks", VIEWPORTS["desktop"])
    request.addfinalizer(journey.close)
    return journey


def test_axe_fails_a_serious_fault_and_passes_a_moderate_one(journey):
    page = journey.open("page")
    page.set_content(FAULTY)
    with pytest.raises(AssertionError) as failed:
        journey.check(page, "faulty")
    for rule in ("image-alt", "button-name", "color-contrast", "listitem"):
        assert f"- {rule} (" in str(failed.value)
    assert "heading-order" not in str(failed.value) and "region" not in str(failed.value)

    page.set_content(MODERATE_ONLY)
    journey.check(page, "moderate-only")


def test_the_blocking_rules_find_what_the_full_run_finds(journey, axe):
    page = journey.open("page")
    for content in (FAULTY, MODERATE_ONLY):
        page.set_content(content)
        full = axe.run(page).response["violations"]
        found = page.evaluate(AXE_BLOCKING, sorted(BLOCKING_IMPACTS))
        assert {violation["id"] for violation in full} - {v["id"] for v in found} <= {
            "heading-order",
            "region",
        }
        assert sorted(
            (violation["id"], [node["target"] for node in violation["nodes"][:3]])
            for violation in full
            if violation["impact"] in BLOCKING_IMPACTS
        ) == sorted((violation["id"], violation["targets"]) for violation in found)
