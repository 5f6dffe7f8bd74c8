"""Run one of the web app's ES modules under Node, so tests can hold browser logic to the server's rules."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

ROOM_JS = Path(__file__).resolve().parents[2] / "web" / "static" / "js" / "room"


def run_node(script: str, payload: Any) -> Any:
    """Run `script`, an ES module that reads JSON from stdin and prints JSON, and return what it printed.
    It imports the room modules as `"room/<file>.js"`."""
    script = script.replace('"room/', json.dumps(ROOM_JS.as_uri() + "/")[:-1])
    node = shutil.which("node")
    if node is None:
        pytest.fail("node is missing: it comes with npm, which `make install` needs for the web packages")
    done = subprocess.run(
        [node, "--input-type=module", "-e", script],
        input=json.dumps(payload),
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)
