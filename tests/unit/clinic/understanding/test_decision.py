"""What the visitor asked, from the classifier's readings of the message, its parts and context.

The context reader's move (clinic/understanding/context.py) is given here as
it would come from the model: these tests are about what each move leads to.
"""

from __future__ import annotations

import pytest

from clinic.understanding.answers import actions_for, label_of_response
from clinic.understanding.context import (
    AGAIN,
    BACK,
    CLOSE,
    CORRECTION,
    DETAIL,
    FOLLOWUP,
    NEW,
    ROUTE,
    Move,
)
from clinic.understanding.decision import (
    FAQ,
    OTHER_LANGUAGE,
    PREGNANCY,
    REACTION,
    SAFETY_FOLLOWUP,
    Context,
    Decision,
    Reading,
    decide,
    frame_of,
)

AFTER_REACTION = Context(after=REACTION)
AFTER_PREGNANCY = Context(after=PREGNANCY)
AFTER_AFTERCARE = Context(
    after="faq/aftercare", earlier_questions=("what should I do after a session?",)
)
AFTER_SUN = Context(after="faq/sun_after", earlier_questions=("can I go in the sun after?",))
AFTER_ORIGIN = Context(after="faq/origin", earlier_questions=("where does it come from?",))
AFTER_COMBINING = Context(after="faq/combine_anti_wrinkle", earlier_questions=("can I have both?",))
AFTER_OFFER = Context(after="request_human", earlier_questions=("can I talk to someone?",))


def move(name: str, confidence: float = 0.9) -> Move:
    return Move(name, confidence)


def faq(
    text: str,
    topic: str,
    sure: float = 0.9,
    *,
    question: bool = True,
    conditions: tuple[str, ...] = (),
    runner_up: Reading | None = None,
) -> Reading:
    """An FAQ reading of `text`: the faq intent at 0.95, the answer `faq/<topic>` at `sure`."""
    return Reading(
        text,
        FAQ,
        0.95,
        f"faq/{topic}",
        sure,
        is_question=question,
        conditions=conditions,
        runner_up=runner_up,
    )


def said(
    text: str,
    intent: str,
    confidence: float = 0.9,
    *,
    question: bool = True,
    runner_up: Reading | None = None,
) -> Reading:
    return Reading(text, intent, confidence, is_question=question, runner_up=runner_up)


def _labels(decision: Decision) -> list[str]:
    return [question.label for question in decision.questions]


# 1. Another language


@pytest.mark.parametrize("context", [Context(), Context(in_form=True), AFTER_REACTION])
def test_another_language_is_answered_in_it_wherever_the_conversation_is(
    context: Context,
) -> None:
    whole = said("¿Cuánto cuesta una sesión?", OTHER_LANGUAGE, 0.9)
    decision = decide(whole, context, language="es")
    assert decision.language == "es"
    assert decision.rule == "language"
    assert decision.reading is not None and decision.reading.intent == OTHER_LANGUAGE


# 2. In the planner's form


def test_in_the_form_the_raw_answer_is_left_to_the_form() -> None:
    whole = faq("next monday pls, and is it sore after?", "pain", 0.3)
    parts = [
        faq("next monday pls", "booking", 0.8, question=False),
        faq("is it sore after?", "side_effects", 0.9),
    ]
    rewrites = [faq("sore after the treatment", "side_effects", 0.9)]
    in_form = decide(whole, Context(in_form=True), parts, rewrites)
    assert in_form.reading is None
    assert _labels(in_form) == ["faq/side_effects"]  # answered before the form's next question
    assert decide(whole, AFTER_AFTERCARE, parts, rewrites) != Decision()


def test_in_the_form_questions_alone_are_left_to_the_rules() -> None:
    whole = faq("can it help rosacea? and is it sore after?", "conditions", 0.6)
    parts = [faq("can it help rosacea?", "conditions", 0.9), faq("is it sore after?", "pain", 0.9)]
    assert decide(whole, Context(in_form=True), parts) == Decision()


def test_in_the_planner_an_answer_read_as_a_topic_is_the_planner_s_answer() -> None:
    whole = faq("no peels or laser. no sun holidays either", "other_treatments_after", 0.8)
    parts = [
        faq("no peels or laser.", "other_treatments_after", 0.8, question=False),
        faq("no sun holidays either", "sun_after", 0.7, question=False),
    ]
    in_form = Context(in_form=True)
    answered = decide(whole, in_form, parts, form_answer_given=True)
    assert answered.reading is not None and answered.reading.intent == "inform"
    # Giving no planner value, or worded as a question, it is the question it reads as.
    assert decide(whole, in_form, parts) == Decision()
    asked = faq("can I have a peel after?", "other_treatments_after", 0.9)
    assert decide(asked, in_form, form_answer_given=True) == Decision()


def test_in_the_planner_an_answer_read_as_off_topic_is_the_planner_s_answer() -> None:
    whole = said("let's say 6", "out_of_scope", 0.97, question=False)
    in_form = Context(in_form=True)
    answered = decide(whole, in_form, form_answer_given=True)
    assert answered.reading is not None and answered.reading.intent == "inform"
    assert decide(whole, in_form) == Decision()


@pytest.mark.parametrize(
    ("whole", "answers"),
    [
        (said("it's 555", SAFETY_FOLLOWUP, 0.59), True),  # a phone number half read
        (said("yep its 07700", REACTION, 0.8), True),  # names no problem
        (said("is that normal?", SAFETY_FOLLOWUP, 0.6), False),  # asks: still the route
        (said("my cheek is really swollen", REACTION, 0.9), False),  # a problem: the route
    ],
)
def test_in_a_form_an_answer_half_read_as_a_route_stays_the_form_s_answer(
    whole: Reading, answers: bool
) -> None:
    decision = decide(whole, Context(in_form=True))
    assert (decision.reading is not None and decision.reading.intent == "inform") is answers


# 3. After a safety route


@pytest.mark.parametrize(
    ("context", "whole", "route"),
    [
        (AFTER_REACTION, faq("is that normal?", "side_effects", 0.8), SAFETY_FOLLOWUP),
        (AFTER_REACTION, said("its got worse tbh", "nlu_fallback", 0.3), SAFETY_FOLLOWUP),
        (AFTER_REACTION, said("thanks but it's still red", "thank", 0.5), SAFETY_FOLLOWUP),
        (AFTER_PREGNANCY, faq("is it safe tho?", "side_effects", 0.7), PREGNANCY),
        (AFTER_PREGNANCY, faq("and how long after the birth?", "downtime", 0.6), PREGNANCY),
    ],
)
def test_after_a_safety_route_an_unclear_message_goes_back_to_the_team(
    context: Context, whole: Reading, route: str
) -> None:
    decision = decide(whole, context)
    assert decision.rule == "safety_followup"
    assert decision.reading == Reading(whole.text, route, 1.0)


@pytest.mark.parametrize(
    "whole",
    [
        said("thanks so much", "thank", 0.95),
        said("can I speak to someone at the clinic", "request_human", 0.9),
        faq("how much does it cost?", "price", 0.85),
    ],
)
def test_after_a_safety_route_something_clearly_new_is_read_as_it_is(whole: Reading) -> None:
    assert decide(whole, AFTER_REACTION) == Decision()
    assert decide(whole, AFTER_PREGNANCY) == Decision()


# 4. A report in a whole message, and a report that can't be one


@pytest.mark.parametrize(
    "whole",
    [
        faq("bruising after my session, is that normal?", "side_effects"),
        faq("my face is still swollen today, should I put ice on it?", "aftercare"),
        faq("had meso yesterday n my forehead is sore, can i go to the gym", "exercise_after"),
    ],
)
def test_a_problem_reported_in_a_question_about_it_is_routed(whole: Reading) -> None:
    decision = decide(whole, Context())
    assert decision.rule == "report"
    assert decision.reading == Reading(whole.text, REACTION, 1.0)


def test_a_general_question_about_side_effects_is_answered() -> None:
    assert decide(faq("does it bruise much?", "side_effects"), Context()) == Decision()


def test_a_report_that_names_no_problem_gives_way_to_the_next_reading() -> None:
    results = faq("I had my first session yesterday, when will I see results?", "results_timeline")
    whole = said(results.text, REACTION, 0.7, runner_up=results)
    decision = decide(whole, Context())
    assert decision.rule == "set_aside"
    assert decision.reading == results


def test_a_report_that_names_a_problem_stands() -> None:
    whole = said(
        "my skin is peeling since yesterday",
        REACTION,
        0.9,
        runner_up=faq("my skin is peeling since yesterday", "skincare_after"),
    )
    assert decide(whole, Context()) == Decision()


def test_a_safety_follow_up_without_a_safety_route_before_it_is_set_aside() -> None:
    whole = said("is that normal?", SAFETY_FOLLOWUP, 0.8)
    decision = decide(whole, Context())
    assert decision.rule == "set_aside"
    assert decision.reading is not None and decision.reading.intent == "nlu_fallback"


def test_a_cancel_with_nothing_to_cancel_is_read_in_context() -> None:
    """ "and now?" after the origin, read as "cancel" with no form to cancel: its reading
    in the last answer's question (what it is used for now) is what it asks."""
    whole = said("and now?", "cancel", 0.96)
    now = faq("and now?", "conditions", 0.92)
    decision = decide(whole, AFTER_ORIGIN, rewrites=[now], move=move(FOLLOWUP))
    assert decision.reading == now
    # In a form, a cancel stops it; and said as a message of its own, it is a cancel.
    in_form = Context(after="faq/origin", in_form=True)
    assert decide(whole, in_form, rewrites=[now], move=move(FOLLOWUP)) == Decision()
    assert decide(said("cancel the planner please", "cancel", 0.9), Context()) == Decision()


@pytest.mark.parametrize(
    ("text", "stands"),
    [
        ("can I get a call about prices", True),
        ("I'd like a quick phone call about my skin", True),
        ("could someone ring me about the cost", True),
        ("ok I'll call them. different thing, who are your doctors", False),
        ("would prefer an email from the team tbh", True),
        ("a ring tomorrow would be easier", True),
    ],
)
def test_a_callback_request_stands_only_when_it_asks_to_be_contacted(
    text: str, stands: bool
) -> None:
    """The classifier's callback reading is set aside for a message that asks nobody to
    contact the visitor: the next reading answers it."""
    runner_up = faq(text, "price")
    decision = decide(said(text, "request_callback", 0.6, runner_up=runner_up), Context())
    assert (decision.rule != "set_aside") is stands


# 4. A short follow-up


def test_a_follow_up_reads_as_its_topic_s_question_when_that_is_surer() -> None:
    rewritten = faq("and alcohol? after the treatment", "alcohol_after", 0.9)
    whole = faq("and alcohol?", "preparation", 0.6)
    decision = decide(whole, AFTER_AFTERCARE, rewrites=[rewritten], move=move(FOLLOWUP))
    assert decision.rule == "followup"
    assert decision.reading == rewritten


def test_a_message_the_reader_takes_as_new_keeps_a_sure_literal_reading() -> None:
    rewritten = faq("and alcohol? after the treatment", "alcohol_after", 0.9)
    whole = faq("and alcohol?", "preparation", 0.6)
    assert decide(whole, AFTER_AFTERCARE, rewrites=[rewritten], move=move(NEW)) == Decision()


@pytest.mark.parametrize(
    ("whole", "rewritten"),
    [
        (
            faq("and alcohol?", "alcohol_after", 0.9),
            faq("and alcohol? after the treatment", "aftercare", 0.7),
        ),
        (
            said("ok thank you!", "thank", 0.95),
            faq("ok thank you! after the treatment", "aftercare", 0.9),
        ),
        (
            said("and swelling?", "nlu_fallback", 0.3),
            said("and swelling? after the treatment", REACTION, 0.95),
        ),
        (
            said("and zumba?", "nlu_fallback", 0.3),
            faq("and zumba? after the treatment", "exercise_after", 0.45),
        ),
    ],
)
def test_a_literal_reading_stands_against_a_less_sure_or_unusable_rewrite(
    whole: Reading, rewritten: Reading
) -> None:
    for context_move in (move(FOLLOWUP), None):
        decision = decide(whole, AFTER_AFTERCARE, rewrites=[rewritten], move=context_move)
        assert decision == Decision()


def test_a_short_reply_with_a_surer_rewrite_is_the_follow_up() -> None:
    rewritten = faq("ok and alcohol? after the treatment", "alcohol_after", 0.9)
    whole = said("ok and alcohol?", "affirm", 0.8)
    decision = decide(whole, AFTER_AFTERCARE, rewrites=[rewritten], move=move(FOLLOWUP))
    assert decision.reading == rewritten


@pytest.mark.parametrize(
    ("whole", "joined_used"),
    [
        (said("for how long?", "nlu_fallback", 0.6), True),
        (said("for how long?", "out_of_scope", 0.8), True),
        (faq("for how long?", "appointment_duration", 0.4), True),
        (faq("for how long?", "appointment_duration", 0.6), False),
        (said("no gym for how long?", "deny", 0.8), True),
        (said("ok thanks", "thank", 0.95), False),
    ],
)
def test_without_a_move_the_joined_reading_stands_in_only_for_an_unsure_one(
    whole: Reading, joined_used: bool
) -> None:
    sun = faq("can I go in the sun after for how long?", "sun_after", 0.9)
    decision = decide(whole, AFTER_SUN, joined=[sun])
    assert (decision.reading == sun) is joined_used
    assert (decision.rule == "followup") is joined_used


@pytest.mark.parametrize(
    ("whole", "joined_used"),
    [
        (faq("for how long?", "appointment_duration", 0.6), True),  # surer in context
        (faq("the price?", "price", 0.99), False),  # surer on its own
        (said("ok thanks", "thank", 0.95), False),
        (said("k", "affirm", 0.9), False),
    ],
)
def test_a_follow_up_joined_to_the_question_before_wins_when_it_is_surer(
    whole: Reading, joined_used: bool
) -> None:
    sun = faq("can I go in the sun after for how long?", "sun_after", 0.9)
    decision = decide(whole, AFTER_SUN, joined=[sun], move=move(FOLLOWUP))
    assert (decision.reading == sun) is joined_used


def test_a_joined_reading_that_is_itself_unsure_is_not_used() -> None:
    sun = faq("can I go in the sun after for how long?", "sun_after", 0.5)
    whole = said("for how long?", "nlu_fallback", 0.3)
    assert decide(whole, AFTER_SUN, joined=[sun], move=move(FOLLOWUP)) == Decision()


def test_the_other_side_of_the_treatment_reads_the_last_question_turned_round() -> None:
    context = Context(after="faq/preparation", earlier_questions=("can I drink the night before?",))
    swapped = faq("can I drink after", "alcohol_after", 0.9)
    whole = faq("and after?", "questions_to_ask", 0.6)
    decision = decide(whole, context, swaps=[swapped], move=move(FOLLOWUP))
    assert decision.reading == swapped


# 4a. One detail of the last answer (content/details.yml)


@pytest.mark.parametrize(
    ("context", "attribute", "response"),
    [
        (AFTER_ORIGIN, "where", "utter_detail_origin_where"),
        (AFTER_ORIGIN, "when", "utter_detail_origin_when"),
        (AFTER_SUN, "how_long", "utter_detail_sun_how_long"),
        (AFTER_COMBINING, "order", "utter_detail_combine_order"),
    ],
)
def test_a_detail_of_the_last_answer_gets_that_detail_s_answer(
    context: Context, attribute: str, response: str
) -> None:
    whole = said("which one?", "nlu_fallback", 0.3)
    decision = decide(whole, context, move=move(f"detail:{attribute}"))
    assert decision.rule == "detail"
    assert [actions_for(label) for label in _labels(decision)] == [(response,)]
    # The message counts as a question about the topic it details.
    assert decision.reading is not None and decision.reading.intent == FAQ


def test_a_correction_asking_nothing_else_gets_the_detail_its_move_ranks_next() -> None:
    """ "sorry, I meant where" after "when was it invented?": the origin's place."""
    whole = said("sorry, I meant where", "out_of_scope", 0.4)
    corrected = Move(CORRECTION, 0.99, (("correction", 0.99), ("detail:where", 0.01)))
    decision = decide(whole, AFTER_ORIGIN, move=corrected)
    assert decision.rule == "detail"
    assert [actions_for(label) for label in _labels(decision)] == [("utter_detail_origin_where",)]
    # A correction that asks another question of its own is that question.
    price = faq("sorry, I meant the price", "price", 0.9)
    assert decide(price, AFTER_ORIGIN, move=corrected).reading == price
    # Ranked after anything but a detail, nothing is made up.
    unranked = Move(CORRECTION, 0.99, (("correction", 0.99), ("close", 0.01)))
    assert decide(whole, AFTER_ORIGIN, move=unranked).rule != "detail"


def test_a_detail_the_last_answer_lacks_may_be_the_one_before_s() -> None:
    context = Context(
        after="faq/ingredients",
        earlier_questions=("what's in it?", "where was it invented?"),
        earlier_answers=("faq/ingredients", "faq/origin"),
    )
    decision = decide(
        said("sorry what year?", "nlu_fallback", 0.3), context, move=move("detail:when")
    )
    assert [actions_for(label) for label in _labels(decision)] == [("utter_detail_origin_when",)]


def test_a_detail_after_an_answer_the_article_lacks_is_not_looked_for_further_back() -> None:
    context = Context(
        after="faq/price",
        earlier_questions=("and per session?", "where was it invented?"),
        earlier_answers=("faq/price", "faq/origin"),
    )
    decision = decide(said("since when?", "nlu_fallback", 0.3), context, move=move("detail:when"))
    assert decision.rule == "detail_not_in_article"
    # Asked to be reminded ("…again?"), the detail was given before: the origin's year.
    reminded = decide(
        said("and what year was that again?", "nlu_fallback", 0.3),
        context,
        move=move("detail:when"),
    )
    assert [actions_for(label) for label in _labels(reminded)] == [("utter_detail_origin_when",)]


def test_a_detail_the_table_lacks_is_read_as_a_follow_up() -> None:
    sun = faq("can I go in the sun after? who says", "sun_after", 0.9)
    decision = decide(said("who says?", "nlu_fallback", 0.2), AFTER_SUN, joined=[sun],
                      move=move("detail:who"))  # fmt: skip
    assert decision.rule == "followup" and decision.reading == sun


def test_a_detail_no_answer_has_is_not_answered_by_another_topic() -> None:
    """ "and for how long?" after the benefits: the benefits have no length, and the
    conditions (its follow-up's reading) would not give one: the article doesn't say."""
    context = Context(after="faq/benefits", earlier_questions=("what are the benefits?",))
    conditions = faq("what can it treat and for how long", "conditions", 0.96)
    whole = faq("and for how long?", "appointment_duration", 0.84)
    decision = decide(whole, context, rewrites=[conditions], move=move("detail:how_long"))
    assert decision.rule == "detail_not_in_article"
    assert decision.reading is not None and decision.reading.label == "faq/not_in_article"
    # Read as the follow-up it is when no detail was asked, it is the conditions.
    followed = decide(whole, context, rewrites=[conditions], move=move(FOLLOWUP))
    assert followed.reading == conditions


def test_a_way_back_with_nothing_earlier_makes_the_move_ranked_next() -> None:
    """ "and once my skin's improving?" after how often, read as a way back with only that
    one question asked: what comes later, the detail the reader ranks next."""
    context = Context(
        after="faq/session_frequency", earlier_questions=("how often at the beginning?",)
    )
    whole = faq("and once my skin's improving?", "benefits", 0.6)
    joined = faq("how often at the beginning? and once my skin's improving", "session_frequency")
    ranked = Move(BACK, 0.88, ((BACK, 0.88), ("detail:later", 0.11)))
    decision = decide(whole, context, joined=[joined], move=ranked)
    assert decision.rule == "detail"
    assert [actions_for(label) for label in _labels(decision)] == [
        ("utter_detail_frequency_later",)
    ]
    # With an earlier question to go back to, it goes back to it.
    earlier = faq("how many sessions? and once my skin's improving", "sessions_needed")
    back = decide(whole, context, joined=[joined, earlier], move=ranked)
    assert (back.rule, back.reading) == ("back", earlier)


def test_a_follow_up_naming_the_other_side_of_the_treatment_turns_the_question_round() -> None:
    """ "and after?" after "how should I prep the night before": the aftercare, not the
    preparation again."""
    context = Context(
        after="faq/preparation", earlier_questions=("how should i prep the night before",)
    )
    whole = faq("and after?", "aftercare", 0.2)
    turned = faq("how should i prep the night after", "aftercare", 0.5)
    same_side = faq("how should i prep the night before and after?", "preparation", 0.96)
    decision = decide(whole, context, swaps=[turned], joined=[same_side], move=move(FOLLOWUP))
    assert (decision.rule, decision.reading) == ("turned_round", turned)
    # A message that names its own topic surely keeps it ("can i get fillers soon after").
    fillers = faq("can i get fillers soon after", "other_treatments_after", 0.95)
    alcohol = faq("do i need to avoid alcohol after", "alcohol_after", 0.9)
    own = decide(fillers, context, swaps=[alcohol], move=move(FOLLOWUP))
    assert own.reading != alcohol


def test_a_detail_of_an_answer_the_article_doesn_t_cover_says_so_again() -> None:
    context = Context(after="faq/price", earlier_questions=("how much is it?",))
    decision = decide(said("per session?", "nlu_fallback", 0.2), context, move=move("detail:which"))
    assert decision.reading is not None and decision.reading.label == "faq/price"


def test_an_unsure_move_is_not_acted_on() -> None:
    whole = faq("what year did you open?", "opening_hours", 0.9)
    assert decide(whole, AFTER_ORIGIN, move=move("detail:when", 0.4)) == Decision()


def test_a_no_that_says_what_it_meant_instead_asks_that() -> None:
    context = Context(after="faq/price", earlier_questions=("how much is it",))
    whole = said("no sorry not the price, the number of sessions", "deny", 1.0)
    meant = faq("no sorry the number of sessions", "sessions_needed", 0.9)
    decision = decide(whole, context, move=move("close"), denied_out=[meant])
    assert decision.rule == "not_this" and decision.reading == meant
    assert decide(said("no thanks", "deny", 1.0), context, move=move("close")).rule == "close"


# 4b. Corrections


def test_a_correction_naming_a_new_topic_sets_the_last_answer_aside() -> None:
    sessions = faq("not the price, the number of sessions", "sessions_needed", 0.5)
    whole = faq("not the price, the number of sessions", "price", 0.9, runner_up=sessions)
    context = Context(after="faq/price", earlier_questions=("how much will it cost?",))
    decision = decide(whole, context, move=move(CORRECTION))
    assert decision.rule == "correction" and decision.reading == sessions


def test_a_correction_read_as_not_covered_takes_the_topic_it_names_with_the_question() -> None:
    text = "Sorry, I meant between the meso and my laser appointment"
    whole = faq(text, "not_in_article", 0.62)
    joined = faq(f"how long between sessions {text}", "other_treatments_after", 0.73)
    context = Context(
        after="faq/session_frequency", earlier_questions=("how long between sessions?",)
    )
    decision = decide(whole, context, joined=[joined], move=move(CORRECTION))
    assert decision.reading == joined
    # With nothing else named, the article's "doesn't cover that" stands.
    alone = decide(whole, context, move=move(CORRECTION))
    assert alone.reading is None or alone.reading.label == "faq/not_in_article"


def test_a_correction_to_another_condition_keeps_the_conditions_answer() -> None:
    whole = faq("sorry, autocorrect, I meant rosacea", "conditions", 0.9, conditions=("rosacea",))
    context = Context(after="faq/conditions", earlier_questions=("does it help with acne?",))
    decision = decide(whole, context, move=move(CORRECTION))
    assert decision.reading is not None and decision.reading.label == "faq/conditions"
    assert decision.reading.conditions == ("rosacea",)


def test_a_correction_of_the_time_reads_the_last_question_turned_round() -> None:
    context = Context(after="faq/preparation", earlier_questions=("what do I do before?",))
    swapped = faq("what do I do after", "aftercare", 0.9)
    whole = said("no, I meant after", "deny", 0.8)
    decision = decide(whole, context, swaps=[swapped], move=move(CORRECTION))
    assert decision.reading == swapped


# 4c. Closing, and after a safety route


def test_a_polite_close_is_closed_politely() -> None:
    whole = faq("no thanks, I was only asking", "preparation", 0.5)
    decision = decide(whole, AFTER_AFTERCARE, move=move(CLOSE))
    assert decision.rule == "close"
    assert decision.reading is not None and decision.reading.intent == "deny"


def test_thanks_stays_thanks_even_when_it_closes() -> None:
    whole = said("thanks, that's all", "thank", 0.95)
    assert decide(whole, AFTER_AFTERCARE, move=move(CLOSE)) == Decision()


def test_a_close_read_less_surely_as_thanks_or_goodbye_is_that_courtesy() -> None:
    thanks = said("Thank you, that's very kind.", "thank", 0.45)
    decision = decide(thanks, AFTER_AFTERCARE, move=move(CLOSE))
    assert decision.reading == Reading(thanks.text, "thank", 1.0)
    bye = said("Brilliant, really helpful. Bye!", "affirm", 0.5, runner_up=said("", "goodbye", 0.4))
    decision = decide(bye, AFTER_AFTERCARE, move=move(CLOSE))
    assert decision.reading is not None and decision.reading.intent == "goodbye"
    # "that's everything, ta" read as goodbye takes no leave: it closes.
    done = said("nope, that's everything", "deny", 0.6, runner_up=said("", "goodbye", 0.4))
    assert decide(done, AFTER_AFTERCARE, move=move(CLOSE)).rule == "close"
    # Read as courtesy too unsurely, it stays a plain close.
    unsure = said("grand", "thank", 0.2)
    assert decide(unsure, AFTER_AFTERCARE, move=move(CLOSE)).rule == "close"


def test_going_on_about_a_safety_route_goes_back_to_the_team() -> None:
    whole = faq("can I still have it on my scalp?", "conditions", 0.9)
    decision = decide(whole, AFTER_PREGNANCY, move=move(ROUTE))
    assert decision.reading == Reading(whole.text, PREGNANCY, 1.0)


def test_a_question_the_context_reader_holds_to_the_route_goes_to_the_team() -> None:
    whole = faq("even just on my scalp for hair thinning?", "conditions", 1.0)
    decision = decide(whole, AFTER_PREGNANCY, move=move(ROUTE, 0.95))
    assert decision.reading == Reading(whole.text, PREGNANCY, 1.0)
    # Said to move on, or asking what no "yes" answers, it is answered.
    moved = faq("ok, different thing: does it help with acne?", "conditions", 0.95)
    assert decide(moved, AFTER_PREGNANCY, move=move(ROUTE, 0.95)) == Decision()
    count = faq("ok after the birth then, how many sessions would i need?", "sessions_needed", 1)
    assert decide(count, AFTER_PREGNANCY, move=move(ROUTE, 0.97)) == Decision()


def test_a_plainly_new_question_after_a_safety_route_is_answered() -> None:
    whole = faq("ok, and what's the aftercare?", "aftercare", 0.9)
    assert decide(whole, AFTER_PREGNANCY, move=move(NEW)) == Decision()
    # Without the reader's say, a question about aftercare stays with the route.
    assert decide(whole, AFTER_PREGNANCY).rule == "safety_followup"


# 4d. The callback offer


@pytest.mark.parametrize(
    "whole",
    [
        said("yes please", "affirm", 0.9),
        said("Olivia", "out_of_scope", 0.7),
        said("sure, it's Aisha", "nlu_fallback", 0.3),
        # A number the form will refuse, with words around it: the form says so.
        said("sure. Lena, my number is 12345", "out_of_scope", 0.6),
    ],
)
def test_after_the_callback_offer_a_yes_or_a_name_takes_it_up(whole: Reading) -> None:
    decision = decide(whole, AFTER_OFFER)
    assert decision.rule == "callback"
    assert decision.reading is not None and decision.reading.intent == "request_callback"


@pytest.mark.parametrize(
    "whole",
    [
        said("no thanks", "deny", 0.9),
        faq("what are your opening hours?", "opening_hours", 0.95),
        said("Olivia", "out_of_scope", 0.7),
    ],
)
def test_a_no_a_question_or_a_name_out_of_the_blue_is_not_a_callback(whole: Reading) -> None:
    context = AFTER_OFFER if whole.intent != "out_of_scope" else AFTER_SUN
    assert decide(whole, context).rule != "callback"


def test_a_phone_number_anywhere_asks_for_a_callback_unless_it_reports_a_problem() -> None:
    whole = faq("can you ring me on 07911 123456", "contact", 0.8)
    assert decide(whole, Context(), contact_given=True).rule == "callback"
    report = said("my face is swollen, call me on 07911 123456", REACTION, 0.9)
    assert decide(report, Context(), contact_given=True).rule != "callback"


def test_a_planner_s_answers_given_unasked_ask_for_a_plan() -> None:
    """ "6 sessions from mid April for dull skin, any weekday" reads as a planner's answer;
    with no planner asking, it asks for one (the planner then reads its values)."""
    text = "i want 6 sessions from mid april for dull skin, any weekday"
    decision = decide(said(text, "inform", 0.99), Context(), plan_details_given=True)
    assert decision.rule == "plan_details"
    assert decision.reading is not None and decision.reading.intent == "request_schedule"
    set_up = said("set up 6 sessions from 15 march for pigmentation", "inform", 0.58)
    assert decide(set_up, Context(), plan_details_given=True).rule == "plan_details"


@pytest.mark.parametrize(
    ("whole", "context", "given"),
    [
        (said("mondays and fridays", "inform", 0.95), Context(), False),  # no plan named
        (said("6 sessions from 1 april", "inform", 0.4), Context(), True),  # read unsurely
        (said("6 sessions from 1 april", "inform", 0.95), Context(in_form=True), True),
        (faq("how many sessions from april?", "sessions_needed"), Context(), True),
    ],
)
def test_only_a_sure_planner_s_answer_naming_a_plan_outside_the_planner_asks_for_one(
    whole: Reading, context: Context, given: bool
) -> None:
    assert decide(whole, context, plan_details_given=given).rule != "plan_details"


# 5. A longer message: several questions, one in a story, a report


def test_two_questions_are_answered_in_the_visitor_s_order() -> None:
    text = "what is it and how many sessions do I need?"
    parts = [faq("what is it", "what_is"), faq("how many sessions do I need?", "sessions_needed")]
    decision = decide(faq(text, "what_is", 0.7), Context(), parts)
    assert decision.rule == "questions"
    assert _labels(decision) == ["faq/what_is", "faq/sessions_needed"]
    assert decision.reading is not None and decision.reading.label == "faq/what_is"


def test_when_the_whole_reading_is_none_of_the_questions_the_first_leads() -> None:
    text = "whats the price, how long does it last"
    parts = [faq("whats the price", "price"), faq("how long does it last", "results_duration")]
    decision = decide(said(text, "nlu_fallback", 0.4), Context(), parts)
    assert _labels(decision) == ["faq/price", "faq/results_duration"]
    assert decision.reading == parts[0]


def test_planning_comes_after_the_other_questions() -> None:
    text = "can you plan my sessions and how much is each one?"
    parts = [
        said("can you plan my sessions", "request_schedule"),
        faq("how much is each one?", "price"),
    ]
    decision = decide(said(text, "request_schedule", 0.8), Context(), parts)
    assert _labels(decision) == ["faq/price", "request_schedule"]
    assert decision.reading is not None and decision.reading.intent == "request_schedule"


def test_a_question_asked_twice_statements_and_unsure_parts_are_not_extra_questions() -> None:
    text = "How much is it? I've heard it's pricey. How much for the face? is it like botox"
    parts = [
        faq("How much is it?", "price"),
        faq("I've heard it's pricey.", "price", question=False),
        faq("How much for the face?", "price", 0.8),
        faq("is it like botox", "vs_anti_wrinkle", 0.4),
    ]
    assert decide(faq(text, "price"), Context(), parts) == Decision()


def test_a_problem_reported_in_a_longer_message_is_routed_first() -> None:
    text = (
        "Does it hurt less the second time? I had my first session on Saturday and my forehead "
        "is still swollen today. How much is the next session?"
    )
    parts = [
        faq("Does it hurt less the second time?", "pain"),
        said("I had my first session on Saturday and my forehead is still swollen today.",
             REACTION, 0.85, question=False),
        faq("How much is the next session?", "price"),
    ]  # fmt: skip
    decision = decide(said(text, "nlu_fallback", 0.4), Context(), parts)
    assert decision.rule == "questions"
    assert _labels(decision) == [REACTION, "faq/price"]  # the pain question goes with the report
    assert decision.reading is not None and decision.reading.intent == REACTION


def test_a_story_about_someone_else_s_reaction_is_not_routed() -> None:
    text = (
        "My cousin ended up with lumps after hers and I'm honestly really nervous now because my "
        "wedding is in June and I want to look my best for it. does it hurt?"
    )
    parts = [
        said(text.split(". ")[0], REACTION, 0.85, question=False),
        faq("does it hurt?", "pain"),
    ]
    decision = decide(said(text, REACTION, 0.6), Context(), parts)
    assert decision.rule == "question_in_story"
    assert decision.reading == parts[1]


def test_one_question_inside_a_long_story_is_what_it_asks() -> None:
    text = (
        "So I'm 52 and I've been on HRT for about two years now, my skin has gone really dull and "
        "crepey round my neck. My GP says I'm fine otherwise. Can I have it if I'm on HRT?"
    )
    question = faq("Can I have it if I'm on HRT?", "medication")
    parts = [
        faq(text.split(". ")[0], "conditions", 0.8, question=False),
        said("My GP says I'm fine otherwise.", "affirm", 0.6, question=False),
        question,
    ]
    decision = decide(faq(text, "benefits", 0.6), Context(), parts)
    assert decision.rule == "question_in_story"
    assert decision.reading == question


def test_a_short_message_with_one_question_is_read_whole() -> None:
    text = "I'm on antibiotics, can I have it?"
    parts = [
        said("I'm on antibiotics", "inform", 0.5, question=False),
        faq("can I have it?", "contraindications"),
    ]
    assert decide(faq(text, "medication"), Context(), parts) == Decision()


def test_a_short_message_read_unsurely_is_its_one_question() -> None:
    text = "I'm on roaccutane atm, can I still have it?"
    question = faq("can I still have it?", "contraindications")
    parts = [said("I'm on roaccutane atm", "inform", 0.5, question=False), question]
    decision = decide(said(text, "nlu_fallback", 0.3), Context(), parts)
    assert decision.rule == "question_in_story"
    assert decision.reading == question


def test_a_pregnancy_told_in_passing_is_routed_with_the_questions_about_it() -> None:
    text = "I'm 12 weeks pregnant, does it hurt?"
    told = said("I'm 12 weeks pregnant", PREGNANCY, 0.9, question=False)
    decision = decide(faq(text, "pain", 0.6), Context(), [told, faq("does it hurt?", "pain")])
    assert decision.rule == "question_in_story"
    assert decision.reading == told


def test_a_pregnancy_and_an_unrelated_question_are_both_answered_in_order() -> None:
    text = "what are your opening hours? I'm breastfeeding btw"
    parts = [
        faq("what are your opening hours?", "opening_hours"),
        said("I'm breastfeeding btw", PREGNANCY, 0.85, question=False),
    ]
    decision = decide(said(text, PREGNANCY, 0.8), Context(), parts)
    assert _labels(decision) == ["faq/opening_hours", PREGNANCY]
    assert decision.reading is not None and decision.reading.intent == PREGNANCY


def test_beside_a_pregnancy_a_yes_no_question_is_answered_only_when_plainly_its_own() -> None:
    text = "is it ok if im still breastfeeding and can i go in the sun after"
    told = said("is it ok if im still breastfeeding", PREGNANCY, 0.95)
    sun = faq("can i go in the sun after", "sun_after", 0.99)
    decision = decide(said(text, PREGNANCY, 0.9), Context(), [told, sun])
    assert _labels(decision) == [PREGNANCY, "faq/sun_after"]
    # "can I still have it?" may be about the pregnancy: the doctors answer it.
    still = faq("can I still have it?", "contraindications", 0.81)
    decision = decide(
        said("I'm pregnant, can I still have it?", PREGNANCY, 0.9),
        Context(),
        [said("I'm pregnant", PREGNANCY, 0.95, question=False), still],
    )
    assert _labels(decision) in ([], [PREGNANCY])
    # Whether it is ok for a condition, asked beside a pregnancy, is the doctors' to say.
    hair = faq("is meso ok for hair thinning?", "conditions", 0.99)
    text = "breastfeeding mum here - is meso ok for hair thinning?"
    told = said("breastfeeding mum here", PREGNANCY, 0.95, question=False)
    decision = decide(said(text, PREGNANCY, 0.9), Context(), [told, hair])
    assert "faq/conditions" not in _labels(decision)
    marks = faq("can i get meso for my stretch marks", "conditions", 0.99)
    text = "i'm pregnant, can i get meso for my stretch marks"
    told = said("i'm pregnant", PREGNANCY, 0.95, question=False)
    assert _labels(decide(said(text, PREGNANCY, 0.9), Context(), [told, marks])) in (
        [],
        [PREGNANCY],
    )


def test_after_a_pregnancy_a_question_of_its_own_still_gets_its_answer() -> None:
    text = "I'm 20 weeks pregnant. what is it exactly?"
    parts = [
        said("I'm 20 weeks pregnant.", PREGNANCY, 0.9, question=False),
        faq("what is it exactly?", "what_is"),
    ]
    decision = decide(said(text, PREGNANCY, 0.8), Context(), parts)
    assert _labels(decision) == [PREGNANCY, "faq/what_is"]


# Pregnancy denied


def test_a_denied_pregnancy_with_one_question_answers_that_question() -> None:
    text = "I'm not pregnant or anything, can I go to spin after?"
    spin = faq("can I go to spin after?", "exercise_after")
    parts = [said("I'm not pregnant or anything", PREGNANCY, 0.9, question=False), spin, spin]
    decision = decide(said(text, PREGNANCY, 0.93), Context(), parts)
    assert decision.reading == spin


def test_a_denied_pregnancy_read_whole_gives_way_to_the_next_reading() -> None:
    text = "im not pregnant, just wondering if it hurts"
    pain = faq(text, "pain", 0.8)
    decision = decide(said(text, PREGNANCY, 0.9, runner_up=pain), Context())
    assert decision.reading == pain


def test_a_denied_pregnancy_leaves_the_other_questions() -> None:
    text = "I'm not pregnant, how long does it take and does it hurt?"
    parts = [
        said("I'm not pregnant", PREGNANCY, 0.9, question=False),
        faq("how long does it take", "appointment_duration"),
        faq("does it hurt?", "pain"),
    ]
    decision = decide(said(text, PREGNANCY, 0.9), Context(), parts)
    assert _labels(decision) == ["faq/appointment_duration", "faq/pain"]


def test_a_pregnancy_that_is_not_denied_stays_routed() -> None:
    text = "I'm pregnant, can I go to spin after?"
    parts = [
        said("I'm pregnant", PREGNANCY, 0.9, question=False),
        faq("can I go to spin after?", "exercise_after"),
    ]
    assert decide(said(text, PREGNANCY, 0.93), Context(), parts) == Decision()


# A condition the article doesn't name


@pytest.mark.parametrize(
    ("whole", "conditions_answer"),
    [
        (faq("does it work for rosacea?", "benefits", conditions=("not_named",)), True),
        (faq("can mesotherapy get rid of cellulite", "what_is", conditions=("cellulite",)), True),
        (said("meso for alopecia??", "nlu_fallback", 0.3), False),
        (Reading("meso for alopecia??", "nlu_fallback", 0.3, conditions=("not_named_hair",)), True),
        (faq("is it good for thinning hair", "benefits", conditions=("hair_thinning",)), False),
        (faq("how much for rosacea", "price", conditions=("not_named",)), False),
    ],
)
def test_a_condition_the_article_doesn_t_name_gets_the_conditions_answer(
    whole: Reading, conditions_answer: bool
) -> None:
    decision = decide(whole, Context())
    assert (decision.rule == "not_named_condition") is conditions_answer
    if conditions_answer:
        assert decision.reading is not None and decision.reading.label == "faq/conditions"
        assert decision.reading.conditions == whole.conditions
    else:
        assert decision == Decision()


# The topics' frames and the responses that answer a question


@pytest.mark.parametrize(
    ("label", "frame"),
    [
        ("faq/aftercare", "after"),
        ("faq/preparation", "before"),
        ("faq/benefits", "conditions"),
        ("faq/results_timeline", "sessions"),
        (REACTION, "reaction"),
        (PREGNANCY, "pregnancy"),
        ("request_human", None),
        ("faq/no_such_topic", None),
        (None, None),
    ],
)
def test_each_answered_topic_has_the_frame_its_follow_ups_are_read_in(
    label: str | None, frame: str | None
) -> None:
    assert frame_of(label) == frame


@pytest.mark.parametrize(
    ("label", "actions"),
    [
        ("faq/sun_after", ("utter_faq/sun_after",)),
        (REACTION, ("utter_adverse_reaction",)),
        ("request_schedule", ("action_reset_planner", "schedule_form")),
        ("greet", ()),
        ("detail:faq/origin:when", ("utter_detail_origin_when",)),
        ("detail:faq/origin:no_such_attribute", ()),
    ],
)
def test_each_question_is_answered_by_its_responses(label: str, actions: tuple[str, ...]) -> None:
    assert actions_for(label) == actions


@pytest.mark.parametrize(
    ("response", "label"),
    [
        ("utter_faq/sun_after", "faq/sun_after"),
        ("utter_safety_followup", REACTION),
        ("utter_pregnancy", PREGNANCY),
        ("utter_greet", None),
        ("utter_request_human", "request_human"),
        # A detail counts as the topic whose answer it gives.
        ("utter_detail_origin_where", "faq/origin"),
        ("utter_detail_frequency_later", "faq/session_frequency"),
    ],
)
def test_a_response_tells_which_question_it_answered(response: str, label: str | None) -> None:
    assert label_of_response(response) == label


def test_a_report_in_a_longer_message_keeps_its_other_questions() -> None:
    text = (
        "Does it hurt less the second time? I had my first session on Saturday and my "
        "forehead is still swollen today. How much is the next session?"
    )
    decision = decide(
        faq(text, "pain", 0.5),
        Context(),
        segments=[
            faq("Does it hurt less the second time?", "pain"),
            said(
                "I had my first session on Saturday and my forehead is still swollen today.",
                REACTION,
                0.85,
                question=False,
            ),
            faq("How much is the next session?", "price"),
        ],
    )
    # The problem goes to the clinic first; the pain question is about it; the price stays.
    assert _labels(decision) == [REACTION, "faq/price"]


def test_asked_again_the_last_answer_is_given_again() -> None:
    whole = said("so is that a yes?", "affirm", 0.8)
    combining = decide(whole, AFTER_COMBINING, move=move("again"))
    assert combining.rule == "again"
    assert combining.reading is not None and combining.reading.label == "faq/combine_anti_wrinkle"
    after_pregnancy = decide(whole, AFTER_PREGNANCY, move=move("again"))
    assert after_pregnancy.reading is not None and after_pregnancy.reading.intent == PREGNANCY


def test_a_message_opening_with_what_it_isn_t_about_asks_what_is_left() -> None:
    whole = faq("not botox, the vitamin one, how does it work", "vs_anti_wrinkle", 0.7)
    meant = faq("the vitamin one, how does it work", "what_is", 0.9)
    decision = decide(whole, Context(), denied_out=[meant])
    assert decision.rule == "not_this" and decision.reading == meant
    # Even when the whole, leaning on what it denies, reads more surely than what is left.
    sure = faq("not botox, the vitamin one, how does it work", "vs_anti_wrinkle", 0.95)
    less_sure = faq("the vitamin one, how does it work", "what_is", 0.6)
    assert decide(sure, Context(), denied_out=[less_sure]).reading == less_sure
    # Without the opening "not", a denial inside the message changes nothing.
    later = faq("is it like botox or not, how does it work", "vs_anti_wrinkle", 0.7)
    assert decide(later, Context(), denied_out=[meant]) == Decision()


def test_a_detail_move_gives_way_to_a_message_that_names_another_topic_of_its_kind() -> None:
    whole = faq("how long no gym", "exercise_after", 0.9)
    assert decide(whole, AFTER_AFTERCARE, move=move("detail:how_long")) == Decision()
    # A neighbour the article doesn't cover gives way to the answer's own detail.
    after_frequency = Context(after="faq/session_frequency", earlier_questions=("how often?",))
    forever = faq("does it go on forever?", "results_duration", 0.9)
    decision = decide(forever, after_frequency, move=move("detail:forever"))
    assert decision.rule == "detail"


def test_a_message_shaped_like_asking_again_that_names_a_topic_asks_that_topic() -> None:
    whole = faq("so the 3 to 15, is that in total?", "sessions_needed", 0.9)
    context = Context(after="faq/makeup_after", earlier_questions=("can i wear makeup after",))
    assert decide(whole, context, move=move("again")) == Decision()


def test_a_close_gives_way_to_a_question_read_surely_but_not_after_the_callback_offer() -> None:
    question = faq(
        "no no, what I wanted to know is whether I can have both", "combine_anti_wrinkle"
    )
    assert decide(question, AFTER_AFTERCARE, move=move(CLOSE)) == Decision()
    declined = faq("nah it's fine, I'll phone you myself", "contact", 0.9)
    assert decide(declined, AFTER_OFFER, move=move(CLOSE)).rule == "close"


def test_after_a_reported_problem_care_questions_leave_the_route_only_when_read_as_new() -> None:
    running = faq("separate thing, can I go running tomorrow?", "exercise_after", 0.95)
    assert decide(running, AFTER_REACTION, move=move(NEW, 0.95)) == Decision()
    assert decide(running, AFTER_REACTION, move=move(NEW, 0.7)) == Decision()
    # Said without moving on, it needs the context reader to read it as new.
    plain = faq("can I go running tomorrow?", "exercise_after", 0.95)
    assert decide(plain, AFTER_REACTION, move=move(NEW, 0.3)).rule == "safety_followup"
    assert decide(plain, AFTER_REACTION, move=move(FOLLOWUP, 0.7)).rule == "safety_followup"
    # "separate thing, …" says it moves on, whatever the reader makes of it.
    assert decide(running, AFTER_REACTION, move=move(NEW, 0.3)) == Decision()
    # A question that may be about the problem stays with the clinic's team, however sure.
    normal = faq("is swelling like this normal after it", "side_effects", 0.99)
    assert decide(normal, AFTER_REACTION, move=move(NEW, 0.7)).rule == "safety_followup"


def test_after_a_pregnancy_route_a_plainly_new_question_is_answered() -> None:
    origin = faq("where was it first developed", "origin", 0.99)
    detail = Move(f"{DETAIL}where", 0.63)
    assert decide(origin, AFTER_PREGNANCY, move=detail) == Decision()
    # Still about the pregnancy: it names it, or asks yes/no without moving on.
    named = faq("where was it first developed, is it safe in pregnancy", "origin", 0.99)
    assert decide(named, AFTER_PREGNANCY, move=detail).rule == "safety_followup"
    still = faq("can I still have the injections", "what_is", 0.95)
    assert decide(still, AFTER_PREGNANCY, move=move(FOLLOWUP, 0.8)).rule == "safety_followup"


def test_after_a_pregnancy_route_a_yes_no_question_about_something_else_is_answered() -> None:
    text = "ok. and is it the same as botox?"
    whole = faq(text, "vs_anti_wrinkle", 0.69)
    rest = faq("and is it the same as botox?", "vs_anti_wrinkle", 0.99)
    decision = decide(whole, AFTER_PREGNANCY, move=move(ROUTE, 0.53), acknowledged=rest)
    assert decision.rule != "safety_followup"
    # Whether it is ok to have it stays the doctors' question, however it opens.
    having = faq("ok and can I still have it?", "what_is", 0.99)
    assert decide(having, AFTER_PREGNANCY, move=move(ROUTE, 0.53)).rule == "safety_followup"
    fine = faq("and is it fine to exercise after?", "exercise_after", 0.99)
    assert decide(fine, AFTER_PREGNANCY, move=move(ROUTE, 0.53)).rule == "safety_followup"


@pytest.mark.parametrize(
    "rest",
    [
        Reading("that is most helpful", "feedback_up", 0.54),
        Reading("that's very kind", "affirm", 0.89),
        # Past the thanks, a farewell: whatever answer its words lean to, it asks nothing.
        Reading("that is most helpful. Goodbye", "faq", 0.9, "faq/price", 0.47),
    ],
)
def test_thanks_opening_a_comment_stays_thanks(rest: Reading) -> None:
    """ "Thank you, that is most helpful.": the visitor thanks; the rest past the thanks
    asks nothing, so it is no 👍 or bare "ok"."""
    thanks = Reading(f"Thank you, {rest.text}.", "thank", 0.99)
    assert decide(thanks, Context(), acknowledged=rest) == Decision()
    assert decide(thanks, AFTER_SUN, move=move(CLOSE), acknowledged=rest) == Decision()
    # Past the thanks, a question is still what the message asks.
    question = faq("and how many sessions?", "sessions_needed")
    chosen = decide(thanks, Context(), acknowledged=question).reading
    assert chosen is not None and chosen.label == "faq/sessions_needed"


def test_a_question_opened_by_ok_is_read_without_the_ok_even_after_a_safety_route() -> None:
    text = "ok and what's it actually good for"
    ok = Reading(text, "affirm", 0.84)
    question = faq("what's it actually good for", "conditions", 0.8)
    unsure = move(NEW, 0.35)
    chosen = decide(ok, AFTER_PREGNANCY, move=unsure, acknowledged=question).reading
    assert chosen is not None and chosen.label == "faq/conditions"
    # Without the reading past the "ok", the unsure message stays with the clinic's team.
    assert decide(ok, AFTER_PREGNANCY, move=unsure).rule == "safety_followup"
    # A question the classifier read surely as a whole keeps its own reading.
    whole = faq(text, "benefits", 0.9)
    assert decide(whole, Context(), acknowledged=question) == Decision()
    # A rest that reads as nothing sure leaves the "ok" as it is.
    vague = Reading("and the other thing", "nlu_fallback", 0.3)
    assert decide(ok, Context(), acknowledged=vague) == Decision()


def test_a_correction_read_as_a_bare_no_asks_the_swapped_question() -> None:
    no = Reading("no i meant after, not before", "deny", 1.0)
    swap = faq("is it ok to have a glass of wine after my meso", "alcohol_after", 0.9)
    after_wine = Context(after="faq/not_in_article", earlier_questions=("wine before?",))
    chosen = decide(no, after_wine, move=move(CORRECTION, 1.0), swaps=[swap]).reading
    assert chosen is not None and chosen.label == "faq/alcohol_after"
    # With nothing else to go on, a bare "no" is not taken as the question meant.
    assert decide(no, after_wine, move=move(CORRECTION, 1.0)).reading != no


def test_a_correction_never_gets_the_answer_it_corrects_again() -> None:
    unsure = Reading("sorry I meant the total number", FAQ, 0.4, "faq/pain", 0.7)
    after_frequency = Context(
        after="faq/session_frequency", earlier_questions=("how often do the sessions happen?",)
    )
    same = faq("how often do the sessions happen? the total number", "session_frequency", 0.9)
    chosen = decide(unsure, after_frequency, move=move(CORRECTION, 1.0), joined=[same]).reading
    assert chosen is None or chosen.label != "faq/session_frequency"


def test_a_name_given_after_the_callback_offer_takes_it_up() -> None:
    price = faq("Sure, name is Dan Price", "price", 0.9)
    taken = decide(price, AFTER_OFFER, name_given=True)
    assert taken.rule == "callback"
    # The same words with no offer just made are read as they are.
    assert decide(price, AFTER_AFTERCARE, name_given=True) == Decision()


def test_a_callback_request_must_ask_to_be_contacted() -> None:
    doctors = faq("different thing, who are your doctors", "choose_clinician", 0.9)
    their_call = Reading(
        "ok ill call them. different thing, who are your doctors",
        "request_callback",
        0.9,
        runner_up=doctors,
    )
    chosen = decide(their_call, Context()).reading
    assert chosen is not None and chosen.label == "faq/choose_clinician"
    asked = Reading("can Dr Razi give me a ring?", "request_callback", 0.9, runner_up=doctors)
    assert decide(asked, Context()).rule == "whole"


def test_a_follow_up_leans_on_the_last_question_before_an_earlier_one() -> None:
    after = Reading("and after?", FAQ, 0.99, "faq/aftercare", 0.4)
    on_last = faq("ok how do i prep and after?", "aftercare", 0.7)
    on_earlier = faq("does it work tho? and after?", "benefits", 0.95)
    context = Context(
        after="faq/preparation", earlier_questions=("ok how do i prep", "does it work tho?")
    )
    chosen = decide(after, context, move=move(FOLLOWUP), joined=[on_last, on_earlier]).reading
    assert chosen is not None and chosen.label == "faq/aftercare"


def test_asking_where_an_answer_comes_from_is_no_detail_of_it() -> None:
    source = Reading("where does it say that?", "ask_source", 1.0)
    after = Context(after="faq/session_frequency", earlier_questions=("how often?",))
    detail = Move(f"{DETAIL}where", 0.61)
    again = faq("how often? where does it say that?", "session_frequency", 0.9)
    assert decide(source, after, move=detail, joined=[again]) == Decision()


def test_taking_the_advice_after_a_reported_problem_leaves_the_route() -> None:
    ringing = said("thanks ill ring them now", "affirm", 0.8, runner_up=said("", "thank", 0.6))
    decision = decide(ringing, AFTER_REACTION, move=move(NEW, 0.79))
    assert decision.rule != "safety_followup"
    # Saying yes while naming the problem again still goes to the team.
    worse = said("yes and it's still swollen", "affirm", 0.8)
    assert decide(worse, AFTER_REACTION, move=move(NEW, 0.79)).rule in ("report", "safety_followup")


def test_a_condition_named_with_a_place_asks_about_the_condition() -> None:
    after_conditions = Context(after="faq/conditions")
    whole = Reading(
        "cellulite on my thighs?", "faq", 0.6, "faq/not_in_article", 0.5, conditions=("not_named",)
    )
    decision = decide(whole, after_conditions, move=move("detail:where"))
    assert decision.reading is not None and decision.reading.label == "faq/conditions"
    assert decision.reading.conditions == ("not_named",)
    # Without a condition the place is the detail asked.
    neck = Reading("what about my neck?", "faq", 0.6, "faq/conditions", 0.5)
    assert decide(neck, after_conditions, move=move("detail:where")).rule == "detail"
    # Another detail of the condition just answered is that detail, not the condition again.
    hair = Reading("will it grow back?", "faq", 0.1, "faq/benefits", 0.1, conditions=("hair",))
    regrow = decide(hair, after_conditions, move=move("detail:result"))
    assert regrow.rule == "detail" and regrow.questions[0].label.endswith(":result")


def test_a_visitor_who_says_they_move_on_after_a_pregnancy_route_is_answered() -> None:
    text = "fine. different thing, which doctors do it?"
    whole = faq(text, "choose_clinician", 0.6)
    unsure = move(NEW, 0.6)
    assert decide(whole, AFTER_PREGNANCY, move=unsure).rule != "safety_followup"
    # Without saying so, a question read this unsurely stays with the doctors.
    plain = faq("which doctors do it?", "choose_clinician", 0.6)
    assert decide(plain, AFTER_PREGNANCY, move=move("followup", 0.6)).rule == "safety_followup"


def test_whether_something_is_safe_after_a_pregnancy_route_goes_to_the_doctors() -> None:
    whole = faq("what about just the vitamins part, is that safe?", "ingredients", 0.8)
    decision = decide(whole, AFTER_PREGNANCY, move=move(NEW, 0.8))
    assert decision.reading == Reading(whole.text, PREGNANCY, 1.0)
    # The same words with no pregnancy before them ask about the ingredients.
    assert decide(whole, Context(after="faq/preparation"), move=move(NEW, 0.8)) == Decision()


def test_asking_for_a_person_after_a_reported_problem_is_a_request_for_one() -> None:
    person = said("who can I speak to?", "request_human", 0.57)
    for reader in (move("followup", 0.7), move(NEW, 0.86), move(NEW, 0.3)):
        decision = decide(person, AFTER_REACTION, move=reader)
        assert decision.rule != "safety_followup"
        assert decision.reading is None or decision.reading.intent == "request_human"
    # Read as a person too unsurely, it stays with the clinic's team.
    unsure = said("who then", "request_human", 0.3)
    assert decide(unsure, AFTER_REACTION, move=move(NEW, 0.3)).rule == "safety_followup"


BACK_FROM_FREQUENCY = Context(
    after="faq/session_frequency",
    earlier_questions=("how often are the sessions", "what is mesotherapy"),
)
FREQUENCY_JOINED = faq("how often are the sessions what's injected", "session_frequency", 0.7)
FIRST_QUESTION_JOINED = faq("what is mesotherapy, going back, what's injected?", "what_is", 0.95)


@pytest.mark.parametrize(
    ("whole", "rule", "reading"),
    [
        # Nothing read from the message alone: the earlier question joined to it.
        (
            said("back to the first thing, and then?", "nlu_fallback", 0.2),
            "back",
            FIRST_QUESTION_JOINED,
        ),
        # Read unsurely: the same.
        (
            faq("going back to the first thing, what's in it?", "ingredients", 0.5),
            "back",
            FIRST_QUESTION_JOINED,
        ),
        # Its own question, read surely, on another topic than the last answer: as asked.
        (
            faq("going back to the first thing, what's injected?", "ingredients", 0.88),
            "whole",
            None,
        ),
    ],
)
def test_a_way_back_reads_the_earlier_question_unless_it_asks_its_own_surely(
    whole: Reading, rule: str, reading: Reading | None
) -> None:
    move_back = move("back")
    joined = [FREQUENCY_JOINED, FIRST_QUESTION_JOINED]
    decision = decide(whole, BACK_FROM_FREQUENCY, joined=joined, move=move_back)
    assert (decision.rule, decision.reading) == (rule, reading)


def test_a_way_back_read_less_surely_as_a_topic_the_article_lacks_is_the_earlier_one() -> None:
    text = "and the running one, how long was it?"
    whole = faq(text, "appointment_duration", 0.75)
    earlier = faq(f"when can I go running after? {text}", "exercise_after", 1.0)
    context = Context(
        after="faq/price",
        earlier_questions=("how much is it per session", "when can I go running after?"),
    )
    decision = decide(whole, context, joined=[faq(text, "price", 0.5), earlier], move=move(BACK))
    assert (decision.rule, decision.reading) == ("back", earlier)


def test_a_way_back_past_an_aside_reads_the_one_question_before_it() -> None:
    """ "what goes in the cocktail?", "how do I book?", "back to the cocktail - same for
    everyone?": the booking is set aside (rasa_ext/nlu/readings.py), one question is left."""
    text = "back to the cocktail - same for everyone?"
    whole = said(text, "request_callback", 0.54)
    joined = faq(f"what goes in the cocktail {text}", "ingredients", 1.0)
    context = Context(after="faq/ingredients", earlier_questions=("what goes in the cocktail",))
    decision = decide(whole, context, joined=[joined], move=move(BACK))
    assert (decision.rule, decision.reading) == ("back", joined)
    # Read as a question of its own, it keeps its own reading.
    own = faq("sorry going back - how are they different?", "vs_anti_wrinkle", 0.6)
    joined = faq(f"can i combine them {own.text}", "combine_anti_wrinkle", 0.9)
    context = Context(after="faq/combine_anti_wrinkle", earlier_questions=("can i combine them",))
    decision = decide(own, context, joined=[joined], move=move(BACK))
    assert (decision.rule, decision.reading) == ("back", own)


def test_a_correction_s_runner_up_gives_way_to_the_question_read_with_the_last_one() -> None:
    text = "no i meant can i have them at the same time"
    guess = faq(text, "contraindications", 0.4)
    whole = faq(text, "combine_anti_wrinkle", 0.2, runner_up=guess)
    joined = faq(f"is it the same as botox {text}", "combine_anti_wrinkle", 0.7)
    context = Context(after="faq/vs_anti_wrinkle", earlier_questions=("is it the same as botox",))
    decision = decide(whole, context, joined=[joined], move=move(CORRECTION))
    assert decision.reading == joined


def test_a_correction_naming_another_condition_asks_the_last_question_for_it() -> None:
    text = "sorry, hair thinning not stretch marks"
    whole = faq(text, "conditions", 0.4, conditions=("hair_thinning", "stretch_marks"))
    meant = Reading("sorry, hair thinning", "inform", 0.96, conditions=("hair_thinning",))
    context = Context(
        after="faq/sessions_needed", earlier_questions=("how many sessions for stretch marks?",)
    )
    decision = decide(whole, context, denied_out=[meant], move=move(CORRECTION))
    assert decision.reading is not None
    assert decision.reading.label == "faq/sessions_needed"
    assert decision.reading.conditions == ("hair_thinning",)
    # A condition the article doesn't name is not asked about as if it did.
    other = Reading("sorry, rosacea", "inform", 0.96, conditions=("rosacea",))
    kept = decide(whole, context, denied_out=[other], move=move(CORRECTION))
    assert kept.reading is None or kept.reading.label != "faq/sessions_needed"


def test_a_follow_up_taking_up_an_earlier_question_s_words_is_read_with_it() -> None:
    whole = said("and the roaccutane?", "out_of_scope", 0.6)
    rewritten = faq("what does it help with and the roaccutane?", "conditions", 0.97)
    earlier = faq("is it ok if im on roaccutane and the roaccutane?", "medication", 1.0)
    context = Context(
        after="faq/benefits",
        earlier_questions=("what are the main benefits", "is it ok if im on roaccutane"),
    )
    followup = move(FOLLOWUP, 0.94)
    decision = decide(whole, context, rewrites=[rewritten], echoed=[earlier], move=followup)
    assert (decision.rule, decision.reading) == ("echo", earlier)
    # Without the earlier question's words, the last answer's question is the reading.
    plain = decide(whole, context, rewrites=[rewritten], move=followup)
    assert plain.reading == rewritten


def test_a_reminder_takes_the_detail_said_before_not_a_topic_never_answered() -> None:
    context = Context(
        after="faq/conditions",
        earlier_questions=("can it help thinning hair", "whats the history of mesotherapy"),
        earlier_answers=("faq/conditions", "faq/origin"),
    )
    whole = faq("and who was the doctor again?", "choose_clinician", 0.99)
    decision = decide(whole, context, move=Move(f"{DETAIL}who", 0.99))
    assert decision.reading is not None and decision.reading.label == "faq/origin"
    # Without "again", a question about the clinic's doctors is that question.
    asked = faq("and who are the doctors there?", "choose_clinician", 0.99)
    assert decide(asked, context, move=Move(f"{DETAIL}who", 0.99)).reading is None


def test_a_confirmation_taking_up_an_earlier_question_s_words_confirms_that_answer() -> None:
    context = Context(
        after="faq/choose_clinician",
        earlier_questions=("which doctors do it", "when can i go back to the gym after"),
    )
    whole = said("so 24h no gym?", "deny", 0.94)
    earlier = faq("when can i go back to the gym after so 24h no gym?", "exercise_after", 1.0)
    decision = decide(whole, context, echoed=[earlier], move=move(AGAIN, 0.87))
    assert (decision.rule, decision.reading) == ("echo", earlier)


def test_a_sure_detail_outweighs_a_comment_on_the_answer_read_only_just_surely() -> None:
    context = Context(after="faq/session_frequency", earlier_questions=("how often?",))
    forever = Move(f"{DETAIL}forever", 1.0)
    unsure = said("is that forever??", "ask_source", 0.71)
    decision = decide(unsure, context, move=forever)
    assert decision.reading is not None and decision.reading.intent == "faq"
    # Asked surely, where the answer comes from is that question.
    source = said("where does it say that?", "ask_source", 0.99)
    assert decide(source, context, move=Move(f"{DETAIL}where", 0.97)) == Decision()


def test_no_thanks_to_the_callback_offer_declines_it_without_thanks_back() -> None:
    whole = said("no thanks ill call you", "deny", 0.52, runner_up=said("", "thank", 0.39))
    decision = decide(whole, AFTER_OFFER, move=move(CLOSE, 0.95))
    assert decision.reading is not None and decision.reading.intent == "deny"


def test_a_reaction_going_on_that_reads_as_feedback_still_goes_to_the_team() -> None:
    """ "they're not going down at all" after a reported problem read as "that didn't help"
    would ask for feedback; it is the problem going on, and the team hears it."""
    going_on = said("they're not going down at all", "feedback_down", 0.92)
    decision = decide(going_on, AFTER_REACTION, move=move(ROUTE, 0.98))
    assert decision.reading is not None and decision.reading.intent == SAFETY_FOLLOWUP
    # Without a route before it, a comment on the answer stays one.
    assert decide(going_on, Context(after="faq/aftercare"), move=move(ROUTE, 0.98)).reading is None


@pytest.mark.parametrize(
    ("whole", "move_name", "topic", "detail"),
    [
        (faq("can I go sunbathing the day before?", "sun_after"), NEW, "sun_after", "sun"),
        (
            faq("exercise before my session ok?", "exercise_after"),
            NEW,
            "exercise_after",
            "exercise",
        ),
        # A correction that lands on the advice for after, said of the time before.
        (
            faq("I meant in the week before it, not after", "other_treatments_after"),
            CORRECTION,
            "other_treatments_after",
            "other_treatments",
        ),
    ],
)
def test_advice_for_after_asked_about_before_says_the_article_only_talks_of_after(
    whole: Reading, move_name: str, topic: str, detail: str
) -> None:
    context = Context(after="faq/other_treatments_after", earlier_questions=("peel after?",))
    decision = decide(whole, context, move=move(move_name))
    assert decision.rule == "other_side"
    assert decision.reading == Reading(whole.text, "faq", 1.0, f"faq/{topic}", 1.0)
    assert [q.label for q in decision.questions] == [f"detail:faq/{topic}:before"]


@pytest.mark.parametrize(
    "whole",
    [
        faq("how long before I can go in the sun?", "sun_after"),  # a wait: after it
        faq("anything to avoid the day before?", "preparation"),  # the article's own before
    ],
)
def test_a_wait_after_it_or_the_article_s_own_before_keeps_its_answer(whole: Reading) -> None:
    assert decide(whole, Context(), move=None).rule == "whole"


@pytest.mark.parametrize(
    "text",
    [
        "can i get a call back, i want to ask about combining with botox",
        "can the clinic ring me about booking a first appointment",
    ],
)
def test_a_request_to_be_called_is_one_whatever_it_is_about(text: str) -> None:
    decision = decide(faq(text, "combine_anti_wrinkle", 0.99), Context())
    assert decision.reading == Reading(text, "request_callback", 1.0)
    # A safety report still goes to the team first, and a form's answer stays the form's.
    pregnant = said("can a doctor call me, i'm pregnant", "ask_pregnancy", 0.95)
    assert decide(pregnant, Context()).rule != "asks_to_be_called"
    assert decide(faq(text, "booking", 0.9), Context(in_form=True)).rule != "asks_to_be_called"
    # A question about calls asks no call.
    asked = faq("will the clinic call me to confirm?", "booking", 0.9)
    assert decide(asked, Context()).rule != "asks_to_be_called"
