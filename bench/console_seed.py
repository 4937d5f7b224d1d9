"""A tracker store full of realistic conversations, for the console's benchmark and tests.

Writes Rasa 3.6's own event JSON into `events`, the way the SQL tracker store
does: a session start, then turns of a visitor message (with its intent and
confidence), the actions and bot messages (with their response names), the
planner's steps, 👍/👎 and what was missing. The mix of questions, unanswered
messages, safety routes and schedules is fixed by a seed, so runs compare.

    python -m bench.console_seed --db var/bench-console.db --conversations 10000
"""

from __future__ import annotations

import argparse
import json
import random
import time
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from typing_extensions import Self

from clinic.tracker_db import EVENTS

MODEL_ID = "bench-model"
ANSWERED = [
    ("how many sessions will i need", "faq/sessions_needed"),
    ("what is mesotherapy", "faq/what_is"),
    ("can i exercise after", "faq/exercise_after"),
    ("how do i prepare", "faq/preparation"),
    ("what's in the injection", "faq/ingredients"),
    ("can i go in the sun after", "faq/sun_after"),
    ("how often are sessions", "faq/session_frequency"),
]
NOT_COVERED = [
    ("how much does it cost", "faq/price"),
    ("whats the price", "faq/price"),
    ("does it hurt", "faq/pain"),
    ("is it painful", "faq/pain"),
    ("can i drink alcohol after", "faq/alcohol_after"),
    ("when can i wear makeup again", "faq/makeup_after"),
]
UNCLEAR = [
    "do you do lip fillers too",
    "is there parking at the clinic",
    "do you do lip filler",
    "can i bring my dog",
    "is parking available nearby",
    "what's the wifi password",
]
SAFETY = [
    ("i'm pregnant, can i have it", "ask_pregnancy", "utter_pregnancy"),
    ("my face is swollen since the session", "report_adverse_reaction", "utter_adverse_reaction"),
]


class Writer:
    """One conversation's rows, written the way Rasa's SQL tracker store writes them."""

    def __init__(self, sender: str, at: float) -> None:
        self.sender, self.at = sender, at
        self.rows: list[dict[str, Any]] = []

    def add(self, data: dict[str, Any], step: float = 1.0) -> None:
        self.at += step
        data["timestamp"] = self.at
        self.rows.append(
            {
                "sender_id": self.sender,
                "type_name": data["event"],
                "timestamp": self.at,
                "intent_name": (data.get("parse_data") or {}).get("intent", {}).get("name"),
                "action_name": data.get("name") if data["event"] == "action" else None,
                "data": json.dumps(data),
            }
        )

    def user(self, text: str, intent: str, confidence: float = 0.95) -> None:
        parse = {"intent": {"name": intent, "confidence": confidence}, "text": text, "entities": []}
        self.add(
            {
                "event": "user",
                "text": text,
                "parse_data": parse,
                "input_channel": "socketio",
                "metadata": {"model_id": MODEL_ID},
            },
            step=20.0,
        )
        self.add({"event": "user_featurization", "use_text_for_featurization": False}, 0.0)

    def bot(self, action: str, text: str, response: str | None = None) -> None:
        self.add({"event": "action", "name": action, "policy": "RulePolicy", "confidence": 1.0})
        named = response or (action if action.startswith("utter_") else None)
        metadata = {"utter_action": named} if named else {}
        self.add({"event": "bot", "text": text, "data": {}, "metadata": metadata}, 0.1)

    def listen(self) -> None:
        self.add({"event": "action", "name": "action_listen"}, 0.1)

    def start(self) -> Self:
        """What Rasa stores before the visitor's first message: the session start's notice."""
        self.add({"event": "action", "name": "action_session_start"}, 0.0)
        self.add({"event": "session_started"}, 0.0)
        self.bot("utter_privacy_notice", "I'm an automated assistant…")
        self.listen()
        return self


def conversation(sender: str, at: float, rng: random.Random) -> list[dict[str, Any]]:
    """One visitor's conversation: a few questions, sometimes a schedule, sometimes feedback."""
    w = Writer(sender, at).start()
    for _ in range(rng.randint(1, 4)):
        roll = rng.random()
        if roll < 0.55:
            text, topic = rng.choice(ANSWERED)
            w.user(text, "faq")
            w.bot("utter_faq", "From the article…", f"utter_{topic}")
            if rng.random() < 0.2:
                up = rng.random() < 0.7
                w.listen()
                intent = "feedback_up" if up else "feedback_down"
                w.user(f"/{intent}", intent, 1.0)
                if up:
                    w.bot("utter_feedback_thanks", "Thanks!")
                else:
                    w.bot("feedback_form", "What was missing?", "utter_ask_feedback_text")
                    w.listen()
                    w.user("i wanted to know about prices", "faq", 0.6)
                    w.bot("utter_feedback_thanks", "Thanks for telling us.")
        elif roll < 0.75:
            text, topic = rng.choice(NOT_COVERED)
            w.user(text, "faq")
            w.bot("utter_faq", "The article doesn't say…", f"utter_{topic}")
        elif roll < 0.87:
            w.user(rng.choice(UNCLEAR), "nlu_fallback", 0.3)
            w.bot("action_default_ask_affirmation", "Did you mean…?")
            w.listen()
            if rng.random() < 0.5:
                w.user("/faq/what_is", "faq", 1.0)
                w.bot("utter_faq", "Mesotherapy is…", "utter_faq/what_is")
            else:
                w.user("/out_of_scope", "out_of_scope", 1.0)
                w.bot("action_default_ask_rephrase", "Could you say it another way?")
        elif roll < 0.9:
            text, intent, response = rng.choice(SAFETY)
            w.user(text, intent, 0.98)
            w.bot(response, "Please contact the clinic's team…")
        else:
            w.user("plan my sessions", "request_schedule")
            w.add({"event": "action", "name": "schedule_form"})
            w.add({"event": "active_loop", "name": "schedule_form"}, 0.0)
            w.bot("schedule_form", "When would you like to start?", "utter_ask_start_date")
            w.listen()
            w.user("next monday", "inform")
            if rng.random() < 0.6:
                w.add({"event": "slot", "name": "schedule", "value": [{"date": "2027-01-04"}]})
                w.add({"event": "active_loop", "name": None}, 0.0)
                w.bot("action_plan_schedule", "Your plan: 6 sessions")
        w.listen()
    return w.rows


def seed(engine: sa.engine.Engine, conversations: int, days: int = 30, seed_value: int = 7) -> int:
    """Write `conversations` conversations over the last `days` days; returns the events."""
    EVENTS.metadata.create_all(engine, tables=[EVENTS])
    rng = random.Random(seed_value)
    now = time.time()
    written = 0
    batch: list[dict[str, Any]] = []
    for number in range(conversations):
        start = now - rng.random() * days * 86400 - 600
        batch += conversation(f"bench-{number:06d}", start, rng)
        if len(batch) > 20_000:
            written += _flush(engine, batch)
    return written + _flush(engine, batch)


def _flush(engine: sa.engine.Engine, batch: list[dict[str, Any]]) -> int:
    count = len(batch)
    if batch:
        with engine.begin() as connection:
            connection.execute(sa.insert(EVENTS), batch)
        batch.clear()
    return count


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--db", type=Path, required=True)
    parser.add_argument("--conversations", type=int, default=10_000)
    args = parser.parse_args()
    engine = sa.create_engine(f"sqlite:///{args.db}")
    print(f"{seed(engine, args.conversations)} events written to {args.db}")


if __name__ == "__main__":
    main()
