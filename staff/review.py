"""What staff file from the unanswered questions, for a person to check before use.

"New wording for topic X" goes to `review/new-wording.yml`, in Rasa's NLU
training format, so once someone has read it `make take-review` moves it into
data/nlu/ for the next `make train`. "A question for the article" goes to
`review/article-questions.yml`, for whoever owns the clinic's content. Phone
numbers and email addresses a visitor typed are replaced before anything is
written (clinic/privacy/personal_data.py): training data outlives conversations.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import Any

import yaml

from clinic.content import load_topics
from clinic.privacy.personal_data import redact
from clinic.settings import PROJECT_ROOT

REVIEW_DIR = PROJECT_ROOT / "review"
NEW_WORDING = "new-wording.yml"
ARTICLE_QUESTIONS = "article-questions.yml"


def _read(path: Path) -> dict[str, Any]:
    if not path.is_file():
        return {}
    loaded = yaml.safe_load(path.read_text(encoding="utf-8"))
    return loaded if isinstance(loaded, dict) else {}


def add_new_wording(review_dir: Path, topic: str, examples: list[str]) -> Path:
    """Append examples for `topic` (an intent, or `faq/<topic>`) to the NLU review file."""
    path = review_dir / NEW_WORDING
    data = _read(path)
    blocks: list[dict[str, Any]] = list(data.get("nlu") or [])
    block = next((b for b in blocks if b.get("intent") == topic), None)
    if block is None:
        block = {"intent": topic, "examples": ""}
        blocks.append(block)
    known = _listed(block)
    for example in examples:
        cleaned = cleaned_example(example)
        if cleaned and cleaned not in known:
            known.append(cleaned)
    block["examples"] = "".join(f"- {line}\n" for line in known)
    _write(path, {"version": "3.1", "nlu": blocks}, "New wordings filed by staff")
    return path


def cleaned_example(text: str) -> str:
    """A visitor's message as the review file holds it: contact details replaced, one line."""
    return " ".join(redact(text).split())


def new_wordings(review_dir: Path, topic: str) -> list[str]:
    """The examples the review file holds for `topic`, as written."""
    blocks = _read(review_dir / NEW_WORDING).get("nlu") or []
    block = next((b for b in blocks if isinstance(b, dict) and b.get("intent") == topic), None)
    return [] if block is None else _listed(block)


def _listed(block: dict[str, Any]) -> list[str]:
    return [
        line[2:] for line in str(block.get("examples") or "").splitlines() if line.startswith("- ")
    ]


def add_article_question(review_dir: Path, examples: list[str], count: int, account: str) -> Path:
    path = review_dir / ARTICLE_QUESTIONS
    data = _read(path)
    questions: list[dict[str, Any]] = list(data.get("questions") or [])
    questions.append(
        {
            "asked": [cleaned_example(e) for e in examples],
            "times": count,
            "filed_by": account,
            "filed": time.strftime("%Y-%m-%d"),
        }
    )
    _write(path, {"questions": questions}, "Questions visitors ask that the article doesn't answer")
    return path


class _Literal(str):
    """Written as a YAML block (`|`), the way Rasa's NLU files list examples."""


class _Dumper(yaml.SafeDumper):
    """Safe YAML, with `_Literal` strings as blocks."""


def _literal(dumper: yaml.SafeDumper, value: _Literal) -> yaml.Node:
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style="|")


_Dumper.add_representer(_Literal, _literal)


def _write(path: Path, data: dict[str, Any], title: str) -> None:
    for block in data.get("nlu") or []:
        block["examples"] = _Literal(block["examples"])
    path.parent.mkdir(parents=True, exist_ok=True)
    header = (
        f"# {title} from the console (/staff/unanswered). Check every line before it is\n"
        "# used: visitor text, phone numbers and emails already replaced.\n"
    )
    body = yaml.dump(data, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100)
    temporary = path.with_suffix(".tmp")
    temporary.write_text(header + body, encoding="utf-8")
    temporary.replace(path)


def take(review_dir: Path, nlu_dir: Path, known_topics: set[str]) -> Path:
    """Move the checked review file into the training data, under a dated name.

    Refuses a file whose topics the bot doesn't have, or with no examples left.
    """
    path = review_dir / NEW_WORDING
    data = _read(path)
    blocks = data.get("nlu")
    if not isinstance(blocks, list) or not blocks:
        raise ReviewError(f"{path} has no new wordings to take.")
    for block in blocks:
        topic = block.get("intent") if isinstance(block, dict) else None
        if topic not in known_topics:
            raise ReviewError(f"{path}: {topic!r} is not a topic of the bot; fix or remove it.")
        if not str(block.get("examples") or "").strip():
            raise ReviewError(f"{path}: {topic} has no examples left; remove it.")
    target = nlu_dir / f"reviewed-{time.strftime('%Y%m%d-%H%M%S')}.yml"
    target.write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
    path.unlink()
    return target


class ReviewError(ValueError):
    """The review file can't be taken as it is; the message says what to fix."""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Take the checked review file into data/nlu/.")
    parser.add_argument("command", choices=["take"])
    parser.parse_args(argv)
    try:
        target = take(REVIEW_DIR, PROJECT_ROOT / "data" / "nlu", set(load_topics()))
    except ReviewError as error:
        print(error, file=sys.stderr)
        return 2
    print(f"Moved the new wordings to {target.relative_to(PROJECT_ROOT)}; now training.")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
