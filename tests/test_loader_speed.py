"""What keeps `validate` and `list` quick (issue 14) must not change what they find.

- A valid file is read without importing the module that explains model errors.
- The empty-file check looks at the first 4 KiB first; it answers as the whole-file check would.
- Event and command models are built when first used (`defer_build`); threads that use them
  for the first time at once (the room's server does) all get working models.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from roleplay.core.yamlsource import _blank_or_comments

ROOT = Path(__file__).resolve().parent.parent


def _whole_file_check(text: str) -> bool:
    return all(not ln.strip() or ln.lstrip().startswith("#") for ln in text.splitlines())


def test_valid_file_needs_no_model_errors_module():
    code = (
        "import sys\n"
        "from roleplay.core.loader import load_scenario\n"
        "result = load_scenario('scenarios/grow-coaching.yaml')\n"
        "assert result.ok, result.problems\n"
        "print('roleplay.core.model_errors' in sys.modules)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "False"


def test_file_with_model_errors_still_explained(tmp_path):
    path = tmp_path / "broken.yaml"
    path.write_text((ROOT / "tests" / "data" / "valid" / "branching.yaml").read_text(encoding="utf-8")
                    .replace("\nid: ", "\nid: Not An Id\nold_id: ", 1), encoding="utf-8")
    from roleplay.core.loader import load_scenario

    result = load_scenario(path)
    assert not result.ok
    assert any("old_id" in p.message for p in result.problems), result.problems


# Lines that are blank, comments or content, with the line breaks str.splitlines knows.
_LINE = st.sampled_from(["", " ", "\t", "# note", "   # note", "id: x", "  a", "#", " " * 50, "x"])
_BREAK = st.sampled_from(["\n", "\r\n", "\r", "\x85", "\u2028", "\x0c"])


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(_LINE, _BREAK), max_size=30), st.integers(0, 4200), st.sampled_from([" ", "#", "\n", "# c\n"]))
def test_empty_check_answers_as_the_whole_file_check(lines, pad, filler):
    # `pad` characters of filler first, so that lines fall on both sides of the 4 KiB mark
    text = filler * (pad // len(filler)) + "".join(line + brk for line, brk in lines)
    assert _blank_or_comments(text) == _whole_file_check(text)


def test_deferred_models_from_many_threads_at_once():
    code = (
        "import threading\n"
        "from roleplay.core import commands, events\n"
        "start = threading.Barrier(8)\n"
        "errors = []\n"
        "def work():\n"
        "    start.wait()\n"
        "    try:\n"
        "        for kind, model in events.KINDS.items():\n"
        "            if model.example:\n"
        "                assert events.parse_body(kind, dict(model.example)).payload()\n"
        "        commands.Pause()\n"
        "    except Exception as exc:\n"
        "        errors.append(repr(exc))\n"
        "threads = [threading.Thread(target=work) for _ in range(8)]\n"
        "for t in threads: t.start()\n"
        "for t in threads: t.join()\n"
        "print(errors or 'ok')\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "ok"
