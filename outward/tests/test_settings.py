"""Production settings and the checks that refuse unsafe ones. Each case reads the settings
with exactly the environment a deployment would give it: in a fresh interpreter where the
test is about start-up (the defaults, the demo, `outward serve`), else by reading
outward/settings.py afresh in this process and running `check` against what it sets."""

import importlib.util
import io
import json
import os
import re
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from django.test.utils import override_settings

ROOT = Path(__file__).resolve().parents[2]
GOOD = {"OUTWARD_SECRET_KEY": "k" * 50, "OUTWARD_ALLOWED_HOSTS": "outward.example.org"}


def _run(code: str, env: dict) -> subprocess.CompletedProcess:
    clean = {key: value for key, value in os.environ.items() if not key.startswith("OUTWARD_")}
    clean.pop("DATABASE_URL", None)
    clean.update(DJANGO_SETTINGS_MODULE="outward.settings", **env)
    return subprocess.run(
        [sys.executable, "-c", code],
        env=clean,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )


def _read(monkeypatch, env: dict) -> ModuleType:
    """outward/settings.py read afresh, as a deployment's interpreter reads it, with exactly
    `env` (none of this test run's OUTWARD_ variables or DATABASE_URL)."""
    with monkeypatch.context() as patch:
        for key in [k for k in os.environ if k.startswith("OUTWARD_") or k == "DATABASE_URL"]:
            patch.delenv(key)
        for key, value in env.items():
            patch.setenv(key, value)
        spec = importlib.util.spec_from_file_location("read_settings", ROOT / "outward/settings.py")
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
    return module


# Read once at start-up, not changed by override_settings (nor looked at by `check`).
FIXED = {"INSTALLED_APPS", "DATABASES", "LOGGING"}


def _check(monkeypatch, env: dict) -> tuple[str, bool]:
    """`manage.py check` against the settings `env` gives: what it printed, and whether it
    passed (a failed check is the command's non-zero exit). Needs the `db` fixture."""
    module = _read(monkeypatch, env)
    changed = {
        name: value
        for name, value in vars(module).items()
        if name.isupper() and name not in FIXED and getattr(settings, name, object()) != value
    }
    output = io.StringIO()
    with override_settings(**changed):
        try:
            call_command("check", stdout=output, stderr=output)
        except SystemCheckError as error:
            return output.getvalue() + str(error), False
    return output.getvalue(), True


def test_production_defaults_are_safe(tmp_path):
    code = (
        "import json; from django.conf import settings as s; print(json.dumps({k: getattr(s, k) "
        "for k in ['DEBUG', 'SESSION_COOKIE_SECURE', 'CSRF_COOKIE_SECURE', 'SECURE_HSTS_SECONDS', "
        "'SECURE_SSL_REDIRECT', 'PASSWORD_HASHERS', 'SESSION_COOKIE_AGE', "
        "'SESSION_SAVE_EVERY_REQUEST', 'SESSION_RENEW_SECONDS']}))"
    )
    result = _run(code, {**GOOD, "OUTWARD_DATA_DIR": str(tmp_path)})
    values = json.loads(result.stdout)
    assert values["DEBUG"] is False
    assert values["SESSION_COOKIE_SECURE"] and values["CSRF_COOKIE_SECURE"]
    assert values["SECURE_HSTS_SECONDS"] >= 31_536_000 and values["SECURE_SSL_REDIRECT"]
    assert values["PASSWORD_HASHERS"][0].endswith("Argon2PasswordHasher")
    assert values["SESSION_COOKIE_AGE"] == 30 * 60
    # Renewed at most once a minute (accounts.middleware), not written on every page view.
    assert not values["SESSION_SAVE_EVERY_REQUEST"] and values["SESSION_RENEW_SECONDS"] == 60


def test_the_server_starts_with_its_start_up_objects_out_of_the_collectors_way(tmp_path):
    """outward/wsgi.py loads every view and freezes what start-up made, so no full garbage
    collection walks it in the middle of a request."""
    code = (
        "import gc; gc.collect(); before = gc.get_freeze_count(); import outward.wsgi; "
        "print(before, gc.get_freeze_count(), len(gc.get_objects()))"
    )
    result = _run(code, {**GOOD, "OUTWARD_DATA_DIR": str(tmp_path)})
    before, frozen, tracked = map(int, result.stdout.split())
    assert before == 0 and frozen > 50_000
    assert tracked < frozen / 10  # what the collector still walks


def test_session_idle_time_and_database_come_from_the_environment(monkeypatch):
    env = {**GOOD, "OUTWARD_SESSION_IDLE_MINUTES": "5", "DATABASE_URL": "postgres://u:p@db:5432/o"}
    read = _read(monkeypatch, env)
    assert read.SESSION_COOKIE_AGE == 300
    assert read.DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"


def test_secret_key_can_come_from_a_file(tmp_path, monkeypatch):
    secret = tmp_path / "secret"
    secret.write_text("s" * 60 + "\n")
    env = {"OUTWARD_SECRET_KEY_FILE": str(secret), "OUTWARD_DATA_DIR": str(tmp_path)}
    assert _read(monkeypatch, env).SECRET_KEY == "s" * 60


@pytest.mark.django_db  # the model checks ask the database what it supports
@pytest.mark.parametrize(
    ("env", "errors"),
    [
        ({}, {"outward.E001", "outward.E002"}),
        ({"OUTWARD_SECRET_KEY": "short", "OUTWARD_ALLOWED_HOSTS": "x.org"}, {"outward.E001"}),
        ({"OUTWARD_SECRET_KEY": "k" * 50}, {"outward.E002"}),
        (GOOD, set()),
    ],
)
def test_system_check_refuses_unsafe_production(tmp_path, monkeypatch, env, errors):
    output, passed = _check(monkeypatch, {**env, "OUTWARD_DATA_DIR": str(tmp_path)})
    assert set(re.findall(r"outward\.E\d{3}", output)) == errors
    assert passed == (not errors)


@pytest.mark.django_db  # the model checks ask the database what it supports
@pytest.mark.parametrize(
    ("env", "warned"), [({}, True), ({"OUTWARD_EMAIL_HOST": "smtp.x.org"}, False)]
)
def test_production_without_smtp_starts_with_a_clear_warning(tmp_path, monkeypatch, env, warned):
    output, passed = _check(monkeypatch, {**GOOD, **env, "OUTWARD_DATA_DIR": str(tmp_path)})
    assert passed
    assert ("outward.W001" in output) == warned


def test_the_demo_runs_without_debug_pages_over_plain_http_on_this_machine(tmp_path):
    code = (
        "import django, json; django.setup(); from django.conf import settings as s; "
        "from django.core.management import call_command; call_command('check'); "
        "print(json.dumps([s.DEBUG, s.ALLOWED_HOSTS, s.SESSION_COOKIE_SECURE, "
        "s.STATIC_MANIFEST]))"
    )
    result = _run(code, {"OUTWARD_DEMO": "1", "OUTWARD_DATA_DIR": str(tmp_path)})
    assert result.returncode == 0, result.stderr
    debug, hosts, secure_cookie, manifest = json.loads(result.stdout.splitlines()[-1])
    assert debug is False and hosts == ["127.0.0.1", "localhost"]
    assert secure_cookie is False and manifest is False


def test_serve_refuses_the_demo_setting(tmp_path):
    code = "from outward.cli import main; main(['outward', 'serve'])"
    result = _run(code, {"OUTWARD_DEMO": "1", "OUTWARD_DATA_DIR": str(tmp_path)})
    assert result.returncode != 0
    assert "OUTWARD_DEMO is for `outward demo`" in result.stderr


def test_a_missing_page_is_plain_and_lists_no_url_patterns(client, db):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "This page is not here" in response.text
    assert "URLconf" not in response.text and "clients/&lt;int" not in response.text


def test_every_page_links_the_favicon(client, db):
    assert 'rel="icon" href="/static/outward/favicon.svg"' in client.get("/login/").text


def test_csp_header_forbids_inline_code(client, db):
    policy = client.get("/login/")["Content-Security-Policy"]
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
    assert "script-src 'self'" in policy and "style-src 'self'" in policy


def test_templates_have_no_inline_script_style_or_handlers():
    inline = re.compile(r"<script(?![^>]*\bsrc=)|\sstyle=|\son[a-z]+=", re.IGNORECASE)
    offenders = [
        str(path.relative_to(ROOT))
        for path in (ROOT / "outward").rglob("templates/**/*.html")
        if inline.search(path.read_text())
    ]
    assert offenders == []


def test_template_comments_end_on_their_line():
    """A `{# … #}` comment is one line in Django; spread over two it is shown on the page."""
    offenders = [
        str(path.relative_to(ROOT))
        for path in (ROOT / "outward").rglob("templates/**/*.html")
        if any("{#" in line and "#}" not in line for line in path.read_text().splitlines())
    ]
    assert offenders == []


@pytest.mark.django_db  # the model checks ask the database what it supports
@pytest.mark.parametrize(
    ("env", "errors"),
    [
        ({"OUTWARD_SESSION_MAX_HOURS": "0"}, {"outward.E020"}),
        (
            {"OUTWARD_SESSION_MAX_HOURS": "1", "OUTWARD_SESSION_IDLE_MINUTES": "90"},
            {"outward.E020"},
        ),
        ({"OUTWARD_SESSION_MAX_HOURS": "8"}, set()),
    ],
)
def test_system_check_refuses_a_session_lifetime_shorter_than_the_idle_time(
    tmp_path, monkeypatch, env, errors
):
    env = {**GOOD, **env, "OUTWARD_DATA_DIR": str(tmp_path)}
    assert str(_read(monkeypatch, env).SESSION_MAX_HOURS) == env["OUTWARD_SESSION_MAX_HOURS"]
    output, passed = _check(monkeypatch, env)
    assert set(re.findall(r"outward\.E\d{3}", output)) == errors
    assert passed == (not errors)
