"""The numbers of the clinic's article that the planner follows, each defined once.

The settings (`clinic.yml` checks), the planner, its messages and its tests
all read these; nothing else writes them down.
"""

from __future__ import annotations

# F26: "between three to 15" sessions.
MIN_SESSIONS = 3
MAX_SESSIONS = 15
# F22: "at least one week" before laser treatments, peels or fillers.
MIN_TREATMENT_BUFFER_DAYS = 7
MAX_TREATMENT_BUFFER_DAYS = 60
# F25 says "a few days" out of the sun; how many is the clinic's choice (clinic.yml).
MAX_SUN_BUFFER_DAYS = 30
# The planner plans a course that starts within a year.
MAX_DAYS_AHEAD = 365
# How far past a blocked window the planner looks for a free day before giving up.
SEARCH_LIMIT_DAYS = 5 * 366

# Weekdays are numbered as Python numbers them: Monday = 0.
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
TREATMENT_KINDS = ("laser", "peel", "filler", "anti_wrinkle")


def weekday_name(number: int) -> str:
    """ "Monday" for 0."""
    return WEEKDAYS[number].capitalize()


def session_count_is_valid(count: object) -> bool:
    """A whole number of sessions the article's range allows (F26)."""
    return (
        isinstance(count, int)
        and not isinstance(count, bool)
        and MIN_SESSIONS <= count <= MAX_SESSIONS
    )
