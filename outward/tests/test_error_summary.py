"""Every form with errors shows one summary at its top (includes/form_errors.html) that links
to each field in error and takes the focus, so a screen reader reads it first."""

import re
from pathlib import Path

from django.urls import reverse

ROOT = Path(__file__).resolve().parents[1]
# Filter forms of lists, whose bad input is ignored rather than reported, and a part included
# inside forms that carry the summary themselves.
WITHOUT_SUMMARY = {
    "skills/rung_from.html",
    "skills/scenario_list.html",
    "care/practice_clients.html",
    "care/caseload.html",
    "community/opening_line_fields.html",
}


def test_every_template_with_form_fields_has_the_summary():
    missing = []
    for template in ROOT.glob("*/templates/**/*.html"):
        text = template.read_text()
        name = re.sub(r"^.*?/templates/", "", str(template))
        if name in WITHOUT_SUMMARY:
            continue
        has_fields = "includes/field.html" in text or "includes/choices.html" in text
        if has_fields and "includes/form_errors.html" not in text:
            missing.append(name)
    assert missing == []


def test_the_summary_links_to_each_field_in_error_and_takes_the_focus(world):
    response = world.as_("client").post(
        reverse("journal:my_check_in"),
        {"mood": "11", "loneliness": "", "meaningful_interactions": "2"},
    )
    assert response.status_code == 200
    summary = re.search(r'<div class="form-errors".*?</div>', response.text, re.S).group(0)
    assert "autofocus" in summary and 'tabindex="-1"' in summary
    # A number field is linked by its id, a scale of choices by its first choice; each link
    # names the field and says what is wrong, and what it points to exists.
    assert 'href="#id_online"' in summary and 'id="id_online"' in response.text
    assert 'href="#id_mood_0"' in summary and 'id="id_mood_0"' in response.text
    assert re.search(r'href="#id_mood_0">[^<]*mood[^<]* — ', summary)
