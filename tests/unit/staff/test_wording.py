"""What staff read in place of internals (staff/wording.py): titles, labels, safe formatting."""

from __future__ import annotations

import pytest

from clinic.clarification import SOMETHING_ELSE_PAYLOAD
from staff.conversations import Line
from staff.turns import UNANSWERED
from staff.wording import (
    Said,
    bot_markup,
    button_label,
    outcome_label,
    plain,
    readable,
    topic_title,
)


@pytest.mark.parametrize(
    ("name", "title"),
    [
        ("faq/sun_after", "Can I go in the sun afterwards?"),
        ("sun_after", "Can I go in the sun afterwards?"),  # as the index keeps topics
        ("utter_faq/sun_after", "Can I go in the sun afterwards?"),
        ("ask_pregnancy", "Can I have it while pregnant or breast-feeding?"),
        ("nlu_fallback", "not understood"),
        ("(no article topic)", "No article topic"),
        ("faq/something_new", "Something new"),
        (None, ""),
    ],
)
def test_a_topic_reads_as_its_question(name: str | None, title: str) -> None:
    assert topic_title(name) == title


@pytest.mark.parametrize(
    ("payload", "label"),
    [
        ("/greet", None),
        ("/feedback_down", "👎 Not helpful"),
        ("/out_of_scope", "Something else"),
        ("/faq/what_is", "What is mesotherapy?"),
        ('/request_schedule{"x": 1}', "Plan my sessions"),
        ("/", "a button"),
    ],
)
def test_a_pressed_button_reads_as_what_it_said(payload: str, label: str | None) -> None:
    assert button_label(payload) == label


def test_the_bots_bold_and_links_become_markup_and_nothing_else() -> None:
    shown = bot_markup("Wait **one week**. See [the clinic](https://example.org/a?b=1&c=2).")
    assert str(shown) == (
        'Wait <strong>one week</strong>. See <a href="https://example.org/a?b=1&amp;c=2" '
        'rel="noopener noreferrer" target="_blank">the clinic</a>.'
    )


@pytest.mark.parametrize(
    "text",
    [
        "<script>alert(1)</script> **x**",
        "[click](javascript:alert(1))",
        '[x](https://a.example/" onmouseover="alert(1))',
        "**<img src=x onerror=alert(1)>**",
    ],
)
def test_markup_in_a_reply_stays_text(text: str) -> None:
    shown = str(bot_markup(text))
    assert "<script" not in shown and "<img" not in shown
    assert 'href="javascript' not in shown and '" onmouseover' not in shown


def test_plain_drops_the_markdown() -> None:
    assert plain("**Bold** and [a link](https://example.org)") == "Bold and a link"


GUESSES = (("What is mesotherapy?", "/faq/what_is"), ("Something else", SOMETHING_ELSE_PAYLOAD))


def test_a_transcript_for_staff() -> None:
    lines = [
        Line(1.0, "event", "new session"),
        Line(2.0, "visitor", "/greet", "greet"),
        Line(3.0, "bot", "Hello!", "utter_greet"),
        Line(4.0, "visitor", "can i sunbathe after", "faq"),
        Line(5.0, "bot", "Avoid the sun for **48 hours**.", "utter_faq/sun_after"),
        Line(6.0, "visitor", "/feedback_up", "feedback_up"),
        Line(7.0, "visitor", "**not bold** <b>", "faq"),
        Line(8.0, "staff", "Hi, Anna here", "Anna"),
        Line(
            9.0, "bot", "Was this helpful?", "", (("👍", "/feedback_up"), ("👎", "/feedback_down"))
        ),
        Line(10.0, "bot", "Did you mean…?", "", GUESSES),
    ]
    shown = readable(lines)
    assert shown == [
        Said(1.0, "event", "new session"),
        Said(3.0, "bot", "Hello!"),
        Said(4.0, "visitor", "can i sunbathe after"),
        Said(5.0, "bot", "Avoid the sun for **48 hours**.", "Can I go in the sun afterwards?"),
        Said(6.0, "visitor", "👍 Helpful", pressed=True),
        Said(7.0, "visitor", "**not bold** <b>"),
        Said(8.0, "staff", "Hi, Anna here", "Anna"),
        Said(9.0, "bot", "Was this helpful?"),  # 👍/👎 come with every answer: not listed
        Said(10.0, "bot", "Did you mean…?", offered=("What is mesotherapy?", "Something else")),
    ]
    assert str(shown[3].markup) == "Avoid the sun for <strong>48 hours</strong>."
    assert str(shown[5].markup) == "**not bold** &lt;b&gt;", "a visitor's text is never formatted"


@pytest.mark.parametrize("outcome", sorted(UNANSWERED))
def test_every_way_a_question_goes_unanswered_reads_as_words(outcome: str) -> None:
    label = outcome_label(outcome)
    assert "_" not in label and label != outcome.replace("_", " "), label


def test_a_refused_guess_reads_as_what_happened() -> None:
    assert outcome_label("clarify_refused") == 'no "did you mean…?" fitted'
