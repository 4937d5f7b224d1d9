"""Whether a statement reports a problem the visitor has now, after their own treatment."""

from __future__ import annotations

import pytest

from clinic.understanding.reports import names_a_problem, reports_a_problem


@pytest.mark.parametrize(
    "statement",
    [
        "I've had bruises since my session on Saturday",
        "my face is really swollen and it's hot to the touch",
        "my cheeks are itchy and red since the treatment",
        "The injection sites are still sore today",
        "i had meso 2 days ago n my forehead feels numb",
        "ive had a rash since my appointment and it's spreading",
        "my cheeks have been red constantly since my session",
    ],
)
def test_a_problem_tied_to_the_visitor_s_treatment_or_to_now_is_a_report(statement: str) -> None:
    assert reports_a_problem(statement)


@pytest.mark.parametrize(
    "statement",
    [
        "my cousin ended up with lumps",
        "My friend had mesotherapy and she got a rash afterwards",
        "She had swelling after her treatment yesterday",
        "Since my sister's session she has had a rash",
        "I got a bad rash as a teenager from a cream, since then i've been careful",
        "can it treat rosacea? my cheeks are red all the time",  # a lasting condition
    ],
)
def test_someone_else_s_problem_or_an_old_one_is_not_a_report(statement: str) -> None:
    assert names_a_problem(statement)
    assert not reports_a_problem(statement)


@pytest.mark.parametrize(
    "statement",
    [
        "I'm terrified of bruising after my session",
        "Is there a risk of bruising after the treatment?",
        "what if I get swelling after my session",
        "I don't want bruising before my wedding, I have it booked for the 10th",
    ],
)
def test_a_fear_of_a_problem_is_not_a_report(statement: str) -> None:
    assert not reports_a_problem(statement)


@pytest.mark.parametrize(
    "statement",
    [
        "I'm terrified of needles",
        "I had the treatment last month and loved it",
        "My skin is sensitive. I had my treatment three days ago.",
    ],
)
def test_a_treatment_without_a_problem_is_not_a_report(statement: str) -> None:
    assert not names_a_problem(statement)
    assert not reports_a_problem(statement)


def test_a_problem_tied_to_the_treatment_in_the_next_sentence_is_a_report() -> None:
    assert reports_a_problem(
        "I had mesotherapy on my scalp on Friday. There are little red bumps everywhere."
    )


def test_a_problem_far_from_the_treatment_it_follows_is_not_a_report() -> None:
    story = (
        "I had mesotherapy on my scalp on Friday. I went out for dinner after. "
        "It was my birthday. There are little red bumps everywhere."
    )
    assert not reports_a_problem(story)


def test_a_problem_without_the_visitor_s_treatment_or_now_is_not_a_report() -> None:
    assert names_a_problem("I bruise easily, is that a problem?")
    assert not reports_a_problem("I bruise easily, is that a problem?")


@pytest.mark.parametrize(
    "question",
    [
        "will my face be swollen after the treatment?",
        "how long does the swelling last after the treatment?",
        "Will it hurt after the injections?",
    ],
)
def test_a_question_about_what_may_happen_after_a_treatment_is_not_a_report(
    question: str,
) -> None:
    assert not reports_a_problem(question)


@pytest.mark.parametrize(
    "statement",
    [
        "After her treatment yesterday my mum was really swollen",
        "Yesterday my sister came out in a rash after hers",
    ],
)
def test_someone_else_named_later_in_the_sentence_is_not_a_report(statement: str) -> None:
    assert not reports_a_problem(statement)
