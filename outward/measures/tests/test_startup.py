"""A broken instrument definition stops Outward at start-up, naming the file and the problem."""

import json
import os
import subprocess
import sys
from pathlib import Path

from outward.measures.definitions import INSTRUMENTS_DIR

ROOT = Path(__file__).resolve().parents[3]


def test_broken_definition_stops_start_up(tmp_path):
    for path in Path(INSTRUMENTS_DIR).glob("*.json"):
        (tmp_path / path.name).write_text(path.read_text())
    broken = json.loads((tmp_path / "gad7.json").read_text())
    broken["scales"][0]["items"].append("99")
    (tmp_path / "gad7.json").write_text(json.dumps(broken))
    code = (
        "import outward.measures.definitions as d, pathlib; "
        f"d.INSTRUMENTS_DIR = pathlib.Path({str(tmp_path)!r}); "
        "import django; django.setup()"
    )
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "outward.settings", "OUTWARD_DEBUG": "1"}
    result = subprocess.run(
        [sys.executable, "-c", code], env=env, cwd=ROOT, capture_output=True, text=True, timeout=60
    )
    assert result.returncode != 0
    assert "DefinitionError: gad7.json:" in result.stderr
    assert "99" in result.stderr.splitlines()[-1]
