"""Public holidays and the clinic's closures: no session on them, and each move explained."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from clinic.planner.closures import closed_days
from clinic.planner.schedule import ScheduleRequest, plan_schedule
from clinic.settings import ClinicSettingsError, ClosedDays, Closure, parse_clinic_settings

ENGLAND = ClosedDays("GB", "ENG")
MON_TO_SAT = frozenset(range(6))


def _request(start: date, closed: ClosedDays, **changes: object) -> ScheduleRequest:
    return ScheduleRequest(
        start=start,
        today=start,
        session_count=int(changes.pop("session_count", 6)),  # type: ignore[call-overload]
        open_weekdays=MON_TO_SAT,
        closed_days=closed_days(closed, start, start + timedelta(days=3 * 365)),
        **changes,  # type: ignore[arg-type]
    )


def test_the_regions_public_holidays_are_closed_days_with_their_names() -> None:
    days = closed_days(ENGLAND, date(2026, 12, 1), date(2027, 1, 31))
    assert days == {
        date(2026, 12, 25): "Christmas Day is a public holiday",
        date(2026, 12, 26): "Boxing Day is a public holiday",
        date(2026, 12, 28): "Boxing Day (observed) is a public holiday",
        date(2027, 1, 1): "New Year's Day is a public holiday",
    }


def test_regions_differ() -> None:
    scotland = closed_days(ClosedDays("GB", "SCT"), date(2027, 1, 1), date(2027, 1, 5))
    england = closed_days(ENGLAND, date(2027, 1, 1), date(2027, 1, 5))
    assert date(2027, 1, 4) in scotland and date(2027, 1, 4) not in england  # 2 January observed


def test_closures_from_clinic_yml_are_closed_days_with_their_reason() -> None:
    closed = ClosedDays(
        closures=(Closure(date(2026, 12, 29), date(2026, 12, 31), "our winter break"),)
    )
    days = closed_days(closed, date(2026, 12, 1), date(2027, 1, 31))
    assert sorted(days) == [date(2026, 12, 29), date(2026, 12, 30), date(2026, 12, 31)]
    assert set(days.values()) == {"the clinic is closed for our winter break"}


def test_no_region_means_no_public_holidays() -> None:
    assert closed_days(ClosedDays(), date(2026, 12, 1), date(2027, 1, 31)) == {}


def test_a_plan_around_christmas_skips_the_holidays_and_says_why() -> None:
    # Starting Fri 18 Dec: the second session would be Fri 25 Dec, Christmas Day.
    schedule = plan_schedule(_request(date(2026, 12, 18), ENGLAND))
    on = [session.on for session in schedule.sessions]
    assert on[:2] == [date(2026, 12, 18), date(2026, 12, 29)]
    assert schedule.sessions[1].notes == (
        "Moved to Tue 29 Dec: Christmas Day is a public holiday; Boxing Day is a public "
        "holiday; Boxing Day (observed) is a public holiday.",
    )


def test_a_session_a_day_later_because_of_a_holiday_says_so() -> None:
    # From Fri 18 Dec with Saturdays only, the next Saturday is Boxing Day.
    schedule = plan_schedule(
        _request(date(2026, 12, 19), ENGLAND, preferred_weekdays=frozenset({5}))
    )
    second = schedule.sessions[1]
    assert second.on != date(2026, 12, 26)
    assert any("Boxing Day is a public holiday" in note for note in second.notes)


def test_a_start_on_a_holiday_moves_and_says_why() -> None:
    schedule = plan_schedule(_request(date(2026, 12, 25), ENGLAND))
    first = schedule.sessions[0]
    assert first.on == date(2026, 12, 29)
    assert "Christmas Day is a public holiday" in first.notes[0]


def test_a_closure_moves_a_session() -> None:
    closed = ClosedDays(closures=(Closure(date(2027, 1, 4), date(2027, 1, 9), "staff training"),))
    schedule = plan_schedule(_request(date(2026, 12, 28), closed))
    second = schedule.sessions[1]
    assert second.on == date(2027, 1, 11)
    assert "the clinic is closed for staff training" in second.notes[0]


def _settings(**extra: object) -> dict[str, object]:
    return {
        "name": "C",
        "phone": "1",
        "email": "e",
        "booking_url": "u",
        "address": "a",
        "opening_hours": "h",
        "open_days": ["monday"],
        "emergency_number": "999",
        "planner": {"example_session_count": 6, "sun_buffer_days": 3, "treatment_buffer_days": 7},
        **extra,
    }


def test_clinic_yml_holiday_region_and_closures_are_read() -> None:
    settings = parse_clinic_settings(
        _settings(
            public_holidays={"country": "gb", "subdivision": "sct"},
            closures=[
                {"on": "2026-12-24", "reason": "Christmas Eve"},
                {"from": date(2027, 8, 2), "to": "2027-08-13", "reason": "the summer break"},
            ],
        )
    )
    assert settings.closed_days == ClosedDays(
        "GB",
        "SCT",
        (
            Closure(date(2026, 12, 24), date(2026, 12, 24), "Christmas Eve"),
            Closure(date(2027, 8, 2), date(2027, 8, 13), "the summer break"),
        ),
    )


@pytest.mark.parametrize(
    ("extra", "says"),
    [
        ({"public_holidays": {"country": "XX"}}, "must be a country code"),
        ({"public_holidays": {"country": "GB", "subdivision": "LONDON"}}, "must be one of"),
        ({"public_holidays": "GB"}, "must be a mapping"),
        ({"closures": [{"on": "24/12/2026", "reason": "x"}]}, "must be a date"),
        ({"closures": [{"from": "2026-12-31", "to": "2026-12-24", "reason": "x"}]}, "ends before"),
        ({"closures": [{"on": "2026-12-24"}]}, "reason is missing"),
        ({"closures": "2026-12-24"}, "must be a list"),
    ],
)
def test_a_bad_holiday_setting_gets_a_clear_message(extra: dict[str, object], says: str) -> None:
    with pytest.raises(ClinicSettingsError, match=says):
        parse_clinic_settings(_settings(**extra))
