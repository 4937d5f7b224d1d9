"""The console speaks to staff in their words: topics by their questions, never by the
names the assistant keeps them under (`faq/sun_after`, `ask_pregnancy`, `nlu_fallback`),
and help that says what staff can do and what happens, not which file or command.

Over HTTP against the running console: each page that shows a topic shows its
title (the one `|topic` filter, staff/wording.py) and none of the internal
names, in what it shows or reads out; no page speaks of `make`, YAML files,
intents or NLU data.
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import quote_plus

import pytest

from staff.unanswered import key_of
from tests.console.conftest import KEEP, MARKDOWN_ASKER, NEVER_FILED, Console, Staff, shown_text

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


def make_targets() -> list[str]:
    """Every target of the project's Makefile (its .PHONY list)."""
    makefile = (Path(__file__).resolve().parents[2] / "Makefile").read_text(encoding="utf-8")
    found = re.search(r"^\.PHONY:((?:.*\\\n)*.*)$", makefile, re.MULTILINE)
    assert found is not None
    return found[1].replace("\\", " ").split()


# What a developer reads, not staff: a command, a file, the NLU's own words.
JARGON = re.compile(
    rf"\bmake (?:{'|'.join(map(re.escape, make_targets()))})\b"
    r"|\.ya?ml\b|\byaml\b|\bintents?\b|\bnlu\b|\breview/|\bdata/",
    re.IGNORECASE,
)
STAFF_PAGES = (
    "/staff/overview",
    "/staff/unanswered",
    "/staff/unanswered?filed=new_wording&wordings=2&left_out=1",
    "/staff/unanswered?filed=article&wordings=1&left_out=0",
    "/staff/unanswered?filed=dismissed&wordings=3&left_out=0",
    f"/staff/unanswered/group?key={quote_plus(key_of(NEVER_FILED))}",
    "/staff/feedback",
    "/staff/safety",
    "/staff/safety?show=all",
    "/staff/callbacks",
    "/staff/conversations",
    f"/staff/conversations/{KEEP}",
    f"/staff/conversations/{MARKDOWN_ASKER}",
    "/staff/live",
    "/staff/live/replies",
    f"/staff/live/{MARKDOWN_ASKER}",
    "/staff/two-factor",
)


def test_the_jargon_check_knows_the_makefile() -> None:
    assert {"take-review", "train", "run"} <= set(make_targets())
    assert JARGON.search("then make take-review") and JARGON.search("review/new-wording.yml")
    assert not JARGON.search("Make administrator; make a new set of codes")


@pytest.mark.parametrize("path", STAFF_PAGES)
def test_no_page_speaks_of_make_yaml_or_intents(staff: Staff, path: str) -> None:
    assert JARGON.findall(shown_text(staff.page(path))) == []


def test_nor_the_administrators_pages_sign_in_or_errors(console: Console, admin: Staff) -> None:
    pages = [admin.page(path) for path in ("/staff/accounts", f"/staff/conversations/{KEEP}")]
    token = admin.csrf_token()
    asked = admin.post(f"/staff/conversations/{KEEP}/delete", data={"csrf_token": token})
    assert asked.status_code == 200 and "can't be undone" in asked.text
    missing = admin.get("/staff/conversations/no-such-conversation")
    assert missing.status_code == 404
    signed_out = console.get("/staff/login")
    for page in (*pages, asked.text, missing.text, signed_out.text):
        assert JARGON.findall(shown_text(page)) == []


def test_the_unanswered_page_says_what_filing_does(staff: Staff) -> None:
    shown = shown_text(staff.page("/staff/unanswered"))
    assert "a colleague who looks after the assistant checks it" in shown
    assert "passed on to whoever keeps the article up to date" in shown
    assert "not understood" in shown, "how each message ended, in words"
    for name in ("fallback", "clarify", "not_covered", "out_of_scope"):
        assert name not in shown
