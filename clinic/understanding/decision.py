"""What a visitor asked, from the classifier's readings of their message and its context.

The reader (rasa_ext/nlu/readings.py) classifies the whole message and, where
it helps, its parts (`segments`), and the message read in the last answer's
question and joined to the visitor's last question (`followups`). The
context reader (`context`, learned from data/context/) says what the message
does after the last answer: its *move*. `decide` weighs all of these and says
what the message asks:

1. Another language: the bot says, in it, that it answers in English.
2. In a form, the form reads the raw answer: a message is an interruption only
   when it reads as one. An answer half read as a route ("it's 555") or, in the
   planner, one that gives its values but reads as a topic ("no peels or
   laser") is the form's answer. Outside it, a planner's answers given unasked
   ("6 sessions from mid April") ask for a plan.
3. The move, when the context reader is sure of it:
   - a detail of the last answer ("which country?"): content/details.yml's
     answer for that topic; a detail no answer so far has, which another
     topic's answer would not give either, is one the article doesn't give;
   - a follow-up ("and alcohol?"): the surest reading of the message in the
     last answer's question, or joined to the last question; the last
     question turned round when it names the other side of the treatment
     ("and after?" after the preparation); joined to an earlier question
     when it takes up that question's words ("and the roaccutane?"), as a way
     back to an earlier question is. A way back with no earlier question to
     go back to is the detail or follow-up the reader ranks next;
   - a correction ("no, I meant afterwards"): the same, setting aside the
     answer just given (unless the visitor names another condition for it:
     the last question again, for that condition);
   - a polite close ("no thanks, I was only asking"): closed politely, or
     thanked when it reads as thanks ("Thank you, that's very kind"); a
     goodbye only when a farewell is said;
   - after a safety route, going on about it ("is that normal?"): back to
     the clinic's team. A plainly new question is answered as itself, and
     needs less sureness when the visitor says they move on ("fine.
     different thing, …"); a request for a person is one. One the reader
     holds to the route, whose answer would say "yes" to having the
     treatment ("even just on my scalp?" after a pregnancy), is not new.
4. After a safety route, when the reader is unsure: a message that is not
   clearly something new goes back to the clinic's team; after a pregnancy,
   whether anything is safe always does.
5. A message that reports a problem after a treatment is routed even when it
   reads as a question about side effects; one that asks to be called back
   ("can i get a call back, i want to ask about botox") asks for the call.
6. A longer message: its questions (the parts worded as questions, not the
   story around them) are answered in order, and a problem it reports after a
   treatment is routed first (clinic/understanding/reports.py). One question
   inside a story: that question.
7. Otherwise the whole message's reading stands (or, when it is unsure, the
   surest reading in context).
8. Whatever rule chose it, advice the article gives for after the treatment,
   asked about the time before it, is answered with what the article says
   and that it says nothing about before.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Concatenate, ParamSpec

from clinic import names
from clinic.content import NAMED_CONDITIONS, load_topics
from clinic.privacy.personal_data import typed_contacts
from clinic.understanding.answers import NOT_IN_ARTICLE
from clinic.understanding.context import AGAIN, BACK, CLOSE, CORRECTION, FOLLOWUP, NEW, ROUTE, Move
from clinic.understanding.details import detail_for
from clinic.understanding.followups import MAX_REWRITE_WORDS, asks_before_the_treatment
from clinic.understanding.negation import mentions_pregnancy, pregnancy_denied
from clinic.understanding.reports import names_a_problem, reports_a_problem
from clinic.understanding.segments import is_question, shifts_topic, words

P = ParamSpec("P")
# The detail (content/details.yml) of advice for after the treatment, asked of the time before.
BEFORE = "before"
FAQ = names.FAQ
OTHER_LANGUAGE = names.OTHER_LANGUAGE
SAFETY_FOLLOWUP = names.SAFETY_FOLLOWUP
PREGNANCY = names.ASK_PREGNANCY
# The frames (content/topics.yml) of the safety routes: the clinic's team answers.
SAFETY_FRAMES = frozenset({"reaction", "pregnancy"})
REACTION = names.REPORT_REACTION
# The routes to the clinic's team: what they are asked, and the intents that ask them.
ROUTES = frozenset({PREGNANCY, REACTION, SAFETY_FOLLOWUP})

# What a part of a message must reach to count as a question of its own.
MIN_ANSWER_SCORE = 0.45
MIN_INTENT_SCORE = 0.7
MIN_REPORT_SCORE = 0.8
# A reading of a report in a longer message, when its words also make one.
MIN_PART_REPORT = 0.5
# A follow-up's rewrite must be at least this sure to replace the literal reading.
MIN_FOLLOWUP_SCORE = 0.5
# The context reader must be at least this sure of a move to act on it.
MIN_MOVE = 0.5
# A detail move gives way to a message that reads as another topic this surely: of the
# same kind as the last answer ("how long no gym" after the aftercare), or of any kind.
MIN_SAME_KIND = 0.6
MIN_OTHER_TOPIC = 0.9
MIN_WORDS_SAME_KIND = 3
MIN_WORDS_OTHER_TOPIC = 3
# A follow-up joined to the visitor's questions replaces only a literal reading below this.
MIN_SURE_LITERAL = 0.7
# A question inside a message stands for it when read this much more surely than the whole.
MIN_PART_MARGIN = 0.3
# After a reported problem, a question leaves the route only when the reader is this sure
# it is new: the clinic's team answers anything less clear.
MIN_NEW_AFTER_REACTION = 0.9
# A detail move this sure outweighs a question about the answer read less surely than this.
MIN_SURE_DETAIL = 0.95
MIN_SURE_ABOUT_THE_ANSWER = 0.8
# A message that opens by saying what it is not about ("not botox, …", "no, not the price").
NOT_THIS_OPENING = re.compile(r"^\W*(?:no\W+)?not\b", re.I)
# A correction's second reading counts when it is at least this sure ("not the price, the
# number of sessions": the price first, then what it asks).
MIN_RUNNER_UP = 0.25
# A detail asked to be reminded of was given before, in an earlier answer.
_REMINDS = re.compile(r"\b(?:again|remind me)\b", re.I)
# A polite close the classifier reads as thanks or a goodbye at least this surely (as its
# first or second reading) is that thanks or goodbye, not a plain "okay".
MIN_COURTESY_IN_CLOSE = 0.3
# A close never replaces a confident reading of these ("thanks, that's all": thanks).
COURTESY = frozenset({names.GREET, names.GOODBYE, names.THANK})
# What makes a close a goodbye: the visitor takes leave.
_FAREWELL = re.compile(
    r"\b(?:bye+|good ?bye|see (?:you|ya)|cya|take care|good ?night|ttyl|laters|talk later|"
    r"have a (?:good|nice|great|lovely) (?:day|one|evening|night|weekend))\b",
    re.IGNORECASE,
)
YES_NO_OR_COURTESY = COURTESY | {names.AFFIRM, names.DENY}
# Messages about the last answer itself (its source, a rating): never a follow-up of it.
ABOUT_THE_ANSWER = frozenset({names.ASK_SOURCE, names.FEEDBACK_UP, names.FEEDBACK_DOWN})
# A callback request asks to be contacted: "call me", "ring back", "my number", "a callback",
# "can I get a call about prices".
_ASKS_TO_BE_CONTACTED = re.compile(
    r"\b(?:me|us|back|call-?backs?|my (?:number|phone|mobile|email|details|contact)|"
    r"contact details|(?:phone|call|ring|email)(?:ed)? later|"
    r"an? (?:quick |phone )*(?:call|ring|bell|e-?mail|text))\b",
    re.I,
)
# A request to be contacted, whatever it is about ("can i get a call back, i want to ask
# about combining with botox", "can the clinic ring me about booking").
_REQUESTS_CONTACT = re.compile(
    r"\b(?:can|could|may) (?:i|we) (?:please )?(?:get|have) (?:a )?(?:call ?back|call|ring)\b"
    r"|\b(?:can|could|would) (?:you|someone|somebody|anyone|the clinic|the team|your team|"
    r"a doctor|one of (?:you|your team|the team|the doctors)) (?:please )?"
    r"(?:call|ring|phone|email|e-mail|text) me\b",
    re.I,
)
# What an opening "ok", "fair enough" or "thanks" reads as, before the question it opens.
ACKNOWLEDGING = frozenset({names.AFFIRM, names.THANK, names.GREET})
# After the callback offer ("Or I can ask the team to call you back"), a short message
# that asks nothing ("Olivia", "sure, it's Aisha") is the visitor taking it up.
OFFER = names.REQUEST_HUMAN
CALLBACK = names.REQUEST_CALLBACK
MAX_OFFER_REPLY_WORDS = 4
NOT_TAKING_OFFER = frozenset({names.DENY, names.CANCEL, names.THANK, names.GOODBYE})
# Intents a part may ask, besides FAQ answers.
QUESTION_INTENTS = ROUTES | {
    names.REQUEST_SCHEDULE,
    names.REQUEST_HUMAN,
    names.BOT_CHALLENGE,
    names.ASK_CAPABILITIES,
}
# Clear replies of their own: a follow-up reading never replaces them.
REPLIES = COURTESY | {
    names.AFFIRM,
    names.DENY,
    names.CANCEL,
    names.BOT_CHALLENGE,
    names.ASK_CAPABILITIES,
    names.REQUEST_HUMAN,
    names.REQUEST_SCHEDULE,
    PREGNANCY,
    REACTION,
}
# Readings that answer nothing: outside the planner, `inform` (a planner's answer) neither.
NOT_A_READING = frozenset({names.OUT_OF_SCOPE, names.NLU_FALLBACK, names.INFORM})
# What a planner's answer that gives its values is misread as ("no peels or laser" as an
# FAQ, "let's say 6" as off-topic): the planner's answer all the same.
ANSWER_MISREADINGS = frozenset({FAQ, names.OUT_OF_SCOPE, names.NLU_FALLBACK})
MAX_REPLY_WORDS = 3  # "ok thanks", "no thank you": longer, a "no" may open a question
# After a safety route these still start something new when they are clear.
NEW_AFTER_SAFETY = COURTESY | {
    names.REQUEST_SCHEDULE,
    names.REQUEST_HUMAN,
    names.BOT_CHALLENGE,
    names.ASK_CAPABILITIES,
    PREGNANCY,
    REACTION,
    names.CANCEL,
}
# A message this long is a story: its one question is what it asks, whatever the
# whole message reads as. A shorter one ("I'm on antibiotics, can I have it?") is
# read whole, unless a part of it is a safety route.
STORY_WORDS = 25
# Answers a message naming a condition the article doesn't name may get instead of the
# conditions answer, which is the one that says what the article does and doesn't name.
INSTEAD_OF_CONDITIONS = frozenset(
    {"faq/benefits", "faq/what_is", "faq/vs_anti_wrinkle", "faq/not_in_article",
     "faq/results_timeline", "faq/results_duration", names.NLU_FALLBACK, names.OUT_OF_SCOPE}
)  # fmt: skip
# Answers that, after a reported problem, are about that problem: the clinic answers them.
ABOUT_A_PROBLEM = frozenset(
    {"faq/side_effects", "faq/pain", "faq/aftercare", "faq/downtime", "faq/results_timeline",
     "faq/medication", "faq/allergies", "faq/contraindications", "faq/not_in_article",
     "faq/sun_after", "faq/exercise_after"}
)  # fmt: skip
# After a safety route, a question read at least this surely as a topic of its own, that
# says nothing of the route, is answered ("where was it first developed?").
MIN_PLAINLY_NEW = 0.9
# ...unless the context reader is this sure it goes on about the route and the answer
# would say "yes" to having the treatment for something.
MIN_HELD_BY_ROUTE = 0.8
SAYS_YES_TO_HAVING_IT = frozenset({"faq/conditions", "faq/benefits"})
# Topics that, after a safety route, may still be about it ("is that normal?", "what if
# I'm allergic?"): the clinic's team answers them.
STILL_ABOUT_THE_ROUTE = frozenset(
    {"faq/side_effects", "faq/pain", "faq/downtime", "faq/results_timeline", "faq/medication",
     "faq/allergies", "faq/contraindications", "faq/not_in_article"}
)  # fmt: skip
# After a reported problem, these ask about it too unless the visitor plainly moves on.
CARE_AFTER = frozenset({"faq/aftercare", "faq/sun_after", "faq/exercise_after"})
# After a pregnancy is mentioned, yes/no questions about having it ("is it alright to carry
# on?", "can I still have the injections?") and whether something is safe are the
# doctors' to answer. A question of its own ("and what is it anyway?", "and is it the same
# as botox?") still gets its answer.
_SAFE = re.compile(
    r"\b(?:safe|harm(?:ful|less)?|risk(?:s|y)?|dangerous|ok for (?:the|my) baby)\b", re.I
)
_OK_TO_HAVE = re.compile(
    r"\b(?:ok|okay|alright|all right|fine|safe|suitable)\b"
    r"|\b(?:have|get|do|start)\s+(?:it|meso\w*|the (?:treatment|injections?))\b",
    re.I,
)
# Answers about having the treatment at all: beside a pregnancy, the route's question.
HAVING_IT = frozenset({"faq/conditions", "faq/benefits", "faq/what_is"})
_YES_NO = re.compile(
    r"^\W*(?:(?:and|so|but|then|ok(?:ay)?)\W+)*"
    r"(?:is|are|can|could|should|would|will|do|does|am|would it|is it)\b",
    re.I,
)


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

    after: str | None = None  # the label of the bot's last answer (content/topics.yml)
    in_form: bool = False
    # The visitor's questions that got answers, latest first: the one `after` answered,
    # then the one before it (a visitor may come back to it: "back to the sessions…").
    earlier_questions: tuple[str, ...] = ()
    # The labels of the answers those questions got, in the same order.
    earlier_answers: tuple[str, ...] = ()

    @property
    def previous_question(self) -> str | None:
        return self.earlier_questions[0] if self.earlier_questions else None

    @property
    def frame(self) -> str | None:
        return frame_of(self.after)


@dataclass(frozen=True)
class Decision:
    """What the message asks: a reading to use instead of the whole message's, and/or several."""

    reading: Reading | None = None
    questions: tuple[Reading, ...] = field(default_factory=tuple)
    language: str | None = None
    rule: str = "whole"


@dataclass(frozen=True)
class Around:
    """The message's readings leaning on the conversation (`followups`): worded as the last
    answer's question, the last question turned round, joined to each earlier question
    (latest first), what is left once what it denies goes, and the earlier question whose
    words it takes up."""

    rewrites: Sequence[Reading] = ()
    swaps: Sequence[Reading] = ()
    joined: Sequence[Reading] = ()
    denied_out: Sequence[Reading] = ()
    echoed: Sequence[Reading] = ()


def frame_of(label: str | None) -> str | None:
    """The follow-up frame of an answered topic or route (content/topics.yml)."""
    topic = load_topics().get(label or "")
    return topic.frame if topic else None


def _held_by_safety_route(
    whole: Reading, context: Context, sure_new: bool, move_confidence: float = 0.0
) -> bool:
    """Whether a message after a safety route is weighed for going back to the team.

    The context reader can let a pregnancy route go for a question it reads as new
    and the classifier reads surely ("ok, and what's the aftercare?"). After a
    reported problem, and for anything unsure, the route's own rule decides.
    """
    confident = whole.intent not in NOT_A_READING and whole.score >= MIN_ANSWER_SCORE
    if not sure_new or not confident:
        return True
    # After a reported problem only a question the reader is very sure is new ("separate
    # thing – can I go running tomorrow?") leaves the route.
    return context.frame == "reaction" and (move_confidence < MIN_NEW_AFTER_REACTION)


def _asks_for_a_person(whole: Reading) -> bool:
    """A request for a person, read at least as surely as an answer needs: after a safety
    route the person is what the route advises, so it needs no more."""
    return whole.intent == names.REQUEST_HUMAN and whole.score >= MIN_ANSWER_SCORE


def _asks_if_safe(text: str) -> bool:
    return bool(_SAFE.search(text)) and is_question(text)


def _plainly_new(
    whole: Reading, context: Context, move: Move | None, shifted: bool = False
) -> bool:
    """After a safety route, a question read very surely as a topic of its own that says
    nothing of the pregnancy or the problem: answered, as the visitor asked it. Care after
    a treatment (and, after a pregnancy, a yes/no question) needs the context reader to
    read a new question too. A visitor who says they move on ("fine. different thing,
    which doctors do it?") needs only a sure reading."""
    if context.frame not in SAFETY_FRAMES or whole.intent != FAQ:
        return False
    needed = MIN_ANSWER_SCORE if shifted else MIN_PLAINLY_NEW
    if whole.score < needed or len(words(whole.text)) < MIN_WORDS_OTHER_TOPIC:
        return False
    if whole.label in STILL_ABOUT_THE_ROUTE or mentions_pregnancy(whole.text):
        return False
    if names_a_problem(whole.text) or reports_a_problem(whole.text):
        return False
    # "even just on my scalp for hair thinning?" after a pregnancy: the context reader is
    # sure it goes on about the route, and its answer would say "yes" to having it.
    held = move is not None and move.name == ROUTE and move.confidence >= MIN_HELD_BY_ROUTE
    if held and not shifted and whole.label in SAYS_YES_TO_HAVING_IT:
        return False
    moved_on = shifted or (move is not None and move.name == NEW and move.confidence >= MIN_MOVE)
    if context.frame == "reaction" and whole.label in CARE_AFTER:
        return moved_on
    if context.frame == "pregnancy" and _YES_NO.match(whole.text):
        return moved_on or _new(whole)
    return True


def _safety_followup(whole: Reading, context: Context) -> Decision | None:
    """After a safety route, a message the context reader can't place: back to the team,
    unless it clearly asks something new (questions about side effects, aftercare or
    downtime are about the route: when unsure, the clinic's team answers)."""
    if context.frame not in SAFETY_FRAMES:
        return None
    if whole.intent in NEW_AFTER_SAFETY and whole.score >= MIN_INTENT_SCORE:
        return None
    if _asks_for_a_person(whole):
        return None  # "who can I speak to?": the person the route points to
    # "thanks, I'll ring them now": the advice taken, no question, nothing more about it.
    if (
        whole.intent in (names.AFFIRM, *COURTESY)
        and not is_question(whole.text)
        and (whole.score >= MIN_INTENT_SCORE or _courtesy_in_close(whole))
        and not names_a_problem(whole.text)
    ):
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
            not part.is_question or part.intent in ROUTES or not part.asks_something()
        ):
            continue
        if (reported and part.label in ABOUT_A_PROBLEM) or (
            pregnancy and not told_pregnancy and _YES_NO.match(part.text) and not _new(part)
        ):
            continue  # "is it ok?", "can I still have the injections?": about the route
        if part.label not in {seen.label for seen in asked}:
            asked.append(part)
    return sorted(asked, key=lambda part: part.intent == names.REQUEST_SCHEDULE)


def _new(part: Reading) -> bool:
    """A part that asks plainly about a topic of its own, that no safety route covers
    ("…breastfeeding and can I go in the sun after"): answered beside the route. Whether
    it is ok to have it, or to have it for something ("is meso ok for hair thinning?", "can I
    get it for my stretch marks?"), is the route's question."""
    return (
        part.label not in STILL_ABOUT_THE_ROUTE | HAVING_IT
        and part.score >= MIN_PLAINLY_NEW
        and not _OK_TO_HAVE.search(part.text)
    )


def _asked_beside_an_answer(parts: Sequence[Reading]) -> tuple[Reading, ...]:
    """In a form, what a message asks beside a statement that may answer the form's question
    ("tuesdays. can I go running after?"): the form gives these answers before its next
    question. A message of questions alone is an interruption, left to the rules."""
    if all(part.is_question for part in parts):
        return ()
    asked = _questions(parts, reported=False)
    return tuple(q for q in asked if q.intent in (FAQ, PREGNANCY))


def _reported(whole: Reading, parts: Sequence[Reading]) -> Reading | None:
    """The report of a problem in a longer message, when the message really makes one."""
    readings = [whole, *parts]
    candidates = [r for r in readings if r.intent == REACTION and r.score >= MIN_PART_REPORT]
    if not reports_a_problem(whole.text):
        return None
    if candidates:
        return Reading(whole.text, REACTION, max(r.score for r in candidates))
    if any(r.label in ABOUT_A_PROBLEM | {SAFETY_FOLLOWUP} for r in readings):
        return Reading(whole.text, REACTION, whole.score)
    return None


def _denial_removed(whole: Reading, parts: Sequence[Reading]) -> tuple[Reading, list[Reading]]:
    """Without the pregnancy readings of a message that denies a pregnancy."""
    if not pregnancy_denied(whole.text):
        return whole, list(parts)
    if whole.intent == PREGNANCY:
        whole = whole.runner_up or Reading(whole.text, names.NLU_FALLBACK, 0.0)
    return whole, [part for part in parts if part.intent != PREGNANCY]


def _takes_up_offer(whole: Reading, context: Context) -> bool:
    """After the callback offer: a yes, a number or address typed (the form says when it
    can't be used: "sure. Lena, my number is 12345"), or a few words that ask nothing."""
    if context.after != OFFER or whole.intent in NOT_TAKING_OFFER:
        return False
    if whole.intent == names.AFFIRM or typed_contacts(whole.text):
        return True
    asks = whole.asks_something() or (whole.intent in COURTESY and whole.score >= MIN_INTENT_SCORE)
    return not asks and len(words(whole.text)) <= MAX_OFFER_REPLY_WORDS


def _usable(reading: Reading, threshold: float = MIN_FOLLOWUP_SCORE) -> bool:
    return reading.intent not in NOT_A_READING | ROUTES and reading.score >= threshold


def _surest(readings: Sequence[Reading], threshold: float = MIN_FOLLOWUP_SCORE) -> Reading | None:
    return max((r for r in readings if _usable(r, threshold)), key=lambda r: r.score, default=None)


def _in_context(
    whole: Reading,
    context: Context,
    move: Move,
    around: Around,
) -> Decision | None:
    """What a message means by its move after the last answer, when the move says."""
    text = whole.text
    if move.name == CLOSE:
        return _closed(whole, context, around)
    # After a safety route, whatever leans on it (a follow-up, a detail, "no, I mean…")
    # is about it: the clinic's team answers. A new question, a goodbye, a "so is that a
    # yes?" or a way back to an earlier question leave it.
    if (
        move.name not in (NEW, CLOSE, AGAIN, BACK)
        and context.frame in SAFETY_FRAMES
        and not _asks_for_a_person(whole)  # "who can I speak to?": who the route points to
    ):
        intent = SAFETY_FOLLOWUP if context.frame == "reaction" else PREGNANCY
        return Decision(reading=Reading(text, intent, 1.0), rule="safety_followup")
    echo = _surest(around.echoed)
    if (
        move.name in (FOLLOWUP, BACK, AGAIN)
        and echo
        and echo.label != context.after
        and not _asks_in_full(whole, context)
    ):
        # "and the roaccutane?", "so 24h no gym?": the earlier question whose words it takes up.
        return Decision(reading=echo, rule="echo")
    if move.name == AGAIN and context.after:
        if whole.intent == FAQ and whole.label != context.after and whole.score >= MIN_SAME_KIND:
            return None  # "so the 3 to 15, is that in total?": a question of its own
        return Decision(reading=_answer_again(text, context.after), rule="again")
    if move.attribute and _names_its_own_topic(whole, context):
        # "who was the doctor again?" after the origin: a reminder of a detail said, not a
        # topic never answered (the clinic's doctors).
        if _REMINDS.search(text) and whole.label not in _answered(context):
            return _detail(whole, context, move.attribute)
        return None  # "how long no gym" after the aftercare: the gym's own answer
    if move.attribute == "where" and whole.conditions and context.frame == "conditions":
        # "cellulite on my thighs?": the condition it names is the question, not the place.
        asked = Reading(text, FAQ, 1.0, "faq/conditions", 1.0, conditions=whole.conditions)
        return Decision(reading=asked, rule="condition_named")
    if move.attribute:
        detail = _detail(whole, context, move.attribute)
        if detail:
            return detail
        answered = load_topics().get(context.after or "")
        if answered and _not_in_article(answered.name) and answered.name.startswith(FAQ):
            # A detail of something the article doesn't cover: it doesn't say that either.
            again = Reading(text, FAQ, 1.0, answered.name, 1.0)
            return Decision(reading=again, rule="detail_not_in_article")
    if move.name == CORRECTION:
        corrected = _corrected(whole, context, around)
        if corrected:
            return Decision(reading=corrected, rule="correction")
        # "sorry, I meant where" after the origin: no other question, one of its details.
        attribute = _attribute_corrected(move)
        return _detail(whole, context, attribute) if attribute else None
    if move.name == BACK and not around.joined[1:] and whole.intent == FAQ:
        # "and once my skin's improving?" after how often, with no earlier question to go
        # back to: the detail or follow-up the reader ranks next says what it asks.
        runner_up = _runner_up(move)
        if runner_up and (runner_up.attribute or runner_up.name == FOLLOWUP):
            return _in_context(whole, context, runner_up, around)
    if move.name == BACK:
        return _way_back(whole, context, around)
    turned = _turned_round(whole, context, around) if move.name == FOLLOWUP else None
    if turned:
        return Decision(reading=turned, rule="turned_round")
    if move.name == FOLLOWUP or move.attribute:
        # "and now?" after the origin, read as "cancel" with nothing to cancel, has no
        # reading of its own: the follow-up's is what it asks.
        cancels = whole.intent == names.CANCEL and not context.in_form
        literal = Reading(text, names.NLU_FALLBACK, 0.0) if cancels else whole
        followed = _followed(literal, [*around.swaps, *around.rewrites], around.joined)
        if followed and move.attribute and followed.label != context.after:
            # "and for how long?" after the benefits: a detail the article gives for none
            # of the answers so far, which another topic's answer would not give either.
            lacking = Reading(text, FAQ, 1.0, NOT_IN_ARTICLE, 1.0)
            return Decision(reading=lacking, rule="detail_not_in_article")
        return Decision(reading=followed, rule="followup") if followed else None
    return None


def _turned_round(whole: Reading, context: Context, around: Around) -> Reading | None:
    """ "and after?" after the preparation: the last question turned to the other side of
    the treatment, unless the message names its own topic surely ("can i get fillers soon
    after")."""
    turned = _surest(around.swaps, MIN_ANSWER_SCORE)
    unsure = whole.intent != FAQ or whole.score < MIN_SURE_LITERAL
    return turned if turned and turned.label != context.after and unsure else None


def _closed(whole: Reading, context: Context, around: Around) -> Decision | None:
    """A polite close ("no thanks, I was only asking"), unless it still asks something."""
    text = whole.text
    meant = _surest([r for r in around.denied_out if r.label != context.after and r.intent == FAQ])
    if meant:  # "no sorry, not the price, the number of sessions": what is left asks
        return Decision(reading=meant, rule="not_this")
    if whole.intent in COURTESY and whole.score >= MIN_INTENT_SCORE:
        return None  # "thanks, that's all": thanks, as the visitor said it
    # After the callback offer, "no thanks, I'll call you" declines it: no thanks back.
    courtesy = _courtesy_in_close(whole) if context.after != OFFER else None
    if courtesy:  # "Thank you, that's very kind": thanks, read less surely
        return Decision(reading=Reading(text, courtesy, 1.0), rule="close_courtesy")
    if context.after != OFFER and whole.intent == FAQ and whole.score >= MIN_SAME_KIND:
        return None  # "no no, what I wanted to know is whether…": a question after all
    return Decision(reading=Reading(text, names.DENY, 1.0), rule="close")


def _way_back(whole: Reading, context: Context, around: Around) -> Decision | None:
    """The visitor's earlier question, not the last one, is what they come back to.

    When an aside came between ("how do I book?"), the last question is the earlier one:
    it stands in for a message read as no question about the treatment ("back to the
    cocktail - same for everyone?" read as a callback), not for one that asks its own
    ("sorry going back - how are they different?" after combining them).
    """
    earlier = around.joined[1:] or (around.joined[:1] if whole.intent != FAQ else [])
    back = _surest([*earlier, whole], MIN_FOLLOWUP_SCORE)
    # A topic the article lacks, read less surely than the way back ("and the running
    # one, how long was it?" read as an appointment's length), is the earlier topic's.
    lacking = _not_in_article(whole.label) and back is not None and back.score > whole.score
    if _asks_in_full(whole, context) and not lacking:
        return None  # "going back to the first thing, what's injected?": as asked
    return Decision(reading=back, rule="back") if back else None


def _not_in_article(label: str | None) -> bool:
    """Whether the answer with this label says the article doesn't cover it."""
    topic = load_topics().get(label or "")
    return topic is not None and topic.coverage == "not_in_article"


def _detail(whole: Reading, context: Context, attribute: str) -> Decision | None:
    """The answer to `attribute` of the last answer (content/details.yml), if it has one.

    A detail the last answer doesn't have may be the one before's ("what year again?"
    after the ingredients, asked after the origin), unless the last one is itself
    something the article doesn't cover ("how long after?" after alcohol after) and the
    visitor doesn't ask to be reminded ("what year was that again?" after the price).
    """
    not_covered = _not_in_article(context.after)
    reminded = bool(_REMINDS.search(whole.text))  # "what year was that again?": said before
    labels = _answered(context)[:1] if not_covered and not reminded else _answered(context)
    detail = next(filter(None, (detail_for(label, attribute) for label in labels)), None)
    if detail is None:
        return None
    topic = Reading(whole.text, FAQ, 1.0, detail.topic, 1.0, conditions=whole.conditions)
    return Decision(
        reading=topic, questions=(Reading(whole.text, detail.label, 1.0),), rule="detail"
    )


def _runner_up(move: Move) -> Move | None:
    """The move the context reader ranks just after this one, if it ranks one."""
    return Move(*move.ranking[1]) if len(move.ranking) >= 2 else None


def _attribute_corrected(move: Move) -> str | None:
    """The detail a correction asks for ("sorry, I meant where" after the origin): the
    detail move the context reader ranks just after the correction, when it ranks one."""
    if move.name != CORRECTION:
        return None
    runner_up = _runner_up(move)
    return runner_up.attribute if runner_up else None


def _answered(context: Context) -> tuple[str, ...]:
    """The labels of the last answers, latest first (the last one even without its question)."""
    later = tuple(label for label in context.earlier_answers if label != context.after)
    return ((context.after,) if context.after else ()) + later


def _answer_again(text: str, label: str) -> Reading:
    """The last answer's question again ("so is that a yes?"): its topic, or its route."""
    if label.startswith(f"{FAQ}/"):
        return Reading(text, FAQ, 1.0, label, 1.0)
    return Reading(text, SAFETY_FOLLOWUP if label == REACTION else label, 1.0)


def _names_its_own_topic(whole: Reading, context: Context) -> bool:
    """The message reads surely as another topic of the same kind as the last answer's
    ("how long no gym" after the aftercare), or, said at some length, as any other topic
    quite surely. Two words ("which first?") are too few to name a topic, and a neighbour
    the article doesn't cover ("does it go on forever?", read as how long results last)
    doesn't take a detail from the answer just given."""
    if whole.intent != FAQ or whole.label in (context.after, NOT_IN_ARTICLE):
        return False
    count = len(words(whole.text))
    lacking = whole.label not in load_topics() or _not_in_article(whole.label)
    if lacking and count <= MAX_REWRITE_WORDS:
        return False  # "does it go on forever?" after how often: that answer's own detail
    same_kind = frame_of(whole.label) == context.frame and count >= MIN_WORDS_SAME_KIND
    other = count >= MIN_WORDS_OTHER_TOPIC and whole.score >= MIN_OTHER_TOPIC
    return (same_kind and whole.score >= MIN_SAME_KIND) or other


def _asks_in_full(whole: Reading, context: Context) -> bool:
    """A way back that asks its own question surely, in a few words, about another topic
    than the last answer's: that question, not the earlier one joined to it."""
    return (
        whole.intent == FAQ
        and whole.label not in (context.after, NOT_IN_ARTICLE)
        and whole.score >= MIN_SURE_LITERAL
        and len(words(whole.text)) >= MIN_WORDS_OTHER_TOPIC
    )


def _followed(
    whole: Reading, rewrites: Sequence[Reading], joined: Sequence[Reading]
) -> Reading | None:
    """The reading of a follow-up to use instead of the literal one, if it is the surer.

    Worded in the last answer's question, or joined to the visitor's last
    questions ("… how far apart?"), it competes with the literal reading: the
    reader has said the message leans on what came before.
    """
    count = len(words(whole.text))
    bare_reply = (whole.intent in COURTESY and count <= MAX_REPLY_WORDS) or (
        whole.intent in (names.AFFIRM, names.DENY) and count <= 1  # "k", "ok", "no"
    )
    if bare_reply and whole.score >= MIN_INTENT_SCORE:
        return None  # "ok thanks": a reply of its own
    # A "no" or "yes" opening a longer message ("how long no gym") is no reading of it.
    yes_no = whole.intent in (names.AFFIRM, names.DENY) and not bare_reply
    literal = 0.0 if whole.intent in NOT_A_READING or yes_no else whole.score
    # The reader is sure the message leans on the last answer: its reading in that answer's
    # question wins when surer; joined to the visitor's questions (which leans on them),
    # only over a literal reading that is itself not sure.
    rewritten = _surest(rewrites)
    if rewritten and rewritten.score > literal:
        return rewritten
    # The visitor's last question first; an earlier one only when the last gives nothing.
    leaned = _surest(joined[:1]) or _surest(joined[1:])
    return leaned if leaned and leaned.score > literal and literal < MIN_SURE_LITERAL else None


def _unsure_in_context(
    whole: Reading, rewrites: Sequence[Reading], joined: Sequence[Reading]
) -> Reading | None:
    """A message the classifier can't read on its own: its surest reading after the last answer."""
    bare_reply = whole.intent in REPLIES and len(words(whole.text)) <= MAX_REPLY_WORDS
    if bare_reply and whole.score >= MIN_INTENT_SCORE:
        return None
    yes_no = whole.intent in (names.AFFIRM, names.DENY) and not bare_reply
    if not (whole.intent in NOT_A_READING or yes_no or whole.score < MIN_FOLLOWUP_SCORE):
        return None
    return _surest([*rewrites, *joined])


def _courtesy_in_close(whole: Reading) -> str | None:
    """The thanks or goodbye a polite close is read as, even unsurely, first or second.

    A goodbye needs a farewell said: "that's everything, ta" closes, it doesn't leave."""
    takes_leave = bool(_FAREWELL.search(whole.text))
    for reading in (whole, whole.runner_up):
        if reading is None or reading.score < MIN_COURTESY_IN_CLOSE:
            continue
        if reading.intent in COURTESY and (reading.intent != names.GOODBYE or takes_leave):
            return reading.intent
    return None


def _corrected(whole: Reading, context: Context, around: Around) -> Reading | None:
    """What a correction asks: the last question on the other side of the treatment ("no, I
    meant after"), a new topic it names itself ("not the price, the number of sessions"),
    another condition ("I meant rosacea"), or the last question with it, in that order.

    The answer just given is set aside where the correction offers another.
    """
    if whole.conditions and context.frame == "conditions":
        return Reading(whole.text, FAQ, 1.0, "faq/conditions", 1.0, conditions=whole.conditions)
    instead = _condition_instead(whole, context, around.denied_out)
    if instead:  # "sorry, hair thinning not stretch marks" after how many sessions: the same
        return Reading(whole.text, FAQ, 1.0, context.after, 1.0, conditions=instead)
    swap = _surest(around.swaps)
    if swap:
        return swap
    meant = _surest([r for r in around.denied_out if r.label != context.after])
    if meant:  # "not the price, the number of sessions": what is left once "not X" goes
        return meant
    others = [r for r in [*around.rewrites, *around.joined] if r.label != context.after]
    for reading, threshold in ((whole, MIN_FOLLOWUP_SCORE), (whole.runner_up, MIN_RUNNER_UP)):
        # A bare "no" or "ok" is no question: the corrected one is in the other readings; nor
        # is "the article doesn't cover that" when the message read with the last question
        # names a topic ("sorry, I meant between the meso and my laser appointment").
        answers_nothing = reading is not None and (
            reading.intent in YES_NO_OR_COURTESY
            or (reading.label == NOT_IN_ARTICLE and _surest(others) is not None)
        )
        usable = reading and not answers_nothing and _usable(reading, threshold)
        if usable and reading is not None and reading.label != context.after:
            # A runner-up is a guess: the message read with the last question, when surer,
            # says more ("no i meant can i have them at the same time" after botox).
            other = _surest(others)
            if reading is whole.runner_up and other is not None and other.score > reading.score:
                return other
            return reading
    return _surest(others)


def _condition_instead(
    whole: Reading, context: Context, denied_out: Sequence[Reading]
) -> tuple[str, ...]:
    """The article's conditions a correction names and nothing else, once what it denies
    goes ("hair thinning not stretch marks"), when the last answer was about another topic
    than the conditions: the last question is asked again for them."""
    if not context.after or not context.after.startswith(FAQ) or context.frame == "conditions":
        return ()
    meant = max(denied_out, key=lambda reading: reading.score, default=whole)
    named = meant.conditions
    if meant.intent != names.INFORM or meant.score < MIN_FOLLOWUP_SCORE:
        return ()
    return named if named and set(named) <= set(NAMED_CONDITIONS) else ()


def _set_aside(whole: Reading, context: Context) -> Reading:
    """The next reading of a message read as a route it can't be.

    A report that names no problem at all, a follow-up of a safety route with no
    such route before it, or a callback request that asks nobody to contact the
    visitor ("ok I'll call them. different thing, who are your doctors") is the
    classifier overreaching.
    """
    misread = (
        (whole.intent == REACTION and not names_a_problem(whole.text))
        or (whole.intent == SAFETY_FOLLOWUP and context.frame not in SAFETY_FRAMES)
        or (whole.intent == CALLBACK and not _ASKS_TO_BE_CONTACTED.search(whole.text))
    )
    if not misread:
        return whole
    return whole.runner_up or Reading(whole.text, names.NLU_FALLBACK, 0.0)


def _past_the_acknowledgement(whole: Reading, acknowledged: Reading | None) -> Reading:
    """ "ok and what's it actually good for": the question after an opening "ok" or
    "fair enough" is the message, when the whole reads as the "ok" or reads unsurely."""
    if acknowledged is None:
        return whole
    if acknowledged.label == whole.label and acknowledged.score > whole.score:
        return acknowledged  # "ok. and is it the same as botox?": the same, read more surely
    if whole.intent not in ACKNOWLEDGING and whole.score >= MIN_FOLLOWUP_SCORE:
        return whole
    # "Thank you, that's very kind": thanks, whatever the rest reads as; and "…that is
    # most helpful. Goodbye." takes leave, whatever answer its words lean to.
    leaving = _FAREWELL.search(acknowledged.text) and not is_question(acknowledged.text)
    if whole.intent == names.THANK and (leaving or not acknowledged.asks_something()):
        return whole
    needed = MIN_INTENT_SCORE if acknowledged.intent in ROUTES else MIN_ANSWER_SCORE
    if acknowledged.intent in NOT_A_READING or acknowledged.score < needed:
        return whole
    return acknowledged


def _meant_instead(whole: Reading, denied_out: Sequence[Reading]) -> Reading | None:
    """ "not botox, I mean the vitamin one, how does it work": a message that opens by saying
    what it isn't about asks what is left, when that reads surely as another topic."""
    if not NOT_THIS_OPENING.match(whole.text):
        return None
    # The whole leans on what it denies ("botox"): what is left, read surely, is the question.
    meant = _surest(denied_out)
    return meant if meant and meant.label != whole.label else None


def _not_named_condition(whole: Reading) -> Reading | None:
    """A question about a condition the article doesn't name: the answer that says so."""
    not_named = [c for c in whole.conditions if c not in NAMED_CONDITIONS]
    if not_named and whole.label in INSTEAD_OF_CONDITIONS:
        return Reading(whole.text, FAQ, 1.0, "faq/conditions", 1.0, conditions=whole.conditions)
    return None


def _before_reading(
    whole: Reading,
    context: Context,
    segments: Sequence[Reading],
    language: str | None,
    contact_given: bool,
    name_given: bool,
    plan_details_given: bool = False,
    form_answer_given: bool = False,
) -> Decision | None:
    """What the message is whatever it reads as: in another language (rule 1), an answer
    in a form (rule 2), the details a callback offer asked for, or a plan's details given
    unasked."""
    if language:
        reading = Reading(whole.text, OTHER_LANGUAGE, 1.0)
        return Decision(reading=reading, language=language, rule="language")
    if context.in_form:
        beside = _asked_beside_an_answer(segments)
        if beside:
            return Decision(questions=beside, rule="form")
        if _misread_in_form(whole) or (
            form_answer_given
            and whole.intent in ANSWER_MISREADINGS
            and not _worded_as_question(whole, segments)
        ):
            return Decision(reading=Reading(whole.text, names.INFORM, 1.0), rule="form_answer")
        return Decision()
    routed_now = whole.intent in (PREGNANCY, REACTION) and whole.score >= MIN_INTENT_SCORE
    # "Sure, name is Dan Price" after the callback offer: a name, not a question about prices.
    named_for_offer = name_given and context.after == OFFER
    if ((contact_given or named_for_offer) and not routed_now) or _takes_up_offer(whole, context):
        return Decision(reading=Reading(whole.text, CALLBACK, 1.0), rule="callback")
    if plan_details_given and whole.intent == names.INFORM and whole.score >= MIN_ANSWER_SCORE:
        # "6 sessions from mid April for dull skin": a planner's answers, with no planner
        # asking, are a plan asked for; the planner reads them from the message. Read as
        # such at all ("set up 6 sessions from 15 march", 0.58), the details decide it.
        plan = Reading(whole.text, names.REQUEST_SCHEDULE, whole.confidence)
        return Decision(reading=plan, rule="plan_details")
    return None


def _misread_in_form(whole: Reading) -> bool:
    """In a form, an answer half read as a route ("it's 555" for a phone number, read as
    "is that normal?"): a report that names no problem, or an unsure follow-up of one that
    asks nothing, is the form's answer, not a reason to leave it."""
    if whole.intent == REACTION:
        return not names_a_problem(whole.text)
    if whole.intent == SAFETY_FOLLOWUP:
        return whole.score < MIN_INTENT_SCORE and not is_question(whole.text)
    return False


def _worded_as_question(whole: Reading, segments: Sequence[Reading]) -> bool:
    """Whether the message or one of its parts is worded as a question ("no peels or laser.
    no sun holidays either" is not: it answers the planner, whatever topic it reads as)."""
    return is_question(whole.text) or any(part.is_question for part in segments)


def _routed(whole: Reading) -> bool:
    """Whether the message goes to the clinic's team as it reads.

    A report that names a problem routes even when read less surely ("had it on my scalp
    last week and now got bruises, normal??"): the team, not a follow-up, answers it.
    """
    if whole.intent not in (PREGNANCY, REACTION):
        return False
    return whole.score >= MIN_INTENT_SCORE or (
        whole.intent == REACTION and whole.score >= MIN_PART_REPORT and names_a_problem(whole.text)
    )


def _leaning_on_context(
    whole: Reading,
    context: Context,
    move: Move | None,
    around: Around,
    routed: bool,
) -> Decision | None:
    """What a message means after the last answer: by its move when the context reader is
    sure of it (rule 3), after a safety route when it is not (rule 4), and, for a short
    message the classifier can't read on its own, its surest reading in context."""
    sure = move is not None and move.confidence >= MIN_MOVE and context.after is not None
    if sure and move is not None and move.name != NEW and not routed:
        in_context = _in_context(whole, context, move, around)
        if in_context:
            return in_context
    elif _held_by_safety_route(whole, context, sure, move.confidence if move else 0.0):
        safety = _safety_followup(whole, context)
        if safety:
            return safety
    if (
        context.after is not None
        and not routed
        and 2 <= len(words(whole.text)) <= MAX_REWRITE_WORDS
    ):
        leaned = _unsure_in_context(whole, [*around.swaps, *around.rewrites], around.joined)
        corrected = sure and move is not None and move.name == CORRECTION
        if leaned and corrected and leaned.label == context.after:
            leaned = None  # "sorry, I meant the total": never the answer it corrects, again
        if leaned:
            return Decision(reading=leaned, rule="followup")
    return None


def _asked_in_parts(
    whole: Reading, literal: Reading, parts: Sequence[Reading], denied: bool
) -> Decision | None:
    """The questions of a longer message, a problem it reports first (rule 6), or its one
    question when the whole reads unsurely or as a story around it."""
    report = _reported(whole, parts) if parts else None
    asked = ([report] if report else []) + _questions(parts, reported=report is not None)
    if len(asked) >= 2:
        # The message's own reading stays when it is one of its questions.
        primary = next((q for q in asked if q.label == literal.label), asked[0])
        return Decision(reading=primary, questions=tuple(asked), rule="questions")
    story = len(words(literal.text)) >= STORY_WORDS or denied
    unsure = whole.intent in NOT_A_READING or whole.score < MIN_FOLLOWUP_SCORE
    # An unsure whole message takes its one confident question, even one it half read; so
    # does a whole read much less surely than its question ("whats mesotherapy exactly, my
    # friend said it's good": the story blurs the whole).
    surer_part = bool(asked) and asked[0].score - whole.score >= MIN_PART_MARGIN
    # A greeting or thanks around a question ("thanks! and how many would I need?") asks it.
    courtesy = whole.intent in COURTESY
    if asked and (
        unsure
        or courtesy
        or surer_part
        or (asked[0].label != literal.label and (story or asked[0].intent in ROUTES))
    ):
        return Decision(reading=asked[0], rule="report" if report else "question_in_story")
    return None


def _answering_the_side_asked(
    decide: Callable[Concatenate[Reading, P], Decision],
) -> Callable[Concatenate[Reading, P], Decision]:
    """Rule 8, after whichever rule chose the answer."""

    def decided(whole: Reading, /, *args: P.args, **kwargs: P.kwargs) -> Decision:
        return _on_the_side_asked(whole, decide(whole, *args, **kwargs))

    return decided


def _on_the_side_asked(whole: Reading, decision: Decision) -> Decision:
    """Advice the article gives for after the treatment, asked about the time before it
    ("can I go sunbathing the day before?"), gets that topic's honest "the article only
    talks about afterwards" (content/details.yml `before`)."""
    if decision.questions or not asks_before_the_treatment(whole.text):
        return decision
    reading = decision.reading or whole
    detail = detail_for(reading.label, BEFORE) if reading.intent == FAQ else None
    if detail is None:
        return decision
    topic = Reading(whole.text, FAQ, 1.0, detail.topic, 1.0)
    return Decision(
        reading=topic, questions=(Reading(whole.text, detail.label, 1.0),), rule="other_side"
    )


@_answering_the_side_asked
def decide(
    whole: Reading,
    context: Context,
    segments: Sequence[Reading] = (),
    rewrites: Sequence[Reading] = (),
    joined: Sequence[Reading] = (),
    language: str | None = None,
    move: Move | None = None,
    swaps: Sequence[Reading] = (),
    contact_given: bool = False,
    name_given: bool = False,
    denied_out: Sequence[Reading] = (),
    acknowledged: Reading | None = None,
    plan_details_given: bool = False,
    form_answer_given: bool = False,
    echoed: Sequence[Reading] = (),
) -> Decision:
    """What the message asks (see the module docstring for the order of the rules)."""
    before = _before_reading(
        whole,
        context,
        segments,
        language,
        contact_given,
        name_given,
        plan_details_given,
        form_answer_given,
    )
    if before is not None:
        return before
    literal = whole
    denied = pregnancy_denied(whole.text)
    whole, parts = _denial_removed(whole, segments)
    whole = _past_the_acknowledgement(_set_aside(whole, context), acknowledged)
    changed = whole is not literal  # the literal reading was set aside
    # A report of a problem now ("ive got little red dots where the needles went in") routes
    # whatever the classifier makes of it: the team, not an answer, is what it needs.
    # After a reported problem, what the visitor adds is weighed as a follow-up of it.
    about_a_problem = whole.label in ABOUT_A_PROBLEM | {SAFETY_FOLLOWUP}
    if (
        not parts
        and whole.intent != REACTION
        and (about_a_problem or (whole.intent != PREGNANCY and context.frame != "reaction"))
        and reports_a_problem(whole.text)
    ):
        return Decision(reading=Reading(whole.text, REACTION, 1.0), rule="report")
    asked_elsewhere = whole.intent in ROUTES | {CALLBACK, names.REQUEST_HUMAN}
    if not (asked_elsewhere or context.in_form) and _REQUESTS_CONTACT.search(literal.text):
        # "can i get a call back, i want to ask about botox": the call is what is asked.
        return Decision(reading=Reading(whole.text, CALLBACK, 1.0), rule="asks_to_be_called")
    routed = _routed(whole)
    # A detail the context reader is all but sure of ("is that forever??" after how often)
    # outweighs a reading of a comment on the answer that is only just sure enough.
    sure_detail = (
        move is not None
        and move.attribute is not None
        and move.confidence >= MIN_SURE_DETAIL
        and whole.score < MIN_SURE_ABOUT_THE_ANSWER
    )
    # After a safety route, "they're not going down at all" goes on about the problem, even
    # when it reads as a comment on the answer ("that didn't help"): the team hears it.
    on_a_route = move is not None and move.name == ROUTE and context.frame in SAFETY_FRAMES
    if (
        whole.intent in ABOUT_THE_ANSWER
        and whole.score >= MIN_INTENT_SCORE
        and not (sure_detail or on_a_route)
    ):
        # "where does it say that?": where the answer comes from, not a detail of it.
        return Decision(reading=whole, rule="whole") if changed else Decision()
    shifted = shifts_topic(literal.text)
    if context.frame == "pregnancy" and not routed and not shifted and _asks_if_safe(literal.text):
        # "what about just the vitamins part, is that safe?": the doctors answer that.
        return Decision(reading=Reading(whole.text, PREGNANCY, 1.0), rule="safety_followup")
    if not routed and _plainly_new(whole, context, move, shifted):
        return Decision(reading=whole, rule="new_after_safety") if changed else Decision()
    around = Around(rewrites, swaps, joined, denied_out, echoed)
    leaning = _leaning_on_context(whole, context, move, around, routed)
    if leaning is not None:
        return leaning
    meant = _meant_instead(whole, denied_out)
    if meant:
        return Decision(reading=meant, rule="not_this")
    not_named = _not_named_condition(whole)
    if not_named:
        return Decision(reading=not_named, rule="not_named_condition")
    in_parts = _asked_in_parts(whole, literal, parts, denied)
    if in_parts is not None:
        return in_parts
    return Decision(reading=whole, rule="set_aside") if changed else Decision()
