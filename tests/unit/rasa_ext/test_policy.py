"""The policy answers several questions, or a detail, in order; the rest it leaves to rules."""

from __future__ import annotations

from typing import Any

from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.storage.resource import Resource
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, ActiveLoop, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from rasa_ext.policy import QuestionsPolicy, planned_actions
from tests.support.servers import ROOT

DOMAIN = Domain.load([str(ROOT / "domain.yml"), str(ROOT / "data" / "responses")])


def _tracker(*events: Any) -> DialogueStateTracker:
    return DialogueStateTracker.from_events("visitor", list(events), slots=DOMAIN.slots)


def test_the_policy_answers_each_question_then_listens() -> None:
    understanding = {"rule": "questions", "questions": ["faq/what_is", "faq/pain"]}
    parse = {"intent": {"name": "faq", "confidence": 1.0}, "understanding": understanding}
    events: list[Any] = [
        ActionExecuted("action_listen"),
        UserUttered("two things", parse_data=parse),
    ]
    assert planned_actions(_tracker(*events)) == ["utter_faq/what_is", "utter_faq/pain"]
    context = ExecutionContext(GraphSchema({}), "test")
    config = QuestionsPolicy.get_default_config()
    policy = QuestionsPolicy.create(config, None, Resource("policy"), context)  # type: ignore[arg-type]
    predicted = []
    for _ in range(3):
        prediction = policy.predict_action_probabilities(_tracker(*events), DOMAIN)
        action = DOMAIN.action_names_or_texts[prediction.max_confidence_index]
        predicted.append(action)
        events.append(ActionExecuted(action))
    assert predicted == ["utter_faq/what_is", "utter_faq/pain", "action_listen"]


def test_the_policy_answers_a_detail_and_leaves_a_plain_question_and_the_form_to_the_rules() -> (
    None
):
    detail = {"understanding": {"questions": ["detail:faq/origin:where"]}}
    asked = _tracker(ActionExecuted("action_listen"), UserUttered("where?", parse_data=detail))
    assert planned_actions(asked) == ["utter_detail_origin_where"]
    plain = {"intent": {"name": "faq"}, "understanding": {"questions": []}}
    one = _tracker(ActionExecuted("action_listen"), UserUttered("what is it", parse_data=plain))
    assert planned_actions(one) is None
    two = {"understanding": {"questions": ["faq/what_is", "faq/pain"]}}
    in_form = _tracker(ActiveLoop("schedule_form"), UserUttered("x", parse_data=two))
    assert planned_actions(in_form) is None
