"""The set checker catches what a set's writer can get wrong without running the bot."""

from __future__ import annotations

from pathlib import Path

from tests.dialogues.check_set import problems


def _write(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "some_set.yml"
    path.write_text(body, encoding="utf-8")
    return path


def test_a_bare_yes_or_number_is_reported_because_yaml_reads_it_as_no_text(
    tmp_path: Path,
) -> None:
    path = _write(
        tmp_path,
        "- id: a\n  kind: courtesy\n  turns:\n"
        "    - say: yes\n      expect: [thanks]\n"
        "    - say: 6\n      expect: [thanks]\n",
    )
    found = problems(path)
    assert len(found) == 2
    assert all("say must be quoted text" in line for line in found)


def test_a_well_formed_set_has_no_problems(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        '- id: a\n  kind: courtesy\n  turns:\n    - say: "yes"\n      expect: [thanks]\n',
    )
    assert problems(path) == []
