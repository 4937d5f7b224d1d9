"""Whether a visitor writes in another language, and which one.

Two opinions: the bot's own classifier, which learns other-language messages
as an intent of their own, decides whether a message in the Latin alphabet
is in another language (short English such as "thx" or "cheers m8", and
gibberish, fool any language detector); a message mostly in another script
(Arabic, Chinese, Cyrillic…) is in another language by that alone. Which
language is then lingua's answer (a maintained language-identification
library whose models ship in its wheel), in its low-accuracy mode: trigram
models only, about 40 MB for the languages below, a fraction of a
millisecond a message.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache
from typing import Any

from clinic.names import OTHER_LANGUAGE
from clinic.understanding.segments import words

# ISO 639-1 codes of the languages the detector chooses from: English and the
# languages most spoken in the UK besides it.
LANGUAGES = (
    "en", "fr", "es", "de", "it", "pt", "pl", "ro", "nl", "ar", "zh", "ru", "uk", "tr",
    "lt", "cy", "ur", "hi", "el", "pa", "bn", "fa", "gu", "so", "sv", "cs", "hu", "bg",
)  # fmt: skip
UNKNOWN = "xx"  # another language, but which one the detector can't say: reply in English
MIN_CLASSIFIER_CONFIDENCE = 0.5
MIN_WORDS = 2
# Without the classifier's word for it: how sure the detector must be, on how many words.
SURE = 0.9
MIN_WORDS_ALONE = 4
ENGLISH_UNSURE = 0.9
MIN_LETTERS = 6
# Text this much made of common English (and chat) words is English, whatever
# the detector says of it ("lol ok whats meso then").
ENGLISH_SHARE = 0.3
COMMON_ENGLISH = frozenset(
    """a about after again all am an and any are as at be been before but by can cant could
    did do does dont for from get go got had has have he her hi hello hey how i if im in is isnt
    it its ive just know like lol me meso mesotherapy my need no not now of ok okay on or our
    please pls so that the then there they this to u up ur want was wat we well what whats when
    where which who why will with would ya yeah yes yo you your thanks thx ta cheers mate hun
    hiya bye skin face session sessions treatment injections much many long hurt""".split()  # noqa: SIM905
)


@lru_cache(maxsize=1)
def detector() -> Any:
    """Built once per process (well under a second); thread-safe for reading."""
    from lingua import IsoCode639_1, Language, LanguageDetectorBuilder

    languages = [
        Language.from_iso_code_639_1(getattr(IsoCode639_1, code.upper())) for code in LANGUAGES
    ]
    return (
        LanguageDetectorBuilder.from_languages(*languages)
        .with_low_accuracy_mode()
        .with_preloaded_language_models()
        .build()
    )


def _latin_share(letters: list[str]) -> float:
    return sum("LATIN" in unicodedata.name(char, "") for char in letters) / len(letters)


def other_language(text: str, english_reading: str, english_confidence: float) -> str | None:
    """The ISO code of the language `text` is in, when that is surely not English; else None.

    `english_reading` and `english_confidence` are the English classifier's
    intent and how sure it is: it knows other-language messages
    (`other_language`, data/nlu/other_language.yml) and gibberish
    (`out_of_scope`), which the detector would read as some language.
    """
    letters = [char for char in text if char.isalpha()]
    if len(letters) < MIN_LETTERS:
        return None
    if _latin_share(letters) < 0.5:
        return _detected(text) or UNKNOWN
    found = [word.lower().replace("'", "") for word in words(text)]
    english = sum(word in COMMON_ENGLISH for word in found)
    if len(found) < MIN_WORDS or english >= ENGLISH_SHARE * len(found):
        return None
    if english_reading == OTHER_LANGUAGE and english_confidence >= MIN_CLASSIFIER_CONFIDENCE:
        return _detected(text) or UNKNOWN
    # The classifier read something English into it, unsurely: the detector alone
    # must then be sure, on a few words (gibberish is out of scope, never this).
    unsure = english_reading != "out_of_scope" and english_confidence < ENGLISH_UNSURE
    if unsure and len(found) >= MIN_WORDS_ALONE:
        return _detected(text, SURE)
    return None


def _detected(text: str, at_least: float = 0.0) -> str | None:
    """lingua's language for `text`, unless it is English or less sure than `at_least`."""
    best = detector().compute_language_confidence_values(text)[0]
    code = str(best.language.iso_code_639_1.name).lower()
    return code if code != "en" and best.value >= at_least else None
