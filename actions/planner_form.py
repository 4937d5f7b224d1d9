"""Rasa adapters for the planner: read answers, confirm, plan, and reset.

The rules live in `clinic.planner`, the words in `clinic/messages/`; these
actions only translate between slots and those modules.
"""

from __future__ import annotations

import logging
from datetime import date, timedelta
from itertools import pairwise
from typing import Any

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import ActiveLoop, EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from clinic import calendars
from clinic.messages import message, text
from clinic.names import (
    CONCERN_NOT_NAMED,
    COURSE_STAGE,
    DENY,
    FAQ,
    INTERRUPTIONS,
    LAST_SESSION,
    MAIN_CONCERN,
    OTHER_TREATMENTS,
    PLAN_CONFIRMED,
    PREFERRED_WEEKDAYS,
    REQUESTED_SLOT,
    SESSION_COUNT,
    SESSIONS_DONE,
    START_DATE,
    SUN_TRIPS,
)
from clinic.planner.chat_text import format_schedule
from clinic.planner.closures import closed_days
from clinic.planner.day_questions import (
    question_from_slot,
    question_to_slot,
    start_of_stretch,
    which_day,
)
from clinic.planner.form_answers import (
    CONTINUING,
    MAINTENANCE,
    NOT_GIVEN,
    NOT_NAMED,
    UNKNOWN_COUNT,
    DateQuestion,
    is_skip,
    read_answers,
)
from clinic.planner.ics import schedule_to_ics
from clinic.planner.schedule import (
    MAINTENANCE_TOP_UPS,
    OtherTreatment,
    PlanningError,
    ScheduleRequest,
    SunTrip,
    day_and_month,
    long_date,
    plan_maintenance,
    plan_schedule,
)
from clinic.rules import MAX_DAYS_AHEAD, session_count_is_valid, weekday_name
from clinic.settings import ClinicSettings, load_clinic_settings
from clinic.settings import today as clinic_today
from clinic.understanding.answers import QUESTIONS, UNDERSTANDING, actions_for
from clinic.understanding.segments import is_question, split_message

logger = logging.getLogger(__name__)

FORM_SLOTS = (
    START_DATE,
    SESSION_COUNT,
    MAIN_CONCERN,
    PREFERRED_WEEKDAYS,
    OTHER_TREATMENTS,
    SUN_TRIPS,
    PLAN_CONFIRMED,
)
# What a maintenance-only schedule needs, in the order the form asks for it.
MAINTENANCE_SLOTS = (LAST_SESSION, PREFERRED_WEEKDAYS, OTHER_TREATMENTS, SUN_TRIPS, PLAN_CONFIRMED)
# Kept from any message but asked for only as the schedule needs them.
STAGE_SLOTS = (COURSE_STAGE, LAST_SESSION, SESSIONS_DONE, CONCERN_NOT_NAMED)
# A last session longer ago than this is no course to top up: plan a new one.
MAX_DAYS_SINCE_COURSE = 3 * 366
INVALID_ANSWERS = "planner_invalid_answers"
# A day said as a stretch of time ("early February", "a filler in April"): the form's
# question for that slot (ActionAskForDay) asks which day until one is given.
DATE_QUESTION = "date_question"
# Holidays and closures are looked up this far past the start: the longest course's end.
PLAN_HORIZON_DAYS = 3 * 366
EXAMPLE_COURSE = "example_course"


def today() -> date:
    """The clinic's today (clinic.settings.today); unit tests replace this."""
    return clinic_today()


def _intent(tracker: Tracker) -> str | None:
    return (tracker.latest_message.get("intent") or {}).get("name")


def _question_answered(tracker: Tracker) -> str | None:
    """The slot the bot had asked for when the visitor sent their latest message."""
    seen_latest_message = False
    for event in reversed(tracker.events):
        if event.get("event") == "user":
            seen_latest_message = True
        elif (
            seen_latest_message
            and event.get("event") == "slot"
            and event.get("name") == REQUESTED_SLOT
        ):
            return event.get("value")
    return None


def _conditions(tracker: Tracker) -> list[str]:
    return [
        str(entity["value"])
        for entity in tracker.latest_message.get("entities") or []
        if entity.get("entity") == "condition"
    ]


# Answers a question names only in passing: "can it help with rosacea?" names a concern,
# "are you open on sundays?" / "r u even open on saturday" a day, and none is the answer
# to the planner's question.
NAMED_IN_PASSING = frozenset({MAIN_CONCERN, CONCERN_NOT_NAMED, PREFERRED_WEEKDAYS, START_DATE})
MIN_QUESTION_CONFIDENCE = 0.7


def _sure_question(tracker: Tracker) -> bool:
    intent = tracker.latest_message.get("intent") or {}
    sure = float(intent.get("confidence") or 0.0) >= MIN_QUESTION_CONFIDENCE
    return bool(intent.get("name") == FAQ and sure)


def _asks_instead(tracker: Tracker, said: str, values: dict[str, Any]) -> bool:
    """A question the classifier reads surely as one, giving only what it names in passing."""
    return _sure_question(tracker) and is_question(said) and set(values) <= NAMED_IN_PASSING


def _answered_apart(said: str, asked: str) -> bool:
    """The answer said in a part with no question mark ("any weekday is fine. botox too?")."""
    starts = [part.start for part in split_message(said)] + [len(said)]
    return len(starts) > 2 and any(
        "?" not in said[start:end]
        and asked in read_answers(said[start:end], asked, today(), []).values
        for start, end in pairwise(starts)
    )


def _asked_beside(tracker: Tracker, said: str, asked: str | None) -> list[str]:
    """The responses to what the message asks beside its answer ("tuesdays. can I go running
    after?"), as the NLU's reader found them (rasa_ext/nlu/readings.py), or the question the
    classifier read in the whole message when the answer is said apart from it."""
    understanding = tracker.latest_message.get(UNDERSTANDING) or {}
    labels = [str(label) for label in understanding.get(QUESTIONS) or []]
    if not labels and asked and _sure_question(tracker) and _answered_apart(said, asked):
        labels = [answer for answer in [_selected_answer(tracker)] if answer]
    return [
        response
        for label in labels
        for response in actions_for(label)
        if response.startswith("utter_")
    ]


def _selected_answer(tracker: Tracker) -> str | None:
    selector = (tracker.latest_message.get("response_selector") or {}).get(FAQ) or {}
    key = (selector.get("response") or {}).get("intent_response_key")
    return str(key) if key else None


def _answers(asked: str, values: dict[str, Any]) -> bool:
    """Whether the message answers the question on screen (a count the planner can use)."""
    if asked not in values:
        return False
    return (
        asked != SESSION_COUNT
        or values[asked] == UNKNOWN_COUNT
        or (session_count_is_valid(int(values[asked])))
    )


def _skip_default(slot: str, now: date) -> Any:
    """What skipping a question means, in plain terms."""
    return {
        START_DATE: (now + timedelta(days=1)).isoformat(),
        SESSION_COUNT: UNKNOWN_COUNT,
        MAIN_CONCERN: NOT_GIVEN,
        PREFERRED_WEEKDAYS: [],
        OTHER_TREATMENTS: [],
        SUN_TRIPS: [],
        PLAN_CONFIRMED: True,
        LAST_SESSION: now.isoformat(),
    }[slot]


class ValidatePlannerForm(FormValidationAction):
    """Fills the planner's slots from each message and checks them."""

    def name(self) -> str:
        return "validate_schedule_form"

    async def required_slots(
        self,
        domain_slots: list[str],
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: dict[str, Any],
    ) -> list[str]:
        if tracker.get_slot(COURSE_STAGE) == MAINTENANCE:
            return list(MAINTENANCE_SLOTS)
        return domain_slots

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        asked = tracker.get_slot(REQUESTED_SLOT)
        said = tracker.latest_message.get("text") or ""
        intent = _intent(tracker)
        now = today()
        question: DateQuestion | None = None
        pending = question_from_slot(tracker.get_slot(DATE_QUESTION))
        if asked and is_skip(said):
            values = {asked: _skip_default(asked, now)}
        else:
            answers = read_answers(said, asked, now, _conditions(tracker), intent, pending)
            values, question = answers.values, answers.question
            if question and question.for_slot == START_DATE:
                weekdays = values.get(PREFERRED_WEEKDAYS, tracker.get_slot(PREFERRED_WEEKDAYS))
                start = start_of_stretch(
                    question.vague, load_clinic_settings(), now, weekdays or ()
                )
                if start:  # "mid April": its first open (chosen) day, shown in the read-back
                    values, question = {**values, START_DATE: start.isoformat()}, None
        if asked and not question and intent in INTERRUPTIONS and not _answers(asked, values):
            return []  # nothing answered: let the rules handle the interruption
        asked_only = [] if values or question else _asked_beside(tracker, said, None)
        if asked and asked_only:
            # "before I answer, will I have to skip the gym after each one?": its answer, then
            # the form's question again, and no failed answer counted.
            for response in asked_only:
                dispatcher.utter_message(response=response)
            # A slot set (the failures, unchanged) keeps Rasa's form from rejecting the turn.
            return [SlotSet(INVALID_ANSWERS, int(tracker.get_slot(INVALID_ANSWERS) or 0))]
        beside = _asked_beside(tracker, said, asked) if values else []
        if asked and not beside and _asks_instead(tracker, said, values):
            return []  # "can it help with rosacea?": a question, not the concern to plan for
        for response in beside:
            dispatcher.utter_message(response=response)

        stage = [SlotSet(slot, values[slot]) for slot in STAGE_SLOTS if slot in values]
        tracker.add_slots([SlotSet(slot, value) for slot, value in values.items()])
        events = stage + await self.get_validation_events(dispatcher, tracker, domain)
        tracker.add_slots(events)
        if question is None and pending and pending.for_slot not in values:
            # "which day in April?" answered "8 for acne scarring": still which day in April.
            question = pending
        if question or pending:
            # Kept until a day is given: the form's next question asks for it.
            events.append(SlotSet(DATE_QUESTION, question_to_slot(question)))
        events += await self._next_question(dispatcher, tracker, domain)
        if asked is None:
            return events
        if question and question.for_slot == asked:
            return [*events, SlotSet(INVALID_ANSWERS, 0)]  # a question, not a failure

        if tracker.slots.get(asked) is not None:
            return [*events, SlotSet(INVALID_ANSWERS, 0)]
        if values.get(PLAN_CONFIRMED) is False or (values and asked not in values):
            return events  # "change something", or a correction of an earlier answer
        if asked not in values:
            dispatcher.utter_message(**message(f"{asked}_not_understood"))
        failures = int(tracker.get_slot(INVALID_ANSWERS) or 0) + 1
        if failures >= 2:
            dispatcher.utter_message(**message("planner_help"))
        return [*events, SlotSet(INVALID_ANSWERS, failures)]

    async def _next_question(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        """The slot to ask for next, when the schedule needs other slots than the domain lists."""
        asked = await self.next_requested_slot(dispatcher, tracker, domain)
        return [asked] if asked else []

    def validate_last_session(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> dict[str, Any]:
        last = date.fromisoformat(str(value))
        now = today()
        if last > now:
            dispatcher.utter_message(**message("last_session_ahead"))
            return {LAST_SESSION: None}
        if (now - last).days > MAX_DAYS_SINCE_COURSE:
            dispatcher.utter_message(**message("last_session_long_ago"))
            return {LAST_SESSION: None, COURSE_STAGE: None}
        return {LAST_SESSION: last.isoformat()}

    def validate_start_date(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> dict[str, Any]:
        start = date.fromisoformat(str(value))
        now = today()
        if start < now:
            dispatcher.utter_message(**message("start_date_in_past"))
            return {START_DATE: None}
        if start > now + timedelta(days=MAX_DAYS_AHEAD):
            dispatcher.utter_message(**message("start_date_too_far"))
            return {START_DATE: None}
        return {START_DATE: start.isoformat()}

    def validate_session_count(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> dict[str, Any]:
        if value == UNKNOWN_COUNT:
            dispatcher.utter_message(**message("session_count_example"))
            example = load_clinic_settings().planner.example_session_count
            return {SESSION_COUNT: example, EXAMPLE_COURSE: True}
        if not session_count_is_valid(int(value)):
            dispatcher.utter_message(**message("session_count_out_of_range"))
            return {SESSION_COUNT: None}
        return {SESSION_COUNT: int(value), EXAMPLE_COURSE: False}

    def validate_preferred_weekdays(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> dict[str, Any]:
        open_days = load_clinic_settings().open_weekdays
        wanted = [day for day in value if day in open_days]
        if value and not wanted:
            names = ", ".join(weekday_name(day) for day in sorted(open_days))
            dispatcher.utter_message(**message("weekdays_closed", open_days=names))
            return {PREFERRED_WEEKDAYS: None}
        return {PREFERRED_WEEKDAYS: wanted}

    def validate_other_treatments(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> dict[str, Any]:
        now = today()
        upcoming = [
            item for item in value if date.fromisoformat(item.get("until") or item["on"]) >= now
        ]
        return {OTHER_TREATMENTS: upcoming}

    def validate_sun_trips(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> dict[str, Any]:
        now = today()
        upcoming = [trip for trip in value if date.fromisoformat(trip["end"]) >= now]
        return {SUN_TRIPS: upcoming}

    def validate_plan_confirmed(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> dict[str, Any]:
        if value is False:
            dispatcher.utter_message(**message("plan_change_what"))
            return {PLAN_CONFIRMED: None}
        return {PLAN_CONFIRMED: bool(value)}


def _maintenance(tracker: Tracker) -> bool:
    return tracker.get_slot(COURSE_STAGE) == MAINTENANCE


def _sessions_done(tracker: Tracker) -> int:
    return (
        int(tracker.get_slot(SESSIONS_DONE) or 0)
        if tracker.get_slot(COURSE_STAGE) == CONTINUING
        else 0
    )


def _caveats(tracker: Tracker) -> tuple[str, ...]:
    """What the schedule can't promise: a concern the article doesn't name is not planned for."""
    not_named = tracker.get_slot(CONCERN_NOT_NAMED) or []
    if not not_named and tracker.get_slot(MAIN_CONCERN) != NOT_NAMED:
        return ()
    return (text("plan_caveat_not_named", concerns=_concern_words(not_named)),)


def _concern_words(values: list[str]) -> str:
    """ "cellulite", or "the other concern you mentioned" for values without plain words."""
    plain = [v.replace("_", " ") for v in values if not v.startswith(NOT_NAMED)]
    return " and ".join(plain) if plain and len(plain) == len(values) else text("concern_other")


def _treatment(item: dict[str, Any]) -> OtherTreatment:
    """A treatment as the slot keeps it: a day, or a short stretch of time."""
    return OtherTreatment(
        kind=item["kind"],
        on=date.fromisoformat(item["on"]),
        until=date.fromisoformat(item["until"]) if item.get("until") else None,
        described=item.get("described"),
    )


def _request_from_slots(tracker: Tracker, settings: ClinicSettings, now: date) -> ScheduleRequest:
    start = (
        date.fromisoformat(tracker.get_slot(START_DATE)) if tracker.get_slot(START_DATE) else now
    )
    count = tracker.get_slot(SESSION_COUNT)
    return ScheduleRequest(
        start=now if _maintenance(tracker) else start,
        today=now,
        session_count=MAINTENANCE_TOP_UPS if _maintenance(tracker) else int(count),
        open_weekdays=settings.open_weekdays,
        preferred_weekdays=frozenset(tracker.get_slot(PREFERRED_WEEKDAYS) or []),
        treatments=tuple(_treatment(item) for item in tracker.get_slot(OTHER_TREATMENTS) or []),
        sun_trips=tuple(
            SunTrip(start=date.fromisoformat(trip["start"]), end=date.fromisoformat(trip["end"]))
            for trip in tracker.get_slot(SUN_TRIPS) or []
        ),
        treatment_buffer_days=settings.planner.treatment_buffer_days,
        sun_buffer_days=settings.planner.sun_buffer_days,
        is_example=bool(tracker.get_slot(EXAMPLE_COURSE)),
        closed_days=closed_days(
            settings.closed_days, now, max(start, now) + timedelta(days=PLAN_HORIZON_DAYS)
        ),
        sessions_done=_sessions_done(tracker),
        caveats=_caveats(tracker),
    )


class _AsksForDay:
    """The form's question for a date slot, or which day after a stretch of time."""

    slot: str

    def name(self) -> str:
        return f"action_ask_{self.slot}"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        question = question_from_slot(tracker.get_slot(DATE_QUESTION))
        if question is None or question.for_slot != self.slot:
            dispatcher.utter_message(response=f"utter_ask_{self.slot}")
            return []
        dispatcher.utter_message(text=which_day(question, load_clinic_settings(), today()))
        return []


class ActionAskStartDate(_AsksForDay, Action):
    slot = START_DATE


class ActionAskOtherTreatments(_AsksForDay, Action):
    slot = OTHER_TREATMENTS


class ActionAskSunTrips(_AsksForDay, Action):
    slot = SUN_TRIPS


def _first_part(tracker: Tracker) -> str:
    """What is planned: top-ups after the last session, the rest of a course, or a course."""
    if _maintenance(tracker):
        last = date.fromisoformat(tracker.get_slot(LAST_SESSION))
        return text("readback_maintenance", last=long_date(last))
    count = int(tracker.get_slot(SESSION_COUNT) or 0)
    start = long_date(date.fromisoformat(tracker.get_slot(START_DATE)))
    done = _sessions_done(tracker)
    if done:
        return text("readback_rest", first=done + 1, count=count, start=start)
    first = text("readback_start", count=count, start=start)
    return first + text("readback_example") if tracker.get_slot(EXAMPLE_COURSE) else first


def _summary(tracker: Tracker) -> str:
    """The read-back: everything the schedule will be made from, in one sentence."""
    parts = [_first_part(tracker)]
    concern = tracker.get_slot(MAIN_CONCERN)
    not_named = tracker.get_slot(CONCERN_NOT_NAMED) or []
    if concern == NOT_NAMED:
        parts.append(text("readback_concern_not_named"))
    elif concern and concern != NOT_GIVEN and not _maintenance(tracker):
        parts.append(text("readback_concern", concern=concern.replace("_", " ")))
        if not_named:
            parts.append(text("readback_not_named_too", concerns=_concern_words(not_named)))
    days = tracker.get_slot(PREFERRED_WEEKDAYS) or []
    if days:
        parts.append(text("readback_weekdays", days=", ".join(weekday_name(d) + "s" for d in days)))
    else:
        parts.append(text("readback_any_day"))
    for item in tracker.get_slot(OTHER_TREATMENTS) or []:
        treatment = _treatment(item)
        parts.append(
            text(
                "readback_treatment_stretch" if treatment.until else "readback_treatment",
                treatment=_treatment_words(item["kind"]),
                when=treatment.when,
                start=day_and_month(treatment.on),
                end=day_and_month(treatment.until or treatment.on),
            )
        )
    for trip in tracker.get_slot(SUN_TRIPS) or []:
        start_trip, end_trip = date.fromisoformat(trip["start"]), date.fromisoformat(trip["end"])
        key = "readback_trip_stretch" if trip.get("described") else "readback_trip"
        parts.append(
            text(
                key,
                start=day_and_month(start_trip),
                end=day_and_month(end_trip),
                described=trip.get("described") or "",
            )
        )
    return ", ".join(parts) + text("readback_question")


def _treatment_words(kind: str) -> str:
    return kind.replace("_", "-")


class ActionAskPlanConfirmed(Action):
    """Reads back the answers and asks to go ahead (or what to change)."""

    def name(self) -> str:
        return "action_ask_plan_confirmed"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        if _intent(tracker) == DENY and _question_answered(tracker) == PLAN_CONFIRMED:
            return []  # validate_plan_confirmed has just asked what to change
        question = message("readback_question")
        dispatcher.utter_message(text=_summary(tracker), buttons=question["buttons"])
        return []


class ActionPlanSchedule(Action):
    """Plans the sessions, writes the calendar file, and keeps the schedule in the conversation."""

    def name(self) -> str:
        return "action_plan_schedule"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        settings = load_clinic_settings()
        try:
            request = _request_from_slots(tracker, settings, today())
            if _maintenance(tracker):
                last = date.fromisoformat(tracker.get_slot(LAST_SESSION))
                schedule = plan_maintenance(request, last)
            else:
                schedule = plan_schedule(request)
        except (PlanningError, TypeError, ValueError) as error:
            logger.warning("planner.failed conversation=%s reason=%s", tracker.sender_id, error)
            dispatcher.utter_message(**message("plan_failed", reason=str(error)))
            return [SlotSet(PLAN_CONFIRMED, None)]
        concern = tracker.get_slot(MAIN_CONCERN)
        label = None if concern in (None, NOT_GIVEN, NOT_NAMED) else concern
        plan_text = format_schedule(schedule, label)
        calendar = calendars.save(schedule_to_ics(schedule, settings.name, settings.address))
        dispatcher.utter_message(text=plan_text)
        dispatcher.utter_message(**message("calendar_link", link=calendar.link))
        logger.info(
            "planner.planned conversation=%s sessions=%d", tracker.sender_id, len(schedule.sessions)
        )
        sessions = [
            {
                "number": session.number,
                "date": session.on.isoformat(),
                "phase": session.phase.name.lower(),
                "notes": list(session.notes),
            }
            for session in schedule.sessions
        ]
        return [SlotSet("schedule", sessions), SlotSet("schedule_calendar", calendar.link)]


class ActionResetPlanner(Action):
    """Clears earlier answers so a new schedule starts fresh, leaving any running form."""

    def name(self) -> str:
        return "action_reset_planner"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        events: list[EventType] = [SlotSet(slot, None) for slot in (*FORM_SLOTS, *STAGE_SLOTS)]
        events += [SlotSet(EXAMPLE_COURSE, None), SlotSet(INVALID_ANSWERS, 0)]
        return [*events, ActiveLoop(None)]
