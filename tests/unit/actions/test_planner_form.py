"""The planner's Rasa actions, run on real rasa-sdk trackers and dispatchers."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import icalendar
import pytest
import yaml
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions import planner_form
from actions.planner_form import (
    ActionAskOtherTreatments,
    ActionAskPlanConfirmed,
    ActionAskStartDate,
    ActionAskSunTrips,
    ActionPlanSchedule,
    ActionResetPlanner,
    ValidatePlannerForm,
)
from clinic.messages import message
from clinic.settings import load_clinic_settings
from tests.support.servers import ROOT

DOMAIN: dict[str, Any] = yaml.safe_load((ROOT / "domain.yml").read_text(encoding="utf-8"))
TODAY = date(2026, 11, 25)  # a Wednesday


@pytest.fixture(autouse=True)
def fixed_today(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr(planner_form, "today", lambda: TODAY)
    monkeypatch.setenv("CALENDAR_DIR", str(tmp_path / "calendars"))
    monkeypatch.delenv("CALENDAR_BASE_URL", raising=False)


def tracker(
    text: str,
    intent: str = "inform",
    asked: str | None = None,
    slots: dict[str, Any] | None = None,
    entities: list[dict[str, Any]] | None = None,
    questions: list[str] | None = None,
) -> Tracker:
    all_slots = {name: None for name in DOMAIN["slots"]}
    all_slots.update({"requested_slot": asked, "planner_invalid_answers": 0, **(slots or {})})
    return Tracker(
        sender_id="visitor-1",
        slots=all_slots,
        latest_message={
            "text": text,
            "intent": {"name": intent, "confidence": 0.95},
            "entities": entities or [],
            "understanding": {"rule": "form", "questions": questions or []},
        },
        events=[],
        paused=False,
        followup_action=None,
        active_loop={"name": "schedule_form"},
        latest_action_name="action_listen",
    )


async def validate(t: Tracker) -> tuple[dict[str, Any], list[str]]:
    dispatcher = CollectingDispatcher()
    events = await ValidatePlannerForm().run(dispatcher, t, DOMAIN)
    slots = {event["name"]: event["value"] for event in events if event["event"] == "slot"}
    said = [message["text"] for message in dispatcher.messages]
    return slots, said


def text_of(key: str) -> str:
    return str(message(key)["text"])


HAIR = [{"entity": "condition", "value": "hair_thinning", "start": 41, "end": 54}]


async def test_everything_given_up_front_fills_every_slot_it_names() -> None:
    slots, said = await validate(
        tracker(
            "Plan 6 sessions starting next Monday for hair thinning, I have a peel on 20 March",
            intent="request_schedule",
            entities=HAIR,
        )
    )
    assert slots["start_date"] == "2026-11-30"
    assert slots["session_count"] == 6
    assert slots["main_concern"] == "hair_thinning"
    assert slots["other_treatments"] == [{"kind": "peel", "on": "2027-03-20"}]
    assert said == []


async def test_a_start_date_in_the_past_is_refused_with_a_clear_reprompt() -> None:
    slots, said = await validate(tracker("1 January 2020", asked="start_date"))
    assert slots["start_date"] is None
    assert slots["planner_invalid_answers"] == 1
    assert said == [text_of("start_date_in_past")]


async def test_a_start_more_than_a_year_ahead_is_refused() -> None:
    slots, said = await validate(tracker("15/01/2028", asked="start_date"))
    assert slots["start_date"] is None
    assert said == [text_of("start_date_too_far")]


async def test_second_failed_answer_explains_and_offers_to_skip_or_stop() -> None:
    slots, said = await validate(
        tracker("purple elephants", asked="start_date", slots={"planner_invalid_answers": 1})
    )
    assert slots["planner_invalid_answers"] == 2
    assert said == [text_of("start_date_not_understood"), text_of("planner_help")]


async def test_skip_uses_a_sensible_default() -> None:
    slots, _ = await validate(tracker("skip", asked="preferred_weekdays"))
    assert slots["preferred_weekdays"] == []


async def test_a_question_instead_of_the_answer_is_answered_and_no_failure_counted() -> None:
    said = "before I answer, will I have to skip the gym after each one?"
    t = tracker(
        said, intent="nlu_fallback", asked="session_count", questions=["faq/exercise_after"]
    )
    dispatcher = CollectingDispatcher()
    events = await ValidatePlannerForm().run(dispatcher, t, DOMAIN)
    assert [m["response"] for m in dispatcher.messages] == ["utter_faq/exercise_after"]
    slots = {event["name"]: event["value"] for event in events if event["event"] == "slot"}
    assert slots == {"planner_invalid_answers": 0}  # no failure counted, the form goes on


@pytest.mark.parametrize("text", ["rather not say", "I'd rather not.", "prefer not to answer"])
async def test_declining_to_say_skips_like_skip(text: str) -> None:
    slots, _ = await validate(tracker(text, asked="sun_trips"))
    assert slots["sun_trips"] == []


async def test_dont_know_sessions_plans_a_labelled_example_course() -> None:
    slots, said = await validate(tracker("I don't know", asked="session_count"))
    assert slots["session_count"] == load_clinic_settings().planner.example_session_count
    assert slots["example_course"] is True
    assert said == [text_of("session_count_example")]


async def test_twenty_sessions_is_outside_the_article_range() -> None:
    slots, said = await validate(tracker("20 sessions", asked="session_count"))
    assert slots["session_count"] is None
    assert said == [text_of("session_count_out_of_range")]


async def test_a_correction_updates_the_earlier_answer_without_complaining() -> None:
    slots, said = await validate(
        tracker(
            "actually start on the 10th",
            asked="session_count",
            slots={"start_date": "2026-11-26"},
        )
    )
    assert slots["start_date"] == "2026-12-10"
    assert "session_count" not in slots
    assert said == []


async def test_a_faq_in_the_middle_is_left_to_the_rules() -> None:
    slots, said = await validate(
        tracker("how often are the sessions?", intent="faq", asked="start_date")
    )
    assert slots == {} and said == []


async def test_a_question_beside_an_answer_is_answered_and_the_answer_kept() -> None:
    said = "tuesdays. can i go running after?"
    t = tracker(said, intent="faq", asked="preferred_weekdays", questions=["faq/exercise_after"])
    dispatcher = CollectingDispatcher()
    events = await ValidatePlannerForm().run(dispatcher, t, DOMAIN)
    slots = {event["name"]: event["value"] for event in events if event["event"] == "slot"}
    assert slots["preferred_weekdays"] == [1]
    assert dispatcher.messages[0]["response"] == "utter_faq/exercise_after"


async def test_an_answer_said_apart_from_the_question_read_as_the_whole_message() -> None:
    said = "any weekday is fine. can i have botox as well?"
    t = tracker(said, intent="faq", asked="preferred_weekdays")
    t.latest_message["response_selector"] = {
        "faq": {"response": {"intent_response_key": "faq/combine_anti_wrinkle"}}
    }
    dispatcher = CollectingDispatcher()
    events = await ValidatePlannerForm().run(dispatcher, t, DOMAIN)
    slots = {event["name"]: event["value"] for event in events if event["event"] == "slot"}
    assert slots["preferred_weekdays"] == [0, 1, 2, 3, 4]
    assert dispatcher.messages[0]["response"] == "utter_faq/combine_anti_wrinkle"


async def test_a_question_naming_a_day_in_passing_is_not_an_answer_beside_it() -> None:
    said = "are you open on sundays?"
    slots, _ = await validate(tracker(said, intent="faq", asked="preferred_weekdays"))
    assert slots == {}


async def test_a_date_answer_counts_even_if_the_intent_looks_like_a_question() -> None:
    slots, _ = await validate(tracker("3 March", intent="faq", asked="start_date"))
    assert slots["start_date"] == "2027-03-03"


async def test_a_closed_preferred_day_is_refused() -> None:
    slots, said = await validate(tracker("sundays", asked="preferred_weekdays"))
    assert slots["preferred_weekdays"] is None
    assert "isn't open" in said[0]


async def test_confirmation_reads_back_the_answers() -> None:
    dispatcher = CollectingDispatcher()
    answers = {
        "start_date": "2026-11-30",
        "session_count": 6,
        "main_concern": "hair_thinning",
        "preferred_weekdays": [0, 3],
        "other_treatments": [{"kind": "peel", "on": "2027-03-20"}],
        "sun_trips": [],
    }
    await ActionAskPlanConfirmed().run(dispatcher, tracker("", slots=answers), DOMAIN)
    text = dispatcher.messages[0]["text"]
    assert "6 sessions" in text and "Mon 30 Nov 2026" in text and "hair thinning" in text
    assert "Mondays, Thursdays" in text and "peel on Sat 20 Mar" in text
    assert [b["payload"] for b in dispatcher.messages[0]["buttons"]] == [
        "/affirm",
        "/deny",
        "/cancel",
    ]


def _answered(question: str) -> list[dict[str, Any]]:
    """Events where the bot asked `question`, then the visitor said "no"."""
    return [
        {"event": "slot", "name": "requested_slot", "value": question},
        {"event": "user", "text": "no", "parse_data": {"intent": {"name": "deny"}}},
        {"event": "slot", "name": "requested_slot", "value": "plan_confirmed"},
    ]


@pytest.mark.parametrize(
    ("question", "reads_back"), [("sun_trips", True), ("plan_confirmed", False)]
)
async def test_no_to_the_last_question_still_gets_the_read_back(
    question: str, reads_back: bool
) -> None:
    answers = {"start_date": "2026-11-30", "session_count": 6, "sun_trips": []}
    t = tracker("no", intent="deny", asked="plan_confirmed", slots=answers)
    t.events = _answered(question)
    dispatcher = CollectingDispatcher()
    await ActionAskPlanConfirmed().run(dispatcher, t, DOMAIN)
    assert bool(dispatcher.messages) is reads_back


async def test_the_plan_is_shown_saved_as_ics_and_kept_in_the_conversation() -> None:
    dispatcher = CollectingDispatcher()
    answers = {
        "start_date": "2026-11-30",
        "session_count": 6,
        "main_concern": "hair_thinning",
        "preferred_weekdays": [],
        "other_treatments": [{"kind": "peel", "on": "2026-12-10"}],
        "sun_trips": [],
        "plan_confirmed": True,
    }
    events = await ActionPlanSchedule().run(dispatcher, tracker("", slots=answers), DOMAIN)
    slots = {event["name"]: event["value"] for event in events}
    assert len(slots["schedule"]) == 6
    for session in slots["schedule"]:
        gap = (date(2026, 12, 10) - date.fromisoformat(session["date"])).days
        assert not 0 <= gap < 7, "no session in the week before the peel"
    calendar = icalendar.Calendar.from_ical(Path(slots["schedule_calendar"]).read_bytes())
    assert len(list(calendar.walk("VEVENT"))) == 6
    assert "1." in dispatcher.messages[0]["text"]


async def test_reset_clears_answers_and_leaves_a_running_form() -> None:
    events = await ActionResetPlanner().run(
        CollectingDispatcher(), tracker("", slots={"start_date": "2026-11-30"}), DOMAIN
    )
    assert {"event": "slot", "name": "start_date", "value": None, "timestamp": None} in events
    assert events[-1]["event"] == "active_loop" and events[-1]["name"] is None


async def ask_start(t: Tracker) -> list[dict[str, Any]]:
    dispatcher = CollectingDispatcher()
    await ActionAskStartDate().run(dispatcher, t, DOMAIN)
    return dispatcher.messages


async def test_a_start_said_as_a_short_stretch_starts_on_its_first_open_day() -> None:
    slots, said = await validate(tracker("early February", asked="start_date"))
    assert slots["start_date"] == "2027-02-01" and said == []
    assert slots.get("date_question") is None
    # 1 January is a public holiday (clinic.yml), when the clinic is closed.
    new_year, _ = await validate(tracker("start the first week of january", asked="start_date"))
    assert new_year["start_date"] == "2027-01-02"


async def test_a_stretch_starts_on_the_first_of_the_visitor_s_days_in_it() -> None:
    """ "early February, Thursdays": the read-back's start is a day the plan can use."""
    slots, _ = await validate(tracker("early February, thursdays only", asked="start_date"))
    assert slots["start_date"] == "2027-02-04" and slots["preferred_weekdays"] == [3]
    earlier, _ = await validate(
        tracker("early February", asked="start_date", slots={"preferred_weekdays": [0, 2]})
    )
    assert earlier["start_date"] == "2027-02-01"  # already a Monday
    # Days the clinic is never open don't count: its own first open day stands.
    sunday, _ = await validate(
        tracker("early February", asked="start_date", slots={"preferred_weekdays": [6]})
    )
    assert sunday["start_date"] == "2027-02-01"


async def test_a_start_next_month_is_its_first_open_day_as_in_may_is() -> None:
    slots, said = await validate(tracker("starting next month", asked="start_date"))
    assert slots["start_date"] == "2026-12-01" and said == []  # Tuesday 1 December


async def test_a_start_said_as_a_long_stretch_of_time_gets_which_day() -> None:
    slots, said = await validate(tracker("sometime in the spring", asked="start_date"))
    assert slots.get("start_date") is None and said == []
    assert slots["date_question"]["described"] == "in the spring"
    assert slots["planner_invalid_answers"] == 0  # a question, not a failed answer
    asked = await ask_start(tracker("", asked="start_date", slots=slots))
    assert asked[0]["text"].startswith("Which day in the spring would you like to start?")


async def test_after_christmas_offers_the_first_day_open_after_the_holidays() -> None:
    slots, _ = await validate(tracker("after Christmas", asked="start_date"))
    asked = await ask_start(tracker("", asked="start_date", slots=slots))
    # 26 and 28 December are public holidays in England (clinic.yml), 27th a Sunday.
    assert '"Tue 29 Dec"' in asked[0]["text"] and "after Christmas" in asked[0]["text"]


async def test_a_weekday_that_is_not_the_dates_is_asked_about() -> None:
    slots, _ = await validate(tracker("monday 12th january", asked="start_date"))
    asked = await ask_start(tracker("", asked="start_date", slots=slots))
    assert asked[0]["text"] == (
        "12 January is a Tuesday, not a Monday. Which did you mean: Mon 11 Jan or Tue 12 Jan?"
    )


async def test_a_day_given_after_the_question_clears_it() -> None:
    vague = {"for": "start_date", "described": "in early February", "earliest": "2027-02-01"}
    slots, _ = await validate(
        tracker("the 3rd", asked="start_date", slots={"date_question": vague})
    )
    assert slots["start_date"] == "2027-02-03" and slots["date_question"] is None


async def test_other_answers_to_which_day_are_kept_and_the_question_stays() -> None:
    vague = {"for": "start_date", "described": "in April", "earliest": "2027-04-01"}
    slots, _ = await validate(
        tracker("8 sessions, for acne", asked="start_date", slots={"date_question": vague})
    )
    assert slots["session_count"] == 8 and slots.get("start_date") is None
    assert slots["date_question"]["described"] == "in April"


async def test_a_full_date_after_the_question_is_read_from_today() -> None:
    vague = {"for": "start_date", "described": "in early February", "earliest": "2027-02-01"}
    slots, _ = await validate(
        tracker("next tuesday", asked="start_date", slots={"date_question": vague})
    )
    assert slots["start_date"] == "2026-12-01"


async def test_without_a_stretch_of_time_the_usual_question_is_asked() -> None:
    asked = await ask_start(tracker("", asked="start_date"))
    assert asked == [
        {
            "text": None,
            "buttons": [],
            "elements": [],
            "custom": {},
            "template": "utter_ask_start_date",
            "response": "utter_ask_start_date",
            "image": None,
            "attachment": None,
        }
    ]


async def test_a_plan_around_christmas_skips_the_public_holidays() -> None:
    dispatcher = CollectingDispatcher()
    answers = {
        "start_date": "2026-12-18",
        "session_count": 6,
        "preferred_weekdays": [],
        "other_treatments": [],
        "sun_trips": [],
        "plan_confirmed": True,
    }
    events = await ActionPlanSchedule().run(dispatcher, tracker("", slots=answers), DOMAIN)
    slots = {event["name"]: event["value"] for event in events}
    days = [session["date"] for session in slots["schedule"]]
    assert days[:2] == ["2026-12-18", "2026-12-29"]
    assert "Christmas Day is a public holiday" in dispatcher.messages[0]["text"]


async def test_a_treatment_in_a_long_stretch_gets_which_day_then_the_day_alone_is_its() -> None:
    slots, said = await validate(
        tracker("i might have some lip filler in the spring", asked="other_treatments")
    )
    assert slots.get("other_treatments") is None and said == []
    asked = await ask_other_treatments(tracker("", asked="other_treatments", slots=slots))
    assert asked[0]["text"].startswith(
        "Which day in the spring is it? I keep a week clear before your fillers, so I need the day"
    )
    slots, _ = await validate(tracker("14 april", asked="other_treatments", slots=slots))
    assert slots["other_treatments"] == [{"kind": "filler", "on": "2027-04-14"}]


async def test_a_treatment_in_a_month_keeps_that_month_clear_and_says_so() -> None:
    slots, _ = await validate(tracker("a laser session in june", asked="other_treatments"))
    laser = {"kind": "laser", "on": "2027-06-01", "until": "2027-06-30", "described": "in June"}
    assert slots["other_treatments"] == [laser]
    slots = {
        "start_date": "2027-04-10",
        "session_count": 6,
        "preferred_weekdays": [],
        "other_treatments": [laser],
        "sun_trips": [],
    }
    readback = CollectingDispatcher()
    await ActionAskPlanConfirmed().run(readback, tracker("", slots=slots), DOMAIN)
    assert "(I've kept 1 Jun–30 Jun and the days before clear" in readback.messages[0]["text"]


async def test_a_trip_in_a_month_keeps_that_month_clear_and_says_so() -> None:
    slots, _ = await validate(tracker("yes, a week in portugal in july", asked="sun_trips"))
    assert slots["sun_trips"] == [
        {"start": "2027-07-01", "end": "2027-07-31", "described": "in July"}
    ]


async def test_a_trip_in_a_longer_stretch_gets_which_dates() -> None:
    slots, _ = await validate(tracker("we're off to spain in the summer", asked="sun_trips"))
    assert slots.get("sun_trips") is None
    dispatcher = CollectingDispatcher()
    await ActionAskSunTrips().run(dispatcher, tracker("", asked="sun_trips", slots=slots), DOMAIN)
    assert dispatcher.messages[0]["text"].startswith("Which dates in the summer are you away?")
    slots, _ = await validate(tracker("10 to 17 july", asked="sun_trips", slots=slots))
    assert slots["sun_trips"] == [{"start": "2027-07-10", "end": "2027-07-17"}]


async def ask_other_treatments(t: Tracker) -> list[dict[str, Any]]:
    dispatcher = CollectingDispatcher()
    await ActionAskOtherTreatments().run(dispatcher, t, DOMAIN)
    return dispatcher.messages


# Issue 22: every value of a message, maintenance top-ups, the rest of a course


async def test_an_opener_gives_a_bare_number_weekdays_and_a_concern_at_once() -> None:
    text = "can u plan my sessions, 6 from monday 30 november, fine lines, tuesdays and thursdays"
    wrinkles = [{"entity": "condition", "value": "wrinkles"}]
    slots, _ = await validate(tracker(text, "request_schedule", entities=wrinkles))
    assert slots["start_date"] == "2026-11-30" and slots["session_count"] == 6
    assert slots["main_concern"] == "wrinkles" and slots["preferred_weekdays"] == [1, 3]


async def test_a_question_that_only_looks_like_a_count_is_left_to_the_rules() -> None:
    # "each one" is no number of sessions: the price question is answered, then asked again.
    slots, said = await validate(tracker("how much does each one cost", "faq", "session_count"))
    assert slots == {} and said == []


async def test_a_finished_course_asks_for_the_last_session_then_days() -> None:
    text = "I've done my full course of meso, I just want to plan the maintenance ones"
    slots, _ = await validate(tracker(text, "request_schedule"))
    assert slots["course_stage"] == "maintenance" and slots["requested_slot"] == "last_session"
    given = {"course_stage": "maintenance"}
    slots, _ = await validate(
        tracker("last one was 10 November", asked="last_session", slots=given)
    )
    assert slots["last_session"] == "2026-11-10"
    assert slots["requested_slot"] == "preferred_weekdays"


async def test_a_last_session_still_to_come_is_asked_again() -> None:
    given = {"course_stage": "maintenance"}
    slots, said = await validate(tracker("10 december 2026", asked="last_session", slots=given))
    assert slots["last_session"] is None
    assert said[0] == text_of("last_session_ahead")


async def test_maintenance_top_ups_are_planned_six_months_to_a_year_apart() -> None:
    slots = {
        "course_stage": "maintenance",
        "last_session": "2026-11-10",
        "preferred_weekdays": [4],
        "other_treatments": [],
        "sun_trips": [],
        "plan_confirmed": True,
    }
    dispatcher = CollectingDispatcher()
    events = await ActionPlanSchedule().run(dispatcher, tracker("yes", slots=slots), DOMAIN)
    planned = next(e["value"] for e in events if e["event"] == "slot" and e["name"] == "schedule")
    days = [date.fromisoformat(s["date"]) for s in planned]
    assert len(days) == 4 and all(day.weekday() == 4 for day in days)
    gaps = [(b - a).days for a, b in zip([date(2026, 11, 10), *days], days, strict=False)]
    assert all(182 <= gap <= 365 for gap in gaps)
    assert "maintenance top-ups" in dispatcher.messages[0]["text"]


async def test_part_way_through_a_course_the_rest_is_planned_from_the_next_session() -> None:
    text = (
        "I'm 4 sessions into a course of 10 for pigmentation. Next one is Monday 30 November "
        "and I can do Mondays and Thursdays"
    )
    pigmentation = [{"entity": "condition", "value": "pigmentation"}]
    slots, _ = await validate(tracker(text, "request_schedule", entities=pigmentation))
    assert slots["course_stage"] == "continuing" and slots["sessions_done"] == 4
    assert slots["session_count"] == 10 and slots["start_date"] == "2026-11-30"
    filled = {**slots, "other_treatments": [], "sun_trips": [], "plan_confirmed": True}
    dispatcher = CollectingDispatcher()
    events = await ActionPlanSchedule().run(dispatcher, tracker("yes", slots=filled), DOMAIN)
    planned = next(e["value"] for e in events if e["event"] == "slot" and e["name"] == "schedule")
    assert [s["number"] for s in planned] == [5, 6, 7, 8, 9, 10]
    assert planned[0]["date"] == "2026-11-30"
    assert "sessions 5 to 10 of your 10" in dispatcher.messages[0]["text"]


async def test_a_concern_the_article_doesnt_name_is_said_with_the_plan_and_in_the_calendar() -> (
    None
):
    slots = {
        "start_date": "2026-11-30",
        "session_count": 4,
        "main_concern": "acne",
        "concern_not_named": ["cellulite"],
        "preferred_weekdays": [],
        "other_treatments": [],
        "sun_trips": [],
        "plan_confirmed": True,
    }
    readback = CollectingDispatcher()
    await ActionAskPlanConfirmed().run(readback, tracker("", slots=slots), DOMAIN)
    assert "doesn't name cellulite" in readback.messages[0]["text"]
    dispatcher = CollectingDispatcher()
    events = await ActionPlanSchedule().run(dispatcher, tracker("yes", slots=slots), DOMAIN)
    assert "doesn't name cellulite" in dispatcher.messages[0]["text"]
    link = next(
        e["value"] for e in events if e["event"] == "slot" and e["name"] == "schedule_calendar"
    )
    calendar = icalendar.Calendar.from_ical(Path(link).read_bytes())
    descriptions = [str(event["description"]) for event in calendar.walk("VEVENT")]
    assert descriptions and all("doesn't name cellulite" in d for d in descriptions)


@pytest.mark.parametrize(
    ("text", "asked", "entities"),
    [
        (
            "can it help with rosacea?",
            "main_concern",
            [{"entity": "condition", "value": "not_named"}],
        ),
        ("are you open on sundays?", "preferred_weekdays", []),
        ("r u even open on saturday", "start_date", []),
    ],
)
async def test_a_question_naming_a_concern_or_a_day_is_answered_not_taken_as_the_answer(
    text: str, asked: str, entities: list[dict[str, Any]]
) -> None:
    slots, said = await validate(tracker(text, "faq", asked, entities=entities))
    assert slots == {} and said == []
    # The same words as an answer are kept.
    answer = {"main_concern": "rosacea", "preferred_weekdays": "sundays"}.get(asked, "saturday")
    slots, _ = await validate(tracker(answer, "inform", asked, entities=entities))
    assert asked in slots
