"""The console speaks to staff in their words: topics by their questions, never by the
names the assistant keeps them under (`faq/sun_after`, `ask_pregnancy`, `nlu_fallback`).

Over HTTP against the running console: each page that shows a topic shows its
title (the one `|topic` filter, staff/wording.py) and none of the internal
names, in what it shows or reads out.
"""

from __future__ import annotations

import re
from urllib.parse import quote_plus

import pytest

from staff.unanswered import key_of
from tests.console.conftest import MARKDOWN_ASKER, NEVER_FILED, Staff, shown_text

# snake_case words such as `sessions_needed` or `clarify_refused`: a name, not a word.
INTERNAL_NAME = re.compile(r"\b[a-z]+(?:_[a-z]+)+\b|\bfaq/|\butter_")

# Each page that shows a topic, and a topic's title it shows.
TITLED = {
    "/staff/unanswered": "How many sessions will I need?",
    f"/staff/unanswered/group?key={quote_plus(key_of(NEVER_FILED))}": "What is in the injections?",
    "/staff/feedback?period=month": "What is mesotherapy?",
    "/staff/safety?show=all": "Can I have it while pregnant or breast-feeding?",
    f"/staff/conversations/{MARKDOWN_ASKER}": "When can I have laser, peels or fillers?",
    f"/staff/live/{MARKDOWN_ASKER}": "When can I have laser, peels or fillers?",
}


@pytest.mark.parametrize("path", sorted(TITLED))
def test_topics_read_as_their_questions(staff: Staff, path: str) -> None:
    shown = shown_text(staff.page(path))
    assert TITLED[path] in shown
    assert INTERNAL_NAME.findall(shown) == []


def test_the_filing_choice_names_topics_by_their_questions(staff: Staff) -> None:
    page = staff.page("/staff/unanswered")
    assert '<option value="faq/sessions_needed">How many sessions will I need?</option>' in page
    first_choice = page.split('<select name="topic">', 2)[1].split("</select>", 1)[0]
    titles = re.findall(r'<option value="faq/[^"]+">([^<]+)</option>', first_choice)
    assert len(titles) > 10
    assert titles == sorted(titles), "in the order staff read them"


@pytest.mark.parametrize(
    ("path", "names"),
    [
        ("/staff/overview?period=month", ("what_is", "faq/")),
        ("/staff/feedback?period=month", ("what_is", "faq/")),
        ("/staff/safety?show=all", ("ask_pregnancy", "faq/")),
    ],
)
def test_no_topic_name_is_anywhere_in_the_page(
    staff: Staff, path: str, names: tuple[str, ...]
) -> None:
    page = staff.page(path)
    for name in names:
        assert name not in page, f"{name}: not even in the chart's data"
