"""The intent, form and slot names that Python code uses, each written once.

They are the domain's names (domain.yml); tests/unit/clinic/test_names.py
checks that every name here is declared there, so a rename in one place that
misses the other fails the unit tests, not a visitor's conversation.
"""

from __future__ import annotations

# Intents
FAQ = "faq"
ASK_PREGNANCY = "ask_pregnancy"
REPORT_REACTION = "report_adverse_reaction"
SAFETY_FOLLOWUP = "safety_followup"
OTHER_LANGUAGE = "other_language"
GREET = "greet"
GOODBYE = "goodbye"
THANK = "thank"
AFFIRM = "affirm"
DENY = "deny"
CANCEL = "cancel"
INFORM = "inform"
OUT_OF_SCOPE = "out_of_scope"
BOT_CHALLENGE = "bot_challenge"
ASK_CAPABILITIES = "ask_capabilities"
REQUEST_HUMAN = "request_human"
REQUEST_CALLBACK = "request_callback"
REQUEST_SCHEDULE = "request_schedule"
ASK_SOURCE = "ask_source"
FEEDBACK_UP = "feedback_up"
FEEDBACK_DOWN = "feedback_down"
# Rasa's own intent for a message the fallback checks found unsure.
NLU_FALLBACK = "nlu_fallback"

# Forms
PLANNER_FORM = "schedule_form"
CALLBACK_FORM = "callback_form"
FEEDBACK_FORM = "feedback_form"

# Slots of the callback request, in the order the form asks for them.
CALLBACK_NAME = "callback_name"
CALLBACK_CONTACT = "callback_contact"
CALLBACK_TIME = "callback_time"
CALLBACK_CONSENT = "callback_consent"
REQUESTED_SLOT = "requested_slot"

# Slots of the planner (what it asks, what it read beside, and the read-back's answer).
START_DATE = "start_date"
SESSION_COUNT = "session_count"
MAIN_CONCERN = "main_concern"
CONCERN_NOT_NAMED = "concern_not_named"
PREFERRED_WEEKDAYS = "preferred_weekdays"
OTHER_TREATMENTS = "other_treatments"
SUN_TRIPS = "sun_trips"
PLAN_CONFIRMED = "plan_confirmed"
COURSE_STAGE = "course_stage"
LAST_SESSION = "last_session"
SESSIONS_DONE = "sessions_done"

# What, when a form's question gets no answer, means "something else first": the
# form steps aside and the rules answer it, then the form asks again.
INTERRUPTIONS = frozenset(
    {FAQ, ASK_PREGNANCY, REPORT_REACTION, SAFETY_FOLLOWUP, OTHER_LANGUAGE, BOT_CHALLENGE,
     REQUEST_HUMAN, OUT_OF_SCOPE, CANCEL, REQUEST_SCHEDULE, ASK_SOURCE, FEEDBACK_UP,
     FEEDBACK_DOWN}
)  # fmt: skip
