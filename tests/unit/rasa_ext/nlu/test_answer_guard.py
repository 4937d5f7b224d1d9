"""An unsure FAQ answer goes to "did you mean…?"; a button payload picks its answer."""

from __future__ import annotations

from rasa.shared.nlu.training_data.message import Message

from rasa_ext.nlu.answer_guard import FaqAnswerGuard


def _faq_message(text: str, intent_confidence: float, answers: list[tuple[str, float]]) -> Message:
    ranking = [{"intent_response_key": key, "confidence": score} for key, score in answers]
    best_key, best_score = answers[0]
    return Message(
        data={
            "text": text,
            "intent": {"name": "faq", "confidence": intent_confidence},
            "intent_ranking": [{"name": "faq", "confidence": intent_confidence}],
            "response_selector": {
                "all_retrieval_intents": ["faq"],
                "faq": {
                    "response": {
                        "intent_response_key": best_key,
                        "utter_action": f"utter_{best_key}",
                        "confidence": best_score,
                        "responses": [],
                    },
                    "ranking": ranking,
                },
            },
        }
    )


def _guard() -> FaqAnswerGuard:
    return FaqAnswerGuard.create({}, None, None, None)  # type: ignore[arg-type]


def test_confident_faq_answer_passes_through() -> None:
    message = _faq_message(
        "how many sessions", 0.97, [("faq/sessions_needed", 0.9), ("faq/price", 0.05)]
    )
    _guard().process([message])
    assert message.get("intent")["name"] == "faq"


def test_confident_intent_with_unsure_answer_goes_to_clarification() -> None:
    message = _faq_message(
        "how long", 0.97, [("faq/sessions_needed", 0.4), ("faq/results_duration", 0.35)]
    )
    _guard().process([message])
    assert message.get("intent")["name"] == "nlu_fallback"
    assert message.get("intent_ranking")[1]["name"] == "faq"


def test_two_close_answers_go_to_clarification_even_when_both_are_likely() -> None:
    message = _faq_message("after", 0.97, [("faq/aftercare", 0.52), ("faq/sun_after", 0.47)])
    _guard().process([message])
    assert message.get("intent")["name"] == "nlu_fallback"


def test_a_doubt_between_two_answers_that_both_answer_it_is_no_doubt() -> None:
    """ "what's mesotherapy good for": what it treats or its benefits, either answers it
    (content/topics.yml `overlaps`); the best one is given, its confidence unchanged."""
    answers = [("faq/conditions", 0.46), ("faq/benefits", 0.45), ("faq/what_is", 0.02)]
    message = _faq_message("what's mesotherapy good for", 0.98, answers)
    _guard().process([message])
    assert message.get("intent")["name"] == "faq"
    response = message.get("response_selector")["faq"]["response"]
    assert (response["intent_response_key"], response["confidence"]) == ("faq/conditions", 0.46)
    # Two answers that don't overlap stay a doubt, however likely together.
    apart = [("faq/what_is", 0.49), ("faq/ingredients", 0.45), ("faq/benefits", 0.03)]
    unsure = _faq_message("whats mesotherapy made of", 0.98, apart)
    _guard().process([unsure])
    assert unsure.get("intent")["name"] == "nlu_fallback"


def test_button_payload_picks_that_answer_for_certain() -> None:
    message = _faq_message("/faq/sun_after", 0.3, [("faq/aftercare", 0.5), ("faq/sun_after", 0.2)])
    _guard().process([message])
    assert message.get("intent") == {"name": "faq", "confidence": 1.0}
    chosen = message.get("response_selector")["faq"]["response"]
    assert chosen["intent_response_key"] == "faq/sun_after"
    assert chosen["utter_action"] == "utter_faq/sun_after"


def test_payload_for_an_unknown_topic_is_left_alone() -> None:
    message = _faq_message("/faq/nonsense", 0.97, [("faq/aftercare", 0.9), ("faq/sun_after", 0.05)])
    _guard().process([message])
    assert (
        message.get("response_selector")["faq"]["response"]["intent_response_key"]
        == "faq/aftercare"
    )
