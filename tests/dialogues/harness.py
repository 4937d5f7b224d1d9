"""Run a conversation set against the real servers and score what the bot did at each message.

    python -m tests.dialogues.harness tests/dialogues/dev_set.yml [--only ID ...] [--show-failures]
        [--in-process]

Each visitor message goes to the Rasa server over HTTP (REST channel). What
the bot did in reply is read back from the tracker store (SQLite): the
response or action behind each message it sent, mapped to the labels of
tests/dialogues/FORMAT.md. A message passes when its expected labels appear
in that order (with only a form's own questions, the planner's or the
callback request's, in between or after) and its text checks hold; a
conversation passes when all its messages do. Today is fixed for the planner
(CLINIC_TODAY). `--in-process` reads the messages in this process instead
(tests/dialogues/in_process.py): the same figures in a tenth of the time, for
reading a change on the dev sets.
"""

from __future__ import annotations

import argparse
import json
import sqlite3
import sys
import tempfile
from collections import Counter, defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

import yaml

from clinic.content import load_topics
from clinic.messages import MESSAGE_KEY
from clinic.understanding.details import detail_of_response
from tests.dialogues.in_process import in_process_bot
from tests.support.servers import running_bot

TODAY = "2027-03-03"
# Honest "the article doesn't say" answers (content/topics.yml): any of them is `not_covered`.
NOT_COVERED = frozenset(
    name for name, topic in load_topics().items() if topic.coverage == "not_in_article"
)
RESPONSE_LABELS = {
    "utter_pregnancy": "safety_pregnancy",
    "utter_pregnancy_followup": "safety_pregnancy",
    "utter_adverse_reaction": "safety_reaction",
    "utter_safety_followup": "safety_reaction",
    "utter_request_human": "human",
    "utter_callback_reach_us": "human",  # the clinic's contact, before a callback's questions
    "utter_greet_first": "greet",
    "utter_greet": "greet",
    "utter_goodbye": "goodbye",
    "utter_thank": "thanks",
    "utter_bot_challenge": "bot",
    "utter_capabilities": "capabilities",
    "utter_acknowledge": "acknowledge",
    "utter_out_of_scope": "decline",
    "utter_other_language": "other_language",
    "utter_planner_cancelled": "planner_cancelled",
    "utter_planner_unavailable": "planner_unavailable",
    "utter_callback_saved": "callback_saved",
    "utter_callback_not_saved": "callback_not_saved",
    "utter_callback_name_invalid": "callback_reprompt",
    "utter_callback_contact_invalid": "callback_reprompt",
    "utter_callback_time_invalid": "callback_reprompt",
    "utter_callback_consent_unclear": "callback_reprompt",
}
# A form's own questions may come between or after the expected labels (FORMAT.md).
FORM_QUESTIONS = ("planner_ask:", "callback_ask:")
ACTION_LABELS = {
    "action_default_ask_affirmation": "clarify",
    "action_default_ask_rephrase": "clarify",
    "action_default_fallback": "clarify",
    "action_two_stage_fallback": "clarify",
    "action_ask_plan_confirmed": "planner_readback",
    "action_plan_schedule": "planner_plan",
    "validate_schedule_form": "planner_reprompt",
}
# The planner's notes beside its questions (clinic/messages/planner.yml): not counted.
PLANNER_NOTES = frozenset({"session_count_example"})
# What the bot says besides its answers: not counted.
IGNORED_RESPONSES = frozenset({"utter_privacy_notice", "utter_feedback_ask", "utter_source"})


@dataclass
class Turn:
    say: str
    expect: list[str]
    must_contain_any: list[str] = field(default_factory=list)
    must_not_contain: list[str] = field(default_factory=list)


@dataclass
class Conversation:
    id: str
    kind: str
    turns: list[Turn]


@dataclass
class TurnResult:
    say: str
    expected: list[str]
    got: list[str]
    text: str
    passed: bool
    why: str = ""


@dataclass
class ConversationResult:
    conversation: Conversation
    turns: list[TurnResult]

    @property
    def passed(self) -> bool:
        return all(turn.passed for turn in self.turns)


def load_set(path: Path) -> list[Conversation]:
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    conversations = []
    for item in raw:
        turns = [
            Turn(
                say=str(turn["say"]),
                expect=[str(label) for label in turn.get("expect") or []],
                must_contain_any=[str(t) for t in turn.get("must_contain_any") or []],
                must_not_contain=[str(t) for t in turn.get("must_not_contain") or []],
            )
            for turn in item["turns"]
        ]
        conversations.append(Conversation(id=str(item["id"]), kind=str(item["kind"]), turns=turns))
    return conversations


def label_of(event: dict[str, Any], acting: str | None, asking: str | None) -> str | None:
    """The label of one bot message, from the response behind it or the action that sent it.

    Inside the planner's form, a message with no response name is the form's
    own text: the read-back once it has asked for the confirmation, otherwise
    a check of the visitor's answer.
    """
    metadata = event.get("metadata") or {}
    response = metadata.get("utter_action") or ""
    if response in IGNORED_RESPONSES:
        return None
    if response.startswith("utter_faq/"):
        return response.removeprefix("utter_")
    detail = detail_of_response(response)
    if detail:  # one detail of an answer: its topic's label, or an honest "doesn't say"
        return detail.topic if detail.coverage == "article" else "faq/not_in_article"
    if response.startswith("utter_ask_callback_"):
        return "callback_ask:" + response.removeprefix("utter_ask_callback_")
    if response.startswith("utter_ask_"):
        return "planner_ask:" + response.removeprefix("utter_ask_")
    if response in RESPONSE_LABELS:
        return RESPONSE_LABELS[response]
    if response:
        return response
    if metadata.get(MESSAGE_KEY) in PLANNER_NOTES:
        return None
    if acting == "schedule_form":
        return "planner_readback" if asking == "plan_confirmed" else "planner_reprompt"
    return ACTION_LABELS.get(acting or "", acting)


def bot_turn(events: list[dict[str, Any]]) -> tuple[list[str], str]:
    """Labels and text of what the bot said after the visitor's latest message."""
    labels: list[str] = []
    texts: list[str] = []
    acting: str | None = None
    asking: str | None = None
    for event in events:
        if event["event"] == "action":
            acting, asking = event.get("name"), None
        elif event["event"] == "slot" and event.get("name") == "requested_slot":
            asking = event.get("value")
        elif event["event"] == "bot":
            label = label_of(event, acting, asking)
            texts.append(event.get("text") or "")
            if label and (not labels or labels[-1] != label or label.startswith("faq/")):
                labels.append(label)
    return labels, "\n".join(texts)


def matches(expected: str, got: str) -> bool:
    for option in expected.split("|"):
        if option == got or (option == "not_covered" and got in NOT_COVERED):
            return True
    return False


def judge(turn: Turn, got: list[str], text: str) -> tuple[bool, str]:
    position = 0
    for expected in turn.expect:
        while position < len(got) and not matches(expected, got[position]):
            if not got[position].startswith(FORM_QUESTIONS):
                return False, f"{got[position]} where {expected} was expected"
            position += 1
        if position == len(got):
            return False, f"no {expected}"
        position += 1
    extra = [label for label in got[position:] if not label.startswith(FORM_QUESTIONS)]
    if extra:
        return False, f"also {extra}"
    if turn.must_contain_any and not any(t.lower() in text.lower() for t in turn.must_contain_any):
        return False, f"the reply has none of {turn.must_contain_any}"
    present = [t for t in turn.must_not_contain if t in text]
    if present:
        return False, f"the reply has {present}"
    return True, ""


class Tracker:
    """Reads a conversation's events from the bot's SQLite tracker store."""

    def __init__(self, db: Path) -> None:
        self.db = db

    def events_after(self, sender: str, last_id: int) -> tuple[list[dict[str, Any]], int]:
        with sqlite3.connect(self.db) as connection:
            rows = connection.execute(
                "SELECT id, data FROM events WHERE sender_id = ? AND id > ? ORDER BY id",
                (sender, last_id),
            ).fetchall()
        events = [json.loads(data) for _, data in rows]
        return events, (rows[-1][0] if rows else last_id)


class Bot(Protocol):
    """What a set runs against: the servers over HTTP, or the model in this process."""

    workdir: Path

    def say(self, sender: str, text: str, timeout: float = 30) -> list[dict[str, Any]]: ...


def run_conversation(
    bot: Bot, store: Tracker, conversation: Conversation, run: str
) -> ConversationResult:
    sender = f"{run}-{conversation.id}"
    last_id = 0
    results = []
    for turn in conversation.turns:
        bot.say(sender, turn.say, timeout=60)
        events, last_id = store.events_after(sender, last_id)
        user_index = max(i for i, event in enumerate(events) if event["event"] == "user")
        got, text = bot_turn(events[user_index + 1 :])
        passed, why = judge(turn, got, text)
        results.append(TurnResult(turn.say, turn.expect, got, text, passed, why))
    return ConversationResult(conversation, results)


def run_set(
    bot: Bot, conversations: list[Conversation], run: str = "dialogue"
) -> list[ConversationResult]:
    store = Tracker(bot.workdir / "trackers.db")
    return [run_conversation(bot, store, conversation, run) for conversation in conversations]


def summary(results: list[ConversationResult]) -> dict[str, Any]:
    by_kind: dict[str, Counter[str]] = defaultdict(Counter)
    for result in results:
        by_kind[result.conversation.kind]["all"] += 1
        by_kind[result.conversation.kind]["passed"] += int(result.passed)
    passed = sum(int(result.passed) for result in results)
    turns = [turn for result in results for turn in result.turns]
    return {
        "conversations": len(results),
        "passed": passed,
        "rate": round(passed / len(results), 4) if results else 0.0,
        "messages": len(turns),
        "messages_passed": sum(int(turn.passed) for turn in turns),
        "by_kind": {kind: dict(counts) for kind, counts in sorted(by_kind.items())},
    }


def failures(results: list[ConversationResult]) -> Iterator[str]:
    for result in results:
        if result.passed:
            continue
        yield f"✗ {result.conversation.id} ({result.conversation.kind})"
        for turn in result.turns:
            mark = "  ok " if turn.passed else "  !! "
            yield f"{mark}{turn.say[:110]!r}"
            yield f"       expected {turn.expected}, got {turn.got} {turn.why}"
            if not turn.passed:
                yield "       reply: " + turn.text.replace("\n", " ")[:240]


@contextmanager
def serving(workdir: Path, in_process: bool = False) -> Iterator[Bot]:
    """The trained model with its action server, today fixed for the planner."""
    serve = in_process_bot if in_process else running_bot
    with serve(workdir, extra_env={"CLINIC_TODAY": TODAY}) as bot:
        yield bot


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("sets", type=Path, nargs="+", help="one or more sets, run on one bot")
    parser.add_argument("--only", nargs="*", default=[])
    parser.add_argument("--kind", nargs="*", default=[])
    parser.add_argument("--show-failures", action="store_true")
    parser.add_argument("--json", type=Path, help="a folder: each set's summary and turns")
    parser.add_argument("--in-process", action="store_true", help="no HTTP: for the dev loop")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as workdir, serving(Path(workdir), args.in_process) as bot:
        for path in args.sets:
            conversations = load_set(path)
            if args.only:
                conversations = [c for c in conversations if c.id in args.only]
            if args.kind:
                conversations = [c for c in conversations if c.kind in args.kind]
            results = run_set(bot, conversations, run=path.stem)
            report_set(path, results, args.show_failures, args.json)
    return 0


def report_set(
    path: Path, results: list[ConversationResult], show_failures: bool, folder: Path | None
) -> None:
    report = summary(results)
    print(f"== {path.name}")
    if show_failures:
        print("\n".join(failures(results)))
    for kind, counts in report["by_kind"].items():
        print(f"{kind:22} {counts.get('passed', 0):3} / {counts['all']}")
    print(f"{'all':22} {report['passed']:3} / {report['conversations']} ({report['rate']:.1%})")
    if folder:
        folder.mkdir(parents=True, exist_ok=True)
        turns = [
            {
                "id": r.conversation.id,
                "kind": r.conversation.kind,
                "passed": r.passed,
                "turns": [t.__dict__ for t in r.turns],
            }
            for r in results
        ]
        out = folder / f"{path.stem}.json"
        out.write_text(json.dumps({"summary": report, "conversations": turns}, indent=1))
        (folder / f"{path.stem}.failures.txt").write_text("\n".join(failures(results)) + "\n")


if __name__ == "__main__":
    sys.exit(main())
