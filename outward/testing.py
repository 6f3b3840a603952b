"""Loaded by pytest (`-p outward.testing` in pyproject) before Django reads its settings:
the suite runs with production settings except for what a plain-HTTP test server needs."""

import os

os.environ.setdefault("OUTWARD_SSL_REDIRECT", "0")
os.environ.setdefault("OUTWARD_SECURE_COOKIES", "0")
os.environ.setdefault("OUTWARD_STATIC_MANIFEST", "0")
os.environ.setdefault("OUTWARD_TASKS_IMMEDIATE", "1")
