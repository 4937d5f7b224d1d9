"""What a visitor asked, from the classifier's readings of their message and its parts.

The reader (rasa_ext/nlu/readings.py) classifies the whole message and, where
it helps, its parts (`segments`) and the full question a short follow-up
implies (`followups`). `decide` weighs those readings with what the bot
answered last (`Context`) and says what the message asks:

1. Another language: the bot says, in it, that it answers in English.
2. In the planning form, nothing changes: the form reads the raw answer.
3. After a safety route, a message that is not clearly something new
   ("is that normal?") is a follow-up of it and goes back to the clinic's team.
4. A short follow-up is read as the full question it implies (its frame's
   wording, or appended to the question before it) when that reading is
   surer than the literal one ("and alcohol?" after an aftercare answer is
   alcohol after the treatment, not the night before). A message that reports
   a problem after a treatment is routed even when it reads as a question
   about side effects ("bruising after my session, is that normal?").
5. A longer message: its questions (the parts worded as questions, not the
   story around them) are answered in order, and a problem it reports after
   a treatment is routed first (clinic/understanding/reports.py: the
   classifier's reading of a story is not enough). One question inside a
   story: that question.
6. Otherwise the whole message's reading stands.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from clinic.content import NAMED_CONDITIONS, load_topics
from clinic.understanding.followups import template_for
from clinic.understanding.negation import mentions_pregnancy, pregnancy_denied
from clinic.understanding.reports import names_a_problem, reports_a_problem
from clinic.understanding.segments import words

FAQ = "faq"
OTHER_LANGUAGE = "other_language"
SAFETY_FOLLOWUP = "safety_followup"
PREGNANCY = "ask_pregnancy"
REACTION = "report_adverse_reaction"
SAFETY_INTENTS = (PREGNANCY, REACTION, SAFETY_FOLLOWUP)
# What a part of a message must reach to count as a question of its own.
MIN_ANSWER_SCORE = 0.45
MIN_INTENT_SCORE = 0.7
MIN_REPORT_SCORE = 0.8
# A reading of a report in a longer message, when its words also make one.
MIN_PART_REPORT = 0.5
# A follow-up's rewrite must be at least this sure to replace the literal reading.
MIN_FOLLOWUP_SCORE = 0.5
# Intents a part may ask, besides FAQ answers.
QUESTION_INTENTS = frozenset(
    {PREGNANCY, REACTION, SAFETY_FOLLOWUP, "request_schedule", "request_human", "bot_challenge",
     "ask_capabilities"}
)  # fmt: skip
# Clear replies of their own: a follow-up reading never replaces them.
REPLIES = frozenset(
    {"greet", "goodbye", "thank", "affirm", "deny", "cancel", "bot_challenge", "ask_capabilities",
     "request_human", "request_schedule", PREGNANCY, REACTION}
)  # fmt: skip
NOT_A_READING = frozenset({"out_of_scope", "nlu_fallback"})
MAX_REPLY_WORDS = 3  # "ok thanks", "no thank you": longer, a "no" may open a question
# After a safety route these still start something new when they are clear.
NEW_AFTER_SAFETY = frozenset(
    {"greet", "goodbye", "thank", "request_schedule", "request_human", "bot_challenge",
     "ask_capabilities", PREGNANCY, REACTION, "cancel"}
)  # fmt: skip
# A message this long is a story: its one question is what it asks, whatever the
# whole message reads as. A shorter one ("I'm on antibiotics, can I have it?") is
# read whole, unless a part of it is a safety route.
STORY_WORDS = 25
# Answers a message naming a condition the article doesn't name may get instead of the
# conditions answer, which is the one that says what the article does and doesn't name.
INSTEAD_OF_CONDITIONS = frozenset(
    {"faq/benefits", "faq/what_is", "faq/vs_anti_wrinkle", "faq/not_in_article",
     "faq/results_timeline", "faq/results_duration", "nlu_fallback", "out_of_scope"}
)  # fmt: skip
# Answers that, after a reported problem, are about that problem: the clinic answers them.
ABOUT_A_PROBLEM = frozenset(
    {"faq/side_effects", "faq/pain", "faq/aftercare", "faq/downtime", "faq/results_timeline",
     "faq/medication", "faq/allergies", "faq/contraindications", "faq/not_in_article",
     "faq/sun_after", "faq/exercise_after"}
)  # fmt: skip
# After a pregnancy is mentioned, yes/no questions ("is it alright to carry on?",
# "can I still have the injections?") are about it: the doctors answer them. A
# question of its own ("and what is it anyway?") still gets its answer.
_YES_NO = re.compile(
    r"^\W*(?:is|are|can|could|should|would|will|do|does|am|would it|is it)\b", re.I
)
ROUTES = frozenset({PREGNANCY, REACTION, SAFETY_FOLLOWUP})


@dataclass(frozen=True)
class Reading:
    """The classifier's best reading of one text."""

    text: str
    intent: str
    confidence: float
    answer: str | None = None  # "faq/<topic>" when the intent is faq
    answer_confidence: float = 0.0
    is_question: bool = True  # False for a statement in a longer message
    conditions: tuple[str, ...] = ()  # `condition` entity values in the text
    runner_up: Reading | None = None  # the next best reading, for a first one set aside

    @property
    def label(self) -> str:
        return self.answer if self.intent == FAQ and self.answer else self.intent

    @property
    def score(self) -> float:
        """How sure the reading is of its label (for an FAQ, of the intent and the answer)."""
        if self.intent == FAQ:
            return self.confidence * self.answer_confidence
        return self.confidence

    def asks_something(self) -> bool:
        if self.intent == FAQ:
            return self.answer is not None and self.score >= MIN_ANSWER_SCORE
        if self.intent == REACTION:
            return self.score >= MIN_REPORT_SCORE
        return self.intent in QUESTION_INTENTS and self.score >= MIN_INTENT_SCORE


@dataclass(frozen=True)
class Context:
    """What the conversation says about the new message."""

    frame: str | None = None  # content/topics.yml frame of the bot's last answer
    in_form: bool = False
    previous_question: str | None = None  # the visitor's message that answer answered
    template: str | None = None  # how a follow-up reads after that answer


@dataclass(frozen=True)
class Decision:
    """What the message asks: a reading to use instead of the whole message's, and/or several."""

    reading: Reading | None = None
    questions: tuple[Reading, ...] = field(default_factory=tuple)
    language: str | None = None
    rule: str = "whole"


def frame_of(label: str | None) -> str | None:
    """The follow-up frame of an answered topic or route (content/topics.yml)."""
    topic = load_topics().get(label or "")
    return topic.frame if topic else None


def followup_template(label: str | None) -> str | None:
    """How a follow-up reads after an answered topic (content/topics.yml, else its frame)."""
    topic = load_topics().get(label or "")
    return template_for(topic.frame, topic.followup) if topic else None


def _safety_followup(whole: Reading, context: Context) -> Decision | None:
    if context.frame not in ("reaction", "pregnancy"):
        return None
    if whole.intent in NEW_AFTER_SAFETY and whole.score >= MIN_INTENT_SCORE:
        return None
    if (
        whole.intent == FAQ
        and whole.score >= MIN_ANSWER_SCORE
        and whole.label not in ABOUT_A_PROBLEM
    ):
        return None
    intent = SAFETY_FOLLOWUP if context.frame == "reaction" else PREGNANCY
    return Decision(reading=Reading(whole.text, intent, 1.0), rule="safety_followup")


def _questions(parts: Sequence[Reading], reported: bool) -> list[Reading]:
    """The distinct questions the parts ask, in the visitor's order (planning last).

    A statement counts only when it says the visitor is pregnant or
    breast-feeding; after such a statement, or a reported problem, general
    questions are about it and go with the route.
    """
    asked: list[Reading] = []

    def tells_pregnancy(part: Reading) -> bool:
        return (
            part.intent == PREGNANCY
            and part.score >= MIN_INTENT_SCORE
            and (part.is_question or mentions_pregnancy(part.text))
        )

    pregnancy = any(tells_pregnancy(part) for part in parts)
    for part in parts:
        told_pregnancy = tells_pregnancy(part)
        if not told_pregnancy and (
            not part.is_question or part.intent in SAFETY_INTENTS or not part.asks_something()
        ):
            continue
        if (reported and part.label in ABOUT_A_PROBLEM) or (
            pregnancy and not told_pregnancy and _YES_NO.match(part.text)
        ):
            continue  # "is it ok?", "can I still have the injections?": about the route
        if part.label not in {seen.label for seen in asked}:
            asked.append(part)
    return sorted(asked, key=lambda part: part.intent == "request_schedule")


def _reported(whole: Reading, parts: Sequence[Reading]) -> Reading | None:
    """The report of a problem in a longer message, when the message really makes one."""
    readings = [whole, *parts]
    candidates = [r for r in readings if r.intent == REACTION and r.score >= MIN_PART_REPORT]
    if candidates and reports_a_problem(whole.text):
        return Reading(whole.text, REACTION, max(r.score for r in candidates))
    return None


def _denial_removed(whole: Reading, parts: Sequence[Reading]) -> tuple[Reading, list[Reading]]:
    """Without the pregnancy readings of a message that denies a pregnancy."""
    if not pregnancy_denied(whole.text):
        return whole, list(parts)
    if whole.intent == PREGNANCY:
        whole = whole.runner_up or Reading(whole.text, "nlu_fallback", 0.0)
    return whole, [part for part in parts if part.intent != PREGNANCY]


def _followup(
    whole: Reading, rewrites: Sequence[Reading], joined: Sequence[Reading]
) -> Reading | None:
    """The follow-up reading to use instead of the literal one, if it is the surer.

    A rewrite in the answer's frame competes with the literal reading; the
    message appended to the question before it ("… how far apart?") only
    stands in for a literal reading that is unsure (it leans to the topic
    just answered).
    """
    bare_reply = whole.intent in REPLIES and len(words(whole.text)) <= MAX_REPLY_WORDS
    if not rewrites and bare_reply and whole.score >= MIN_INTENT_SCORE:
        return None  # "ok thanks": a reply of its own, with nothing to follow up
    # A "no" or "yes" opening a longer message ("how long no gym") is no reading of it.
    yes_no = whole.intent in ("affirm", "deny") and not bare_reply
    literal = 0.0 if whole.intent in NOT_A_READING or yes_no else whole.score

    def usable(reading: Reading) -> bool:
        return reading.intent not in NOT_A_READING | ROUTES and reading.score >= MIN_FOLLOWUP_SCORE

    rewritten = [r for r in rewrites if usable(r) and r.score > literal]
    if rewritten:
        return max(rewritten, key=lambda reading: reading.score)
    if literal >= MIN_FOLLOWUP_SCORE:
        return None
    return max((r for r in joined if usable(r)), key=lambda reading: reading.score, default=None)


def _set_aside(whole: Reading, context: Context) -> Reading:
    """The next reading of a message read as a route it can't be.

    A report that names no problem at all, or a follow-up of a safety route
    with no such route before it, is the classifier overreaching.
    """
    misread = (whole.intent == REACTION and not names_a_problem(whole.text)) or (
        whole.intent == SAFETY_FOLLOWUP and context.frame not in ("reaction", "pregnancy")
    )
    if not misread:
        return whole
    return whole.runner_up or Reading(whole.text, "nlu_fallback", 0.0)


def _not_named_condition(whole: Reading) -> Reading | None:
    """A question about a condition the article doesn't name: the answer that says so."""
    not_named = [c for c in whole.conditions if c not in NAMED_CONDITIONS]
    if not_named and whole.label in INSTEAD_OF_CONDITIONS:
        return Reading(whole.text, FAQ, 1.0, "faq/conditions", 1.0, conditions=whole.conditions)
    return None


def decide(
    whole: Reading,
    context: Context,
    segments: Sequence[Reading] = (),
    rewrites: Sequence[Reading] = (),
    joined: Sequence[Reading] = (),
    language: str | None = None,
) -> Decision:
    """What the message asks (see the module docstring for the order of the rules)."""
    if language:
        reading = Reading(whole.text, OTHER_LANGUAGE, 1.0)
        return Decision(reading=reading, language=language, rule="language")
    if context.in_form:
        return Decision()
    literal = whole
    denied = pregnancy_denied(whole.text)
    whole, parts = _denial_removed(whole, segments)
    whole = _set_aside(whole, context)
    changed = whole is not literal  # the literal reading was set aside
    safety = _safety_followup(whole, context)
    if safety:
        return safety
    if (
        not parts
        and whole.label in ABOUT_A_PROBLEM | {SAFETY_FOLLOWUP}
        and reports_a_problem(whole.text)
    ):
        return Decision(reading=Reading(whole.text, REACTION, 1.0), rule="report")
    followup = _followup(whole, rewrites, joined)
    if followup:
        return Decision(reading=followup, rule="followup")
    not_named = _not_named_condition(whole)
    if not_named:
        return Decision(reading=not_named, rule="not_named_condition")
    report = _reported(whole, parts) if parts else None
    asked = ([report] if report else []) + _questions(parts, reported=report is not None)
    if len(asked) >= 2:
        # The message's own reading stays when it is one of its questions.
        primary = next((q for q in asked if q.label == literal.label), asked[0])
        return Decision(reading=primary, questions=tuple(asked), rule="questions")
    story = len(words(literal.text)) >= STORY_WORDS or denied
    unsure = whole.intent in NOT_A_READING or whole.score < MIN_FOLLOWUP_SCORE
    # An unsure whole message takes its one confident question, even one it half read.
    if asked and (
        unsure or (asked[0].label != literal.label and (story or asked[0].intent in ROUTES))
    ):
        return Decision(reading=asked[0], rule="report" if report else "question_in_story")
    return Decision(reading=whole, rule="set_aside") if changed else Decision()


# What the bot runs to answer one question, by label.
_ROUTES = {
    PREGNANCY: ("utter_pregnancy",),
    REACTION: ("utter_adverse_reaction",),
    SAFETY_FOLLOWUP: ("utter_safety_followup",),
    "request_human": ("utter_request_human",),
    "bot_challenge": ("utter_bot_challenge",),
    "ask_capabilities": ("utter_capabilities",),
    "request_schedule": ("action_reset_planner", "schedule_form"),
}


def actions_for(label: str) -> tuple[str, ...]:
    """The responses (or actions) that answer one question: `utter_faq/<topic>` for an FAQ."""
    if label.startswith(f"{FAQ}/"):
        return (f"utter_{label}",)
    return _ROUTES.get(label, ())


def label_of_response(response: str) -> str | None:
    """Which question a response answered: "faq/sun_after" for `utter_faq/sun_after`."""
    if response.startswith(f"utter_{FAQ}/"):
        return response.removeprefix("utter_")
    if response in ("utter_adverse_reaction", "utter_safety_followup"):
        return REACTION
    if response == "utter_pregnancy":
        return PREGNANCY
    return None
