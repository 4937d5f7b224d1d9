"""Turning a visitor's words into planner inputs: dates, counts, weekdays, treatments, trips.

Dates are read by `dateparser`, day first as in the UK and always on or after
today. A little normalisation covers what it misses:

- "next Tuesday" and "this Friday" (dateparser returns nothing for them): the
  weekday's next occurrence; "next" never means today.
- "a week on Monday" / "Monday week": that Monday plus seven days.
- "in a fortnight": two weeks.
- "the 10th" after the 10th, and "the 31st" in a 30-day month: the next month
  that has that day (dateparser returns a past day, or nothing).
- "25 November" on 25 November: today (dateparser jumps a year).
- "10-17 August" and "between 10 and 17 August": dateparser reads the year 2117,
  so they are rewritten as "10 August to 17 August".
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from typing import Any, Literal

import dateparser
from dateparser.search import search_dates

from clinic.planner.schedule import PlannedTreatment, SunTrip
from clinic.rules import WEEKDAYS

TRIP_DAYS_WHEN_NO_END = 7

_WEEKDAY = "|".join(WEEKDAYS)
# Short forms for preferences. "sun" and "sat" are left out: "a sun holiday", "I sat".
_WEEKDAY_FORMS = {
    0: r"mondays?|mon",
    1: r"tuesdays?|tues?",
    2: r"wednesdays?|weds?",
    3: r"thursdays?|thu|thur|thurs",
    4: r"fridays?|fri",
    5: r"saturdays?",
    6: r"sundays?",
}
_MONTH = (
    r"jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?"
)
_ORDINAL = r"(\d{1,2})(?:st|nd|rd|th)?"

_HAS_MONTH = re.compile(rf"\b({_MONTH})\b|\b\d{{1,2}}[/.-]\d{{1,2}}\b", re.I)
_HAS_YEAR = re.compile(r"\b(19|20)\d{2}\b|\b\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}\b")
_BARE_DAY = re.compile(rf"^(?:on\s+)?(?:the\s+)?{_ORDINAL}$", re.I)
_BARE_NUMBER = re.compile(r"^(?:on\s+|the\s+|at\s+|in\s+)*\d{1,3}$", re.I)
_NEXT_WEEKDAY = re.compile(rf"\b(?:next|this|coming)\s+({_WEEKDAY})\b", re.I)
_WEEK_ON = re.compile(rf"\ba week (?:on|from)\s+({_WEEKDAY})\b|\b({_WEEKDAY}) week\b", re.I)
_RANGE = re.compile(
    rf"\b(?:between\s+)?(?:the\s+)?{_ORDINAL}\s*(?:-|–|to|till|until|and)\s*(?:the\s+)?"
    rf"{_ORDINAL}\s+(?:of\s+)?({_MONTH})\b",
    re.I,
)
# Words dateparser reads as dates that, alone, are not dates here.
_NOT_DATES = frozenset({"now", "sun", "sat", "wed", "mar", "may", "a may", "second", "today at"})
# Weekday and month abbreviations that are also everyday words, and what makes them dates.
_AMBIGUOUS_WORDS = frozenset({"sun", "sat", "wed", "mar", "may"})
_MONTH_NAMES = (
    "january", "february", "march", "april", "june", "july", "august", "september", "october",
    "november", "december",
)  # fmt: skip
_DATE_WORDS = frozenset(
    {*WEEKDAYS, *_MONTH_NAMES, "today", "tomorrow", "tonight", "next", "this", "coming", "week"}
)
_EDGE_WORDS = re.compile(r"^(?:on|the|from|at|by|in|and)\s+|\s+(?:and|,)$", re.I)

_NUMBER_WORDS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
    "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
    "nineteen": 19, "twenty": 20, "half a dozen": 6, "a dozen": 12, "dozen": 12,
    "a couple": 2, "couple": 2,
}  # fmt: skip
_NUMBER_WORD = re.compile(
    r"\b(" + "|".join(sorted(_NUMBER_WORDS, key=len, reverse=True)) + r")\b", re.I
)
_COUNTED = re.compile(
    r"\b(\d{1,3})\s+(?:more\s+)?(?:\w+\s+)?(?:sessions?|treatments?|appointments?|visits?)\b",
    re.I,
)
_UNKNOWN = re.compile(
    r"\b(?:don'?t|do not|dont) know\b|\bnot (?:sure|certain)\b|\bno idea\b|\bunsure\b"
    r"|\bdunno\b|\bnot (?:been )?told\b|\bhaven'?t been told\b|\bno one (?:told|said)\b"
    r"|\bnobody (?:told|said)\b|\bwhatever you (?:recommend|suggest)\b|\bno clue\b",
    re.I,
)
_NONE = re.compile(
    r"^\s*(?:none|no|nope|nah|nothing|n/?a|no thanks|not really|not that i know(?: of)?)\b"
    r"|\bnothing (?:planned|booked|else|coming up)\b|\bnone planned\b|\bnot planning\b"
    r"|\bno (?:other )?(?:treatments?|procedures?|plans|holidays?|trips?|travel)\b"
    r"|\bnot (?:this year|yet|at the moment|any time soon)\b|\bno plans?\b",
    re.I,
)
_ANY_DAY = re.compile(
    r"\bany ?(?:day|time)\b|\bevery ?day\b|\ball days\b|\bno preference\b|\bwhenever\b"
    r"|\bdon'?t mind\b|\bdoesn'?t matter\b|\bany of them\b|\beither\b|\bflexible\b"
    r"|\bno particular\b",
    re.I,
)
_NEGATION = re.compile(
    r"\b(?:not|except|apart from|other than|but not|never|can'?t do|cannot do|no)\b", re.I
)
_TREATMENT_WORDS = {
    "laser": r"lasers?|ipl",
    "peel": r"peels?|peeling",
    "filler": r"fillers?|dermal filler",
    "anti_wrinkle": r"botox|anti[- ]?wrinkle|wrinkle injections?|dysport|azzalure|bocouture",
}
_TREATMENT = re.compile(
    "|".join(rf"(?P<{kind}>\b(?:{words})\b)" for kind, words in _TREATMENT_WORDS.items()),
    re.I,
)
_TRIP = re.compile(
    r"\b(?:holidays?|vacations?|trips?|beach|going (?:to|away|abroad)|off to|travel\w*|fly\w*"
    r"|abroad|cruise|ski|skis|skiing|sun|sunny|sunshine|away|getaway|break)\b",
    re.I,
)
_AMOUNT = "|".join(["a", r"\d{1,2}", *(word for word in _NUMBER_WORDS if " " not in word)])
# "for ten days", "two weeks in Spain"; not "in two weeks", which is when it starts.
_DURATION = re.compile(rf"(?<!\bin )\b({_AMOUNT})\s+(weeks?|days?)\b", re.I)
_ABOUT_COURSE = re.compile(r"\b(?:start\w*|begin\w*|first session|kick off|sessions?)\b", re.I)
_RETURN = re.compile(r"\b(?:back|return\w*|home|fly(?:ing)? back)\b", re.I)
_BARE_DURATION = re.compile(rf"^(?:for\s+)?(?:{_AMOUNT})\s+(?:weeks?|days?|months?)$", re.I)
_CLAUSE_BREAK = re.compile(r"[,;]|\.\s|\band\b|\balso\b|\bthen\b", re.I)


def _settings(today: date) -> dict[str, Any]:
    return {
        "RELATIVE_BASE": datetime(today.year, today.month, today.day),
        "PREFER_DATES_FROM": "future",
        "DATE_ORDER": "DMY",
        "PREFER_DAY_OF_MONTH": "first",
        "RETURN_AS_TIMEZONE_AWARE": False,
    }


def _normalise(text: str) -> str:
    """Spell out what dateparser misreads; keeps everything else as typed."""
    text = re.sub(r"\ba fortnight\b", "two weeks", text, flags=re.I)
    return _RANGE.sub(lambda m: f"{m[1]} {m[3]} to {m[2]} {m[3]}", text)


def _day_of_month(day: int, today: date) -> date | None:
    """The next date on or after today that falls on this day of the month."""
    year, month = today.year, today.month
    for _ in range(13):
        try:
            found = date(year, month, day)
        except ValueError:
            found = None
        if found is not None and found >= today:
            return found
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return None


def _on_or_after_today(found: date, phrase: str, today: date) -> date:
    """A date typed without a year means its next occurrence, today included."""
    if _HAS_YEAR.search(phrase) or not _HAS_MONTH.search(phrase):
        return found
    while True:
        try:
            earlier = found.replace(year=found.year - 1)
        except ValueError:  # 29 February
            break
        if earlier < today:
            break
        found = earlier
    while found < today:
        try:
            found = found.replace(year=found.year + 1)
        except ValueError:
            found += timedelta(days=365)
    return found


def _weekday_after(name: str, today: date, strictly: bool) -> date:
    ahead = (WEEKDAYS.index(name.lower()) - today.weekday()) % 7
    return today + timedelta(days=ahead or (7 if strictly else 0))


def _parse_phrase(phrase: str, today: date) -> date | None:
    """One date phrase, with the normalisation described in the module docstring."""
    words = _EDGE_WORDS.sub("", phrase.strip().rstrip(".!?")).strip()
    lowered = words.lower()
    if not words or lowered in _NOT_DATES - {"now"} or _BARE_NUMBER.match(words):
        return None
    if week_on := _WEEK_ON.fullmatch(lowered):
        name = week_on[1] or week_on[2]
        return _weekday_after(name, today, strictly=False) + timedelta(days=7)
    if next_day := _NEXT_WEEKDAY.fullmatch(lowered):
        return _weekday_after(next_day[1], today, strictly=lowered.startswith("next"))
    if bare := _BARE_DAY.match(words):
        return _day_of_month(int(bare[1]), today)
    found = dateparser.parse(words, languages=["en"], settings=_settings(today))
    if found is None:
        return None
    return _on_or_after_today(found.date(), words, today)


def parse_date(text: str, today: date) -> date | None:
    """One date from a short answer ("next Tuesday", "3 March", "15/01/2027"), or None.

    A past date with a year ("1 January 2020") is returned as it is, so the caller can
    say it has passed rather than silently moving it.
    """
    cleaned = " ".join(_normalise(text).split())
    direct = _parse_phrase(cleaned, today)
    if direct is not None:
        return direct
    hits = find_dates(text, today)
    return hits[0][1] if hits else None


def _only_an_ambiguous_word(phrase: str) -> bool:
    """ "of the sun after": its only date word is a weekday or month that is also a word."""
    tokens = set(re.findall(r"[a-z]+|\d+", phrase.lower()))
    if any(token.isdigit() for token in tokens) or tokens & _DATE_WORDS:
        return False
    return bool(tokens & _AMBIGUOUS_WORDS)


def _dates_at(text: str, today: date) -> list[tuple[int, str, date]]:
    """Dates in already normalised text, with where each starts, in reading order."""
    found: list[tuple[int, str, date]] = []
    blanked = text
    for pattern in (_WEEK_ON, _NEXT_WEEKDAY):
        for match in pattern.finditer(blanked):
            day = _parse_phrase(match[0], today)
            if day is not None:
                found.append((match.start(), match[0], day))
                blanked = blanked[: match.start()] + " " * len(match[0]) + blanked[match.end() :]
    hits = search_dates(blanked, languages=["en"], settings=_settings(today)) or []
    cursor = 0
    for phrase, _ in hits:
        start = blanked.find(phrase, cursor)
        cursor = start + len(phrase) if start >= 0 else cursor
        words = _EDGE_WORDS.sub("", phrase.strip()).strip(" ,")
        if (
            words.lower() in _NOT_DATES
            or _BARE_DURATION.match(phrase.strip())
            or _only_an_ambiguous_word(words)
        ):
            continue  # "two weeks" in "for two weeks" is how long; "the sun" is no Sunday
        day = _parse_phrase(words, today)
        # A sanity bound: nobody plans mesotherapy around a date five years away.
        if day is not None and day.year <= today.year + 5:
            found.append((max(start, 0), words, day))
    return sorted(found, key=lambda hit: hit[0])


def find_dates(text: str, today: date) -> list[tuple[str, date]]:
    """Every date in a longer sentence, in order, as (the words, the date).

    Bare numbers ("6" in "6 sessions") and words like "now" or "sun" are not dates.
    """
    return [(words, day) for _, words, day in _dates_at(_normalise(text), today)]


def parse_session_count(text: str) -> int | Literal["unknown"] | None:
    """A number of sessions ("6", "six sessions", "half a dozen"), "unknown", or None.

    A number wins over hedging ("not sure, maybe 6" is 6). Numbers outside 3–15 are
    returned as they are: the form says what the range is.
    """
    counted = _COUNTED.search(text)
    if counted:
        return int(counted[1])
    digits = re.search(r"\b(\d{1,3})\b", text)
    if digits:
        return int(digits[1])
    spoken = _NUMBER_WORD.search(re.sub(r"\b(?:no|any|some|every) ?one\b", " ", text, flags=re.I))
    if spoken:
        return _NUMBER_WORDS[spoken[1].lower()]
    if _UNKNOWN.search(text):
        return "unknown"
    return None


def _named_days(text: str) -> set[int]:
    days = {
        day for day, forms in _WEEKDAY_FORMS.items() if re.search(rf"\b(?:{forms})\b", text, re.I)
    }
    if re.search(r"\bweek ?ends?\b", text, re.I):
        days |= {5, 6}
    if re.search(r"\bweek ?days?\b|\bworking days?\b|\bwork days?\b", text, re.I):
        days |= {0, 1, 2, 3, 4}
    return days


def parse_weekdays(text: str) -> frozenset[int] | None:
    """Preferred weekdays (Monday = 0); empty for "any day"; None if none were named.

    Days after "not", "except" and the like are left out: "any day except Monday" and
    "not Mondays" both mean Tuesday to Sunday.
    """
    negation = _NEGATION.search(text)
    wanted_part, unwanted_part = (
        (text[: negation.start()], text[negation.end() :]) if negation else (text, "")
    )
    wanted, unwanted = _named_days(wanted_part), _named_days(unwanted_part)
    if unwanted:
        return frozenset((wanted or set(range(7))) - unwanted)
    if wanted:
        return frozenset(wanted)
    if _ANY_DAY.search(text):
        return frozenset()
    return None


def is_none_answer(text: str) -> bool:
    """ "none", "no", "nothing planned", "no other treatments": nothing to plan around."""
    return bool(_NONE.search(text))


def parse_treatments(text: str, today: date) -> list[PlannedTreatment]:
    """Laser, peels, fillers and anti-wrinkle injections ("botox") with their dates.

    Each treatment takes the first date after it and before the next treatment named,
    else the next date after it ("a peel and laser on 2 May"), else the date before it
    ("on 20 March I have a peel"). A treatment with no date at all is left out.
    """
    normal = _normalise(text)
    mentions = [(match.start(), str(match.lastgroup)) for match in _TREATMENT.finditer(normal)]
    dates = [(at, day) for at, _, day in _dates_at(normal, today)]
    treatments: list[PlannedTreatment] = []
    for index, (at, kind) in enumerate(mentions):
        until = mentions[index + 1][0] if index + 1 < len(mentions) else len(normal)
        own = [day for where, day in dates if at < where < until]
        later = [day for where, day in dates if where > at]
        earlier = [day for where, day in dates if where < at]
        candidates = own or later or earlier[-1:]
        if candidates:
            treatments.append(PlannedTreatment(kind=kind, on=candidates[0]))
    return treatments


def _trip_days(clause: str) -> int:
    duration = _DURATION.search(clause)
    if duration is None:
        return TRIP_DAYS_WHEN_NO_END
    amount = duration[1].lower()
    count = int(amount) if amount.isdigit() else _NUMBER_WORDS.get(amount, 1)
    return count * 7 if duration[2].lower().startswith("week") else count


def parse_sun_trips(text: str, today: date, asked: bool = False) -> list[SunTrip]:
    """Sunny holidays with their dates ("beach holiday 10-17 August").

    With only a start date ("going to Spain on 1 June") the trip is taken to last a
    week, that day included (1–7 June), unless a length is given ("for ten days") or
    a return follows ("and back on 14 June"). Only sentences that mention a trip
    count (any dates do when `asked` is the question about trips), and dates in a
    part about a peel, laser and so on, or about the start of the course ("start
    next Monday"), are not trips.
    """
    normal = _normalise(text)
    if not asked and not _TRIP.search(normal):
        return []  # asked about trips, "Spain 10 to 17 May" is one; otherwise it must say so
    trips: list[SunTrip] = []
    start = 0
    breaks = [match.start() for match in _CLAUSE_BREAK.finditer(normal)] + [len(normal)]
    for end in breaks:
        clause = normal[start:end]
        start = end
        if _TREATMENT.search(clause) or (
            _ABOUT_COURSE.search(clause) and not (asked or _TRIP.search(clause))
        ):
            continue
        days = [day for _, _, day in _dates_at(clause, today)]
        if not days:
            continue
        if len(days) == 1 and trips and _RETURN.search(clause) and days[0] >= trips[-1].start:
            trips[-1] = SunTrip(start=trips[-1].start, end=days[0])
            continue
        first = days[0]
        last = days[1] if len(days) > 1 else first + timedelta(days=_trip_days(clause) - 1)
        trips.append(SunTrip(start=first, end=max(first, last)))
    return trips
