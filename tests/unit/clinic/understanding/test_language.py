"""Whether a visitor writes in another language, and which one the bot should name."""

from __future__ import annotations

import pytest

from clinic.names import OTHER_LANGUAGE
from clinic.understanding.language import UNKNOWN, other_language


@pytest.mark.parametrize(
    ("message", "code"),
    [
        ("¿Cuántas sesiones necesito para las estrías?", "es"),
        ("Combien de séances faut-il pour les rides?", "fr"),
        ("Ile kosztuje zabieg mezoterapii?", "pl"),
        ("Bore da, faint o sesiynau sydd eu hangen?", "cy"),
        ("Merhaba, kaç seans gerekiyor?", "tr"),
        ("Olá, quantas sessões preciso?", "pt"),
    ],
)
def test_a_message_the_classifier_hears_as_another_language_is_named(
    message: str, code: str
) -> None:
    assert other_language(message, OTHER_LANGUAGE, 0.9) == code


@pytest.mark.parametrize(
    ("message", "code"),
    [
        ("كم عدد الجلسات التي أحتاجها؟", "ar"),
        ("Сколько стоит процедура?", "ru"),
        ("Πόσες συνεδρίες χρειάζομαι;", "el"),
        ("多少钱一次治疗", "zh"),
    ],
)
def test_another_script_is_another_language_whatever_the_classifier_read(
    message: str, code: str
) -> None:
    assert other_language(message, "faq", 0.95) == code


@pytest.mark.parametrize(
    "message", ["cheers m8", "lol ok whats meso then", "hiya hun how much for ur face"]
)
def test_chatty_english_is_english_even_when_the_classifier_hears_another_language(
    message: str,
) -> None:
    assert other_language(message, OTHER_LANGUAGE, 0.9) is None


@pytest.mark.parametrize("message", ["hola", "merci", "你好"])
def test_a_word_or_two_is_too_little_to_tell(message: str) -> None:
    assert other_language(message, OTHER_LANGUAGE, 0.99) is None


def test_gibberish_the_classifier_reads_as_out_of_scope_is_no_language() -> None:
    assert other_language("asdfghjkl qwerty zxcvb", "out_of_scope", 0.6) is None


def test_a_sure_english_reading_of_a_latin_message_stands() -> None:
    assert other_language("Quanto costa una seduta per il viso?", "faq", 0.95) is None


def test_the_detector_alone_names_a_language_the_classifier_was_unsure_of() -> None:
    message = "Quanto costa una seduta per il viso?"
    assert other_language(message, OTHER_LANGUAGE, 0.3) == "it"
    assert other_language(message, "faq", 0.4) == "it"


def test_a_language_the_detector_hears_as_english_is_unknown() -> None:
    assert other_language("gorgeous treatment lovely clinic", OTHER_LANGUAGE, 0.9) == UNKNOWN
