"""Which responses answer a question's label, and which label a response answered.

Apart from the decision (decision.py) so that the action server, which utters
the answers to questions asked beside a form's answer, needs none of the
reader's models.
"""

from __future__ import annotations

from clinic import names
from clinic.understanding.details import detail_of_label, detail_of_response

FAQ = names.FAQ
PREGNANCY = names.ASK_PREGNANCY
REACTION = names.REPORT_REACTION
SAFETY_FOLLOWUP = names.SAFETY_FOLLOWUP
OFFER = names.REQUEST_HUMAN  # the callback offer
# The answer for a question the article doesn't cover, whatever its topic.
NOT_IN_ARTICLE = f"{FAQ}/not_in_article"

# In a message's parse data: the decision (its rule) and the questions it found,
# answered in turn, or beside a form's answer.
UNDERSTANDING = "understanding"
QUESTIONS = "questions"

# What the bot runs to answer one question, by label.
_ROUTES = {
    PREGNANCY: ("utter_pregnancy",),
    REACTION: ("utter_adverse_reaction",),
    SAFETY_FOLLOWUP: ("utter_safety_followup",),
    names.REQUEST_HUMAN: ("utter_request_human",),
    names.BOT_CHALLENGE: ("utter_bot_challenge",),
    names.ASK_CAPABILITIES: ("utter_capabilities",),
    names.REQUEST_SCHEDULE: ("action_reset_planner", names.PLANNER_FORM),
}


def actions_for(label: str) -> tuple[str, ...]:
    """The responses (or actions) that answer one question: `utter_faq/<topic>` for an FAQ."""
    if label.startswith(f"{FAQ}/"):
        return (f"utter_{label}",)
    detail = detail_of_label(label)
    if detail:
        return (detail.response,)
    return _ROUTES.get(label, ())


def label_of_response(response: str) -> str | None:
    """Which question a response answered: "faq/sun_after" for `utter_faq/sun_after`.

    A detail of an answer ("which country?") counts as its topic's.
    """
    if response.startswith(f"utter_{FAQ}/"):
        return response.removeprefix("utter_")
    if response in ("utter_adverse_reaction", "utter_safety_followup"):
        return REACTION
    if response == "utter_pregnancy":
        return PREGNANCY
    if response in ("utter_request_human", "utter_handoff_unanswered"):
        return OFFER  # the callback offer
    detail = detail_of_response(response)
    return detail.topic if detail else None
