"""Check a conversation set's format and labels against FORMAT.md, without running the bot.

    python tests/dialogues/check_set.py tests/dialogues/<name>_set.yml

Needs only PyYAML, so a set's writer can run it without the project installed.
"""

from __future__ import annotations

import sys
from pathlib import Path

import yaml

ARTICLE_TOPICS = [
    "what_is",
    "ingredients",
    "origin",
    "conditions",
    "benefits",
    "vs_anti_wrinkle",
    "combine_anti_wrinkle",
    "choose_clinician",
    "preparation",
    "aftercare",
    "other_treatments_after",
    "exercise_after",
    "sun_after",
    "questions_to_ask",
    "sessions_needed",
    "session_frequency",
    "opening_hours",
    "booking",
    "contact",
]
PLANNER_SLOTS = [
    "start_date",
    "session_count",
    "main_concern",
    "preferred_weekdays",
    "other_treatments",
    "sun_trips",
    "last_session",
]
CALLBACK_SLOTS = ["name", "contact", "time", "consent"]
LABELS = frozenset(
    [f"faq/{topic}" for topic in ARTICLE_TOPICS]
    + [f"planner_ask:{slot}" for slot in PLANNER_SLOTS]
    + [f"callback_ask:{slot}" for slot in CALLBACK_SLOTS]
    + [
        "not_covered",
        "safety_pregnancy",
        "safety_reaction",
        "human",
        "greet",
        "goodbye",
        "thanks",
        "bot",
        "capabilities",
        "acknowledge",
        "decline",
        "clarify",
        "other_language",
        "planner_readback",
        "planner_plan",
        "planner_cancelled",
        "planner_reprompt",
        "callback_saved",
        "callback_not_saved",
        "callback_reprompt",
    ]
)
KINDS = frozenset(
    [
        "long_message",
        "two_questions",
        "follow_up",
        "other_language",
        "irrelevant_detail",
        "not_named_condition",
        "safety",
        "neighbour",
        "misc",
        "planner",
        "elliptic",
        "correction",
        "topic_switch",
        "person",
        "planner_interjection",
        "planner_opener",
        "courtesy",
        "callback",
    ]
)
TURN_KEYS = frozenset({"say", "expect", "must_contain_any", "must_not_contain"})


def problems(path: Path) -> list[str]:
    """Everything wrong with a set's format, as lines a writer can act on."""
    found: list[str] = []
    conversations = yaml.safe_load(path.read_text(encoding="utf-8"))
    if not isinstance(conversations, list):
        return [f"{path}: the file must be a YAML list of conversations"]
    seen: set[str] = set()
    for index, conversation in enumerate(conversations):
        name = str(conversation.get("id") or f"#{index}")
        if name in seen:
            found.append(f"{name}: the id is used twice")
        seen.add(name)
        if conversation.get("kind") not in KINDS:
            found.append(f"{name}: unknown kind {conversation.get('kind')!r}")
        turns = conversation.get("turns") or []
        if not turns:
            found.append(f"{name}: no turns")
        for number, turn in enumerate(turns, start=1):
            if set(turn) - TURN_KEYS:
                found.append(f"{name} turn {number}: unknown keys {sorted(set(turn) - TURN_KEYS)}")
            said = turn.get("say")
            if not isinstance(said, str):
                # YAML reads a bare yes/no as a boolean and 6 as a number: quote them.
                found.append(f"{name} turn {number}: say must be quoted text, not {said!r}")
            elif not said.strip():
                found.append(f"{name} turn {number}: nothing said")
            expect = turn.get("expect")
            if not isinstance(expect, list) or not expect:
                found.append(f"{name} turn {number}: expect must be a non-empty list")
                continue
            for label in expect:
                for option in str(label).split("|"):
                    if option not in LABELS:
                        found.append(f"{name} turn {number}: unknown label {option!r}")
    return found


def main(argv: list[str]) -> int:
    found = [line for name in argv for line in problems(Path(name))]
    print("\n".join(found) or "ok")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
