"""The preview's messages: what the server writes, the builder reads, and back."""

from __future__ import annotations

import json
from pathlib import Path

from blogtools.preview.protocol import Build, Built, read_command
from blogtools.preview.server import Plan, classify


def test_a_command_reads_back_as_written():
    command = Build(("b.md", "a.md"), full=False, forget=True)
    line = command.line()
    assert json.loads(line) == {"cmd": "build", "changed": ["a.md", "b.md"], "full": False,
                                "forget": True}  # fmt: skip
    assert read_command(line) == Build(("a.md", "b.md"), False, True)


def test_a_command_written_by_hand_is_read_with_its_defaults():
    assert read_command('{"cmd": "build", "changed": ["x.md"]}') == Build(("x.md",))
    assert read_command('{"cmd": "quit"}') == "quit"
    for junk in ("", "not json", "[1, 2]", '{"cmd": "dance"}', "null"):
        assert read_command(junk) is None, junk


def test_a_result_reads_back_as_written():
    problem = {"text": "content/a.md:3: bad — fix it", "path": "content/a.md", "line": 3}
    built = Built(0.25, 4, False, [problem])
    line = built.line()
    assert json.loads(line)["ok"] is False and json.loads(line)["event"] == "built"
    assert Built.from_line(line) == built and not built.ok
    assert Built(1.0, -1, True).ok


def test_a_builder_that_died_reads_as_one_problem_with_no_place():
    failed = Built.failed("the builder stopped")
    assert not failed.ok and failed.full
    assert failed.problems == [{"text": "the builder stopped", "path": None, "line": None}]


def test_saves_during_a_build_fold_into_one_plan(tmp_path: Path):
    root, content = tmp_path, tmp_path / "content"
    edits = classify([(1, str(content / "a.md")), (1, str(content / "x.md~"))], root, content)
    assert edits == Plan(changed={"a.md"})
    theme = classify([(1, str(root / "theme" / "templates" / "base.html"))], root, content)
    bib = classify([(1, str(content / "references.bib"))], root, content)
    code = classify([(1, str(root / "plugins" / "pelican" / "plugins" / "x" / "y.py"))], root,
                    content)  # fmt: skip
    assert theme == Plan(full=True) and bib == Plan(full=True, forget=True)
    assert code == Plan(full=True, restart=True)
    edits.merge(bib)
    assert edits == Plan(changed={"a.md"}, full=True, forget=True)
    assert edits.command() == Build(("a.md",), True, True)
