"""The message read whole, in parts and in context: two components around the pipeline.

`ReadingExpander` comes first: to the visitor's message it adds, as extra
messages in the same batch, the parts of a message that asks several things
or tells a story, and, after an answer, the message worded as that answer's
question and joined to the visitor's last question (clinic/understanding/).
The rest of the pipeline (the context reader, spaCy, features, the
classifier, the fallback checks) reads them all at once, as it reads any
batch. `ReadingCollector` comes last: it weighs the readings
(clinic/understanding/decision.py), sets the message's intent and answer to
what was asked, lists several questions under `questions` for the dialogue
(rasa_ext/policy.py), and drops the extra messages, so Rasa sees one
message as always. Both receive the conversation's tracker, which Rasa's
default recipe hands to any NLU component whose `process` asks for it
(None when there is no conversation, as in `rasa test nlu`).
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.constants import DEFAULT_NLU_FALLBACK_INTENT_NAME
from rasa.shared.core.events import BotUttered, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.nlu.constants import (
    ENTITIES,
    INTENT,
    INTENT_NAME_KEY,
    INTENT_RANKING_KEY,
    PREDICTED_CONFIDENCE_KEY,
    TEXT,
)
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from clinic.content import load_topics
from clinic.handoff.callbacks import gives_contact, gives_name
from clinic.names import (
    AFFIRM,
    CALLBACK_FORM,
    DENY,
    FAQ,
    FEEDBACK_FORM,
    INFORM,
    OUT_OF_SCOPE,
    PLANNER_FORM,
    REQUESTED_SLOT,
    THANK,
)
from clinic.planner.form_answers import gives_plan_details, read_answers
from clinic.settings import load_clinic_settings, today
from clinic.understanding import language
from clinic.understanding.answers import QUESTIONS, UNDERSTANDING, label_of_response
from clinic.understanding.context import Move
from clinic.understanding.decision import ANSWER_MISREADINGS, Context, Decision, Reading, decide
from clinic.understanding.followups import (
    echoed,
    is_short,
    joined,
    rewrite,
    swapped,
    template_for,
)
from clinic.understanding.negation import (
    pregnancy_denied,
    without_denial,
    without_what_is_denied,
)
from clinic.understanding.segments import segments_to_read, without_acknowledgement
from rasa_ext.nlu.classifier import RESPONSE_SELECTOR
from rasa_ext.nlu.untrained import UntrainedComponent

RETRIEVAL_INTENT = FAQ
PART = "clinic_reading_part"  # on an extra message: "question", "statement" or "followup"
CONTEXT = "clinic_context"  # on the visitor's message, from the expander to the collector
MOVE = (
    "clinic_move"  # on the visitor's message: the context reader's Move (rasa_ext/nlu/context.py)
)
REWRITE = "rewrite"  # the message worded as the last answer's question
JOINED = "joined"  # a follow-up appended to the question before it
SWAPPED = "swapped"  # the question before it, on the other side of the treatment
DENIED_OUT = "denied_out"  # the message without what it says it doesn't mean ("not X, Y")
ACKNOWLEDGED = "acknowledged"  # the message without an opening "ok" ("ok and what's…")
NOT_CONFIDENT = frozenset({DEFAULT_NLU_FALLBACK_INTENT_NAME, OUT_OF_SCOPE})


# The forms that read a visitor's raw answer. Rasa's "did you mean…?" loop is not one: a
# message typed instead of a button is read as any other.
FORMS = frozenset({PLANNER_FORM, CALLBACK_FORM, FEEDBACK_FORM})
# Replies that leave the answer before them standing: "ok", "no", "thanks" ("ok" then
# "actually one more, gym?" still follows the sun advice), and an aside the bot declined
# ("who wins the league?" then "haha ok. up to 15 really?" still follows the sessions).
PASSING_REPLIES = frozenset({AFFIRM, DENY, THANK, OUT_OF_SCOPE})
# How many of the visitor's answered questions a follow-up is read against.
EARLIER_QUESTIONS = 2
# How far back to look for them (a planner run or a long story takes many events).
EVENTS_BACK = 60


def context_of(tracker: DialogueStateTracker | None) -> Context:
    """The form's state, the label of the bot's last answer and the questions answered last.

    An aside about the clinic's details (`Topic.is_aside`) is passed over: the answer
    before it is the one a follow-up leans on.
    """
    if tracker is None:
        return Context()
    after: str | None = None
    questions: list[str] = []
    answers: list[str] = []
    answered_this_turn: str | None = None
    passed_a_reply = False  # an "ok" or "thanks" since the last answer
    for seen, event in enumerate(reversed(tracker.events)):
        if seen >= EVENTS_BACK or len(questions) > EARLIER_QUESTIONS:
            break  # one more than needed, for an aside set aside
        if isinstance(event, BotUttered) and answered_this_turn is None:
            answered_this_turn = label_of_response(str(event.metadata.get("utter_action") or ""))
        elif isinstance(event, UserUttered):
            if not questions and after is None:
                after = answered_this_turn
                if after is None and event.intent_name in PASSING_REPLIES:
                    passed_a_reply = True  # "ok" / "thanks": the answer before still stands
                    continue
                if after is not None and passed_a_reply and not after.startswith(f"{FAQ}/"):
                    after = None  # a route or offer let go once the visitor said "ok"
                if after is None:
                    break  # the last turn answered no question: nothing to lean on
            if answered_this_turn and event.text and not event.text.startswith("/"):
                questions.append(event.text)
                answers.append(answered_this_turn)
            answered_this_turn = None
    if len(answers) > 1 and _is_aside(answers[0]) and _can_be_followed(answers[1]):
        # "how do I book?" between "can I do spin after?" and "so one day off then?":
        # the conversation goes on about the treatment as if the aside were not there.
        after = answers[1]
        del questions[0], answers[0]
    return Context(
        after=after,
        in_form=tracker.active_loop_name in FORMS,
        earlier_questions=tuple(questions[:EARLIER_QUESTIONS]),
        earlier_answers=tuple(answers[:EARLIER_QUESTIONS]),
    )


def _is_aside(label: str) -> bool:
    topic = load_topics().get(label)
    return bool(topic and topic.is_aside)


def _can_be_followed(label: str) -> bool:
    """An answer a follow-up may lean on: not a route to the team, nor another aside."""
    return label.startswith(f"{FAQ}/") and not _is_aside(label)


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.MESSAGE_TOKENIZER, is_trainable=False)
class ReadingExpander(UntrainedComponent):
    """Adds a message's parts and its follow-up rewrite to the batch the pipeline reads."""

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        return training_data  # training reads every example as it is

    def process(
        self, messages: list[Message], tracker: DialogueStateTracker | None = None
    ) -> list[Message]:
        if len(messages) != 1:
            return messages
        message = messages[0]
        text = str(message.get(TEXT) or "")
        context = context_of(tracker)
        message.set(CONTEXT, context)
        if not text or text.startswith("/"):
            return messages
        extra = [
            Message(data={TEXT: part.text, PART: "question" if part.is_question else "statement"})
            for part in segments_to_read(text)
        ]
        if context.in_form:
            return [message, *extra]  # an answer and a question beside it ("tuesdays. and…?")
        if pregnancy_denied(text):
            extra.append(Message(data={TEXT: without_denial(text), PART: "question"}))
        meant = without_what_is_denied(text)
        if meant:
            extra.append(Message(data={TEXT: meant, PART: DENIED_OUT}))
        rest = without_acknowledgement(text)
        if rest:
            extra.append(Message(data={TEXT: rest, PART: ACKNOWLEDGED}))
        if context.after and is_short(text):
            previous = context.previous_question
            readings = [
                (rewrite(text, template_for(context.after, context.earlier_answers)), REWRITE),
                (swapped(previous, text) if previous else None, SWAPPED),
                *((joined(earlier, text), JOINED) for earlier in context.earlier_questions),
            ]
            extra += [Message(data={TEXT: t, PART: part}) for t, part in readings if t]
        return [message, *extra]


def _reading(message: Message, entry: dict[str, Any], answers: list[dict[str, Any]]) -> Reading:
    intent = str(entry.get(INTENT_NAME_KEY) or DEFAULT_NLU_FALLBACK_INTENT_NAME)
    answer = answers[0] if answers and intent == RETRIEVAL_INTENT else {}
    return Reading(
        text=str(message.get(TEXT) or ""),
        intent=intent,
        confidence=float(entry.get(PREDICTED_CONFIDENCE_KEY) or 0.0),
        answer=answer.get("intent_response_key"),
        answer_confidence=float(answer.get(PREDICTED_CONFIDENCE_KEY) or 0.0),
        conditions=tuple(
            str(entity.get("value"))
            for entity in message.get(ENTITIES) or []
            if entity.get("entity") == "condition"
        ),
    )


def reading_of(message: Message) -> Reading:
    """The best reading the pipeline made of a message (past any fallback), and the next one."""
    chosen = message.get(INTENT) or {}
    ranking = [
        entry
        for entry in message.get(INTENT_RANKING_KEY) or [chosen]
        if entry.get(INTENT_NAME_KEY) != DEFAULT_NLU_FALLBACK_INTENT_NAME
    ]
    selector = (message.get(RESPONSE_SELECTOR) or {}).get(RETRIEVAL_INTENT) or {}
    answers = list(selector.get("ranking") or [])
    if not ranking:
        return Reading(str(message.get(TEXT) or ""), DEFAULT_NLU_FALLBACK_INTENT_NAME, 0.0)
    best = _reading(message, ranking[0], answers)
    if chosen.get(INTENT_NAME_KEY) == DEFAULT_NLU_FALLBACK_INTENT_NAME:
        # The fallback checks found it unsure: it counts no more than they allowed.
        cap = float(chosen.get(PREDICTED_CONFIDENCE_KEY) or 0.0)
        best = replace(best, confidence=min(best.confidence, cap))
    runners_up = []
    if len(ranking) > 1:
        second = ranking[1]
        second_answers = answers if second.get(INTENT_NAME_KEY) != best.intent else answers[1:]
        runners_up.append(_reading(message, second, second_answers))
    if best.intent == RETRIEVAL_INTENT and len(answers) > 1:
        runners_up.append(_reading(message, ranking[0], answers[1:]))
    if runners_up:
        best = replace(best, runner_up=max(runners_up, key=lambda reading: reading.score))
    return best


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=False)
class ReadingCollector(UntrainedComponent):
    """Decides what the message asked from all readings, and leaves one message."""

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> GraphComponent:
        language.detector()  # built now, not at the first visitor's message
        return cls(config)

    def process(
        self, messages: list[Message], tracker: DialogueStateTracker | None = None
    ) -> list[Message]:
        if not messages:
            return messages
        message, extra = messages[0], messages[1:]
        text = str(message.get(TEXT) or "")
        if text.startswith("/"):
            return [message]
        whole = reading_of(message)
        context = message.get(CONTEXT) or context_of(tracker)
        # A planner's answer outside the planner may ask for a plan: only then are dates read.
        # Without a conversation (`rasa test` and /model/parse give an empty tracker) nobody
        # knows whether a planner asked.
        in_a_conversation = tracker is not None and bool(tracker.events)
        unasked_answer = whole.intent == INFORM and in_a_conversation and not context.in_form
        joined_readings = [reading_of(part) for part in extra if part.get(PART) == JOINED]
        echo = echoed(text, context.earlier_questions)
        decision = decide(
            whole,
            context,
            segments=[
                replace(reading_of(part), is_question=part.get(PART) == "question")
                for part in extra
                if part.get(PART) in ("question", "statement")
            ],
            rewrites=[reading_of(part) for part in extra if part.get(PART) == REWRITE],
            swaps=[reading_of(part) for part in extra if part.get(PART) == SWAPPED],
            denied_out=[reading_of(part) for part in extra if part.get(PART) == DENIED_OUT],
            joined=joined_readings,
            echoed=joined_readings[echo : echo + 1] if echo is not None else [],
            acknowledged=next(
                (reading_of(part) for part in extra if part.get(PART) == ACKNOWLEDGED), None
            ),
            language=language.other_language(text, whole.intent, whole.score),
            move=_move(message),
            contact_given=gives_contact(text, load_clinic_settings().phone_region),
            name_given=gives_name(text),
            plan_details_given=unasked_answer and gives_plan_details(text, today()),
            form_answer_given=(
                whole.intent in ANSWER_MISREADINGS and _answers_the_planner(whole, tracker)
            ),
        )
        self._apply(message, decision)
        return [message]

    @staticmethod
    def _apply(message: Message, decision: Decision) -> None:
        if decision.reading is not None:
            chosen = decision.reading
            intent = {INTENT_NAME_KEY: chosen.intent, PREDICTED_CONFIDENCE_KEY: chosen.confidence}
            message.set(INTENT, intent, add_to_output=True)
            ranking = message.get(INTENT_RANKING_KEY) or []
            others = [entry for entry in ranking if entry.get(INTENT_NAME_KEY) != chosen.intent]
            message.set(INTENT_RANKING_KEY, [intent, *others], add_to_output=True)
            if chosen.answer:
                _choose_answer(message, chosen)
        if decision.language:
            found = {
                "entity": "language",
                "value": decision.language,
                "extractor": "ReadingCollector",
            }
            message.set(ENTITIES, [*(message.get(ENTITIES) or []), found], add_to_output=True)
        understanding: dict[str, Any] = {
            "rule": decision.rule,
            QUESTIONS: [q.label for q in decision.questions],
        }
        move = _move(message)
        if move is not None:
            understanding["move"] = {"name": move.name, "confidence": round(move.confidence, 3)}
        message.set(UNDERSTANDING, understanding, add_to_output=True)


def _answers_the_planner(whole: Reading, tracker: DialogueStateTracker | None) -> bool:
    """Whether, in the planner, the message gives one of its values ("no peels or laser")."""
    if tracker is None or tracker.active_loop_name != PLANNER_FORM:
        return False
    asked = tracker.get_slot(REQUESTED_SLOT)
    answers = read_answers(whole.text, str(asked) if asked else None, today(), [*whole.conditions])
    return bool(answers.values)


def _move(message: Message) -> Move | None:
    move = message.get(MOVE)
    return move if isinstance(move, Move) else None


def _choose_answer(message: Message, chosen: Reading) -> None:
    selectors = message.get(RESPONSE_SELECTOR) or {}
    selector = selectors.setdefault(RETRIEVAL_INTENT, {"ranking": [], "response": {}})
    selector["response"] = {
        "intent_response_key": chosen.answer,
        "utter_action": f"utter_{chosen.answer}",
        PREDICTED_CONFIDENCE_KEY: chosen.answer_confidence,
        "responses": None,
    }
    selectors.setdefault("all_retrieval_intents", [RETRIEVAL_INTENT])
    message.set(RESPONSE_SELECTOR, selectors, add_to_output=True)
