"""A callback request's details, read from what a visitor types.

Phone numbers and emails are found as everywhere else
(clinic/privacy/personal_data.py: libphonenumber in the clinic's region, so
"07700 900123" and "+44 7700 900123" are the same number and "12345" is not
one; an email checked with `email-validator`). What is kept is the normalised
form (E.164 or the normalised address), so staff see one way of writing it.

A visitor may type several details at once, in any order, straight after the
offer ("Tom, 07700 900123, weekday mornings"): `read_details` finds the
contact anywhere in the message, the time by its words (days, parts of the
day, clock times), and the name as what is left, or after "my name is".
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Literal

import phonenumbers

from clinic.names import CALLBACK_CONSENT, CALLBACK_CONTACT, CALLBACK_NAME, CALLBACK_TIME
from clinic.planner.date_words import DAY_FORM
from clinic.privacy.personal_data import Found, checked_email, find, typed_contacts
from clinic.wording import OPENING

MAX_NAME_CHARS = 80
MAX_TIME_CHARS = 120
_DAY = rf"{DAY_FORM}|weekdays?|weekends?|today|tomorrow|tonight|tmrw|tomoz"
_PART = r"(?:mornings?|afternoons?|evenings?|lunch ?(?:time)?s?|nights?|am|pm|midday|noon)"
_CLOCK = r"\d{1,2}(?:[:.]\d{2})?\s*(?:am|pm)?|\d{1,2}\s*o'?clock"
# A preferred time, as people type it: "tuesday afternoon", "after 5pm", "any time".
_TIME = re.compile(
    rf"\b(?:(?:any ?time|whenever|asap|as soon as possible|any day)(?: [a-z ]{{0,20}})?"
    rf"|(?:(?:on |this |next |in the |early |late |weekday |most |from |after |before |around |"
    rf"between |by |at |till |until )*(?:{_DAY}|{_PART}|{_CLOCK})\b"
    rf"(?:[ ,/&-]+(?:and |or |to |from |after |before |around |at |in the )*(?:{_DAY}|{_PART}|"
    rf"{_CLOCK})\b)*))",
    re.IGNORECASE,
)
# "Mr Dennis Hall", "Dr. Amy Wu": a title is part of the name the team asks for.
_TITLES = r"mr|mrs|ms|miss|mx|dr"
_TITLE = rf"(?:(?:{_TITLES})\.?\s+)?"
_NAMED = re.compile(
    r"\b(?:my name(?:'s| is)?|name(?:'s| is|\s*:)?|names|this is|call me,?|ask for)\s+"
    rf"({_TITLE}[A-Za-z][A-Za-z'-]*(?:\s+[A-Z][A-Za-z'-]*)?)\s*"
    r"(?=$|[,.;!]|\s+(?:and|on|at|my|number|"
    r"email|mobile|phone)\b|\s+\+?\d)"
    # "I'm Rob," / "it's Aisha": only a name that ends the phrase.
    rf"|\b(?:i'?m|i am|it'?s|its)\s+({_TITLE}[A-Za-z][A-Za-z'-]*(?:\s+[A-Z][A-Za-z'-]*)?)\s*"
    r"(?=$|[,.;!\u2013\u2014]|\s+[-\u2013\u2014]\s|\s+\+?\d|\s+(?:on|at)\s*$)"
    # "Greg Wallace here, could someone call me…": a capitalised name opening the message.
    r"|^\W*(?:(?:hi|hello|hey)\W+)?((?-i:[A-Z][a-z'-]+)(?:\s+(?-i:[A-Z][a-z'-]+))?)\s+here\b",
    re.IGNORECASE,
)
_CAPITALISED_BEFORE = re.compile(
    r"(?:^|[.,;:!?\u2013\u2014]\s*|\s-\s+)((?:[A-Z][a-z'-]+\s+){0,2}[A-Z][a-z'-]+)[\s,:-]*$"
)
# Words around details that are not part of a name (beside the function words below).
_NOT_NAME = frozenset(
    [
        "yes",
        "yeah",
        "yep",
        "yup",
        "ok",
        "okay",
        "sure",
        "please",
        "pls",
        "plz",
        "thanks",
        "thank",
        "cheers",
        "fine",
        "great",
        "lovely",
        "hi",
        "hello",
        "hey",
        "name",
        "names",
        "name's",
        "it's",
        "i'm",
        "im",
        "call",
        "callback",
        "ring",
        "phone",
        "email",
        "mobile",
        "number",
        "contact",
        "team",
        "reach",
        "use",
        "via",
        "best",
        "good",
        "works",
        "back",
        "get",
        "touch",
        "details",
        "go",
        "ahead",
        "number's",
        "email's",
        "mob",
        "tel",
        "sorry",
        "oops",
        "actually",
        "oh",
        "so",
        "well",
        "right",
        "erm",
        "um",
        "then",
        "keep",
        "keeping",
        # A stop said as a name is asked ("actually no, not needed", "nah leave it").
        "nah",
        "nope",
        "need",
        "needed",
        "forget",
        "leave",
        "never",
        "mind",
        "nvm",
        "nevermind",
        "worry",
        "bother",
    ]
)
MAX_NAME_WORDS = 3


@dataclass(frozen=True)
class Contact:
    """A way to reach the visitor: a phone number (E.164) or an email address."""

    kind: Literal["phone", "email"]
    value: str


def read_contact(text: str, region: str = "GB") -> Contact | None:
    """The phone number or email in `text`, or None when it holds no valid one.

    An answer with digits left over besides the number ("07911 1234567890")
    is refused rather than guessed at.
    """
    text = " ".join(text.split())[:200]
    chosen = _contact_in(find(text, region))
    if chosen is None:
        return None
    contact, typed = chosen
    if contact.kind == "phone" and any(ch.isdigit() for ch in text.replace(typed, " ")):
        return None
    return contact


def read_name(text: str) -> str | None:
    """The name to ask for: a line of 1–80 characters with a letter in it."""
    name = " ".join(text.split()).strip(" .,!")
    name = re.sub(r"^(?:my name is|i'?m|i am|it'?s|this is|call me)\s+", "", name, flags=re.I)
    if not name or len(name) > MAX_NAME_CHARS or not any(ch.isalpha() for ch in name):
        return None
    return name


def read_time(text: str) -> str | None:
    """When suits the visitor, in their words (one short line)."""
    when = " ".join(text.split()).strip()
    if not when or len(when) > MAX_TIME_CHARS:
        return None
    return when


def display(contact: str) -> str:
    """A stored contact as staff read it: phone numbers grouped the international way."""
    if contact.startswith("+"):
        try:
            number = phonenumbers.parse(contact, None)
        except phonenumbers.NumberParseException:
            return contact
        return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)
    return contact


@dataclass(frozen=True)
class CallbackDetails:
    """What one message gives of a callback request (None: not in it).

    `unusable_contact` is a number or address typed that can't be used ("12345",
    "dan@example"): the form says so rather than asking as if nothing was typed.
    """

    name: str | None = None
    contact: str | None = None  # normalised, as `read_contact` keeps it
    time: str | None = None
    consent: str | None = None  # "yes" or "no", said beside the details
    unusable_contact: bool = False
    # The name was said as one ("my name is…", "it's…"), not left over beside other details.
    named: bool = field(default=False, compare=False)

    def as_slots(self) -> dict[str, str]:
        values = {
            CALLBACK_NAME: self.name,
            CALLBACK_CONTACT: self.contact,
            CALLBACK_TIME: self.time,
            CALLBACK_CONSENT: self.consent,
        }
        return {slot: value for slot, value in values.items() if value}


# Consent said beside the details ("…, and yes you can keep my details", "whenever, and
# yes to keeping it"): only words about keeping them count, not a "yes" alone.
_KEEPING = r"(?:keep|keeping|store|storing|save|saving|hold|holding)\b"
_CONSENT_GIVEN = re.compile(
    r"\b(?:yes|yeah|ok|okay|fine|happy|sure|you can|you may|go ahead)\b"
    rf"[\w ,']{{0,25}}?\b{_KEEPING}"
    rf"|\b(?:fine|ok|okay|happy) (?:for you |with you )?to {_KEEPING}",
    re.IGNORECASE,
)
_CONSENT_REFUSED = re.compile(
    rf"\b(?:don'?t|do not|no|not|rather you didn'?t)\b[\w ,']{{0,15}}?\b{_KEEPING}", re.IGNORECASE
)


def _consent_beside(text: str) -> str | None:
    if _CONSENT_REFUSED.search(text):
        return "no"
    return "yes" if _CONSENT_GIVEN.search(text) else None


def _contact_in(found: list[Found]) -> tuple[Contact, str] | None:
    """The contact among those found, and how it was typed: the first email, else the
    first number.

    An email that email-validator refuses gives no contact (the visitor meant
    an email, so a number elsewhere in the message is not read instead).
    """
    email = next((item for item in found if item.kind == "email"), None)
    if email is not None:
        checked = checked_email(email.typed)
        return (Contact("email", checked), email.typed) if checked else None
    phone = next((item for item in found if item.kind == "phone"), None)
    return (Contact("phone", phone.value), phone.typed) if phone else None


def gives_contact(text: str, region: str = "GB") -> bool:
    """Whether the message holds a phone number or email the team could use."""
    return _contact_in(find(" ".join(text.split())[:300], region)) is not None


# Words that open a phrase like "I'm free…" or "I'm at work…", never a name.
_NOT_A_NAME_START = frozenset(
    ["free", "available", "busy", "around", "off", "back", "home", "out", "so", "really",
     "looking", "interested", "going", "working", "work", "pregnant", "usually", "still",
     "abroad", "away", "overseas", "travelling", "traveling"]
)  # fmt: skip
# English's closed classes (articles, pronouns, auxiliaries, prepositions, conjunctions):
# never a name ("evenings are best", "The"), but for two first names capitalised below.
# Listed here so that the action server needs no language library for them.
_FUNCTION_WORDS = frozenset(
    ["a", "an", "the", "and", "or", "but", "nor", "if", "of", "to", "for", "from", "with",
     "by", "at", "on", "in", "into", "onto", "about", "after", "before", "till", "until",
     "during", "since", "between", "are", "is", "was", "were", "be", "been", "being", "am",
     "do", "does", "did", "will", "would", "can", "could", "should", "shall", "may", "might",
     "must", "have", "has", "had", "i", "me", "my", "you", "your", "we", "our", "us", "he",
     "she", "him", "her", "his", "they", "them", "their", "it", "its", "this", "that",
     "these", "those", "there", "here", "what", "when", "where", "which", "who", "how",
     "any", "some", "all", "very", "too", "also", "just", "only", "not", "no", "someone",
     "somebody", "anyone", "anybody", "everyone", "everybody", "nobody", "something",
     "anything", "nothing", "everything"]
)  # fmt: skip
_WORD = re.compile(r"[A-Za-z][A-Za-z'-]*")
_TITLE_DOT = re.compile(rf"\b({_TITLES})\.", re.IGNORECASE)  # "Dr. Wu" is one phrase
# "my number is 12": digits given as the number, too few to be one, are a number to check.
_NUMBER_SAID = re.compile(
    r"\b(?:number|mobile|mob|phone|tel)(?:'s|\s+is|\s*:)?\s+(\+?\d[\d\s-]*)", re.IGNORECASE
)
# Function words that are first names too, capitalised ("Will", "May").
_FIRST_NAMES_TOO = frozenset(["will", "may"])
# Built once: every message a callback request reads checks its words against these.
_NO_NAME_WORDS = _NOT_NAME | _NOT_A_NAME_START | (_FUNCTION_WORDS - _FIRST_NAMES_TOO)


def _name_words(phrase: str) -> str | None:
    """A name phrase without words after it that are not a name ("Jo on"), or None when
    its first word is no name ("free on", "at work")."""
    said = phrase.split()
    if not said or said[0].lower() in _NO_NAME_WORDS:
        return None
    while said and said[-1].lower() in _NO_NAME_WORDS:
        said.pop()
    return " ".join(said)


def _named_words(match: re.Match[str]) -> str:
    """The words a `_NAMED` match gives as the name, whichever way it was said."""
    return next(group for group in match.groups() if group)


def _is_name_word(word: str) -> bool:
    """A word a name may have: not one of the words around names, and no word like "are"
    or "the" unless it is capitalised ("Will")."""
    lower = word.lower()
    return lower not in _NO_NAME_WORDS and (lower not in _FUNCTION_WORDS or word[0].isupper())


def _name_left(rest: str) -> str | None:
    """The first phrase of the words left that is a name and nothing else ("jess" in
    "jess, , are best, and it"): a name is said in one piece, with at most words like
    "yes" or "here" around it, and the words left are few ("yes, it's…" around a name)."""
    if len(_WORD.findall(rest)) > MAX_NAME_WORDS + 2:
        return None
    for phrase in re.split(r"[,.;:!?]", _TITLE_DOT.sub(r"\1", rest)):
        said = _WORD.findall(phrase)
        while said and not _is_name_word(said[0]):
            said.pop(0)
        while said and not _is_name_word(said[-1]):
            said.pop()
        if said and len(said) <= MAX_NAME_WORDS and all(map(_is_name_word, said)):
            return " ".join(said)
    return None


def gives_name(text: str) -> bool:
    """The message gives the visitor's name ("my name is Ahmed", "Sure, name is Dan Price")."""
    return any(_name_words(_named_words(m)) for m in _NAMED.finditer(text))


def _times_said(text: str) -> list[str]:
    """Each time said, in the visitor's words; pieces with only a space between them are
    one ("any time after" and "4" in "any time after 4")."""
    times: list[str] = []
    end = -1
    for match in _TIME.finditer(text):
        said = match.group(0).strip(" ,")
        if not said:
            continue
        if times and not text[end : match.start()].strip():
            times[-1] = f"{times[-1]} {said}"
        else:
            times.append(said)
        end = match.end()
    return times


def read_details(
    text: str, region: str = "GB", asked: str | None = None, name_alone: bool = False
) -> CallbackDetails:
    """Every detail of a callback request in one message, in any order.

    The name is the one the visitor gives ("my name is…", "it's…"), or the
    few words left once the contact, the time and words like "yes please"
    are taken out: beside a contact or a time, or alone when `name_alone`
    (the bot asked for a name, or the offer was just made). When `asked` is
    the time and nothing else was found, the whole answer is read as the time.
    """
    text = " ".join(text.split())[:300]
    consent = _consent_beside(text)
    # What is taken out leaves a comma: the words either side of it are two phrases.
    rest = _CONSENT_GIVEN.sub(", ", _CONSENT_REFUSED.sub(", ", text)) if consent else text
    contacts = find(text, region)
    contact = _contact_in(contacts)
    for item in contacts:  # a second number or address is neither a name nor a time
        rest = rest.replace(item.typed, ", ")
    unusable = [] if contact else typed_contacts(rest)
    if not (contact or unusable):
        unusable = [m.group(1).strip() for m in _NUMBER_SAID.finditer(rest)]
    for typed in unusable:
        rest = rest.replace(typed, ", ")
    times = _times_said(rest)
    when = ", ".join(times) if times else None
    for found in times:
        rest = rest.replace(found, ", ")
    # "call me then, name is Kate": the first phrase that gives a name, not "then".
    named, name = None, None
    for match in _NAMED.finditer(rest):
        given = _name_words(_named_words(match))
        if given:
            named, name = match, given
            break
    if name is None and contact:
        # "…rather than chatting here. Ken Obi, ken.obi@example.com": the capitalised words
        # right before the contact.
        beside = _CAPITALISED_BEFORE.search(text[: text.find(contact[1])])
        name = beside.group(1) if beside else None
    if name is None and (contact or when or name_alone):
        name = _name_left(rest)
    details = CallbackDetails(
        name=read_name(name) if name else None,
        contact=contact[0].value if contact else None,
        time=read_time(when) if when else None,
        consent=consent,
        unusable_contact=bool(unusable),
        named=named is not None and name is not None,
    )
    bare = not (details.name or details.contact or details.unusable_contact or consent)
    if asked == CALLBACK_TIME and details.time is None and bare:
        return CallbackDetails(time=read_time(text))
    return details


# "Actually no, …", "um, yes": a yes or no after an opening word.
_YES = re.compile(
    OPENING
    + r"(?:yes|yeah|yep|yup|ya|ok|okay|sure|fine|that'?s fine|that'?s ok|go ahead|please do|"
    r"of course|no problem|absolutely|definitely|you can|you may|keep them|agreed|i agree|"
    r"happy for you to|that'?s alright|alright)\b",
    re.IGNORECASE,
)
_NO = re.compile(
    OPENING + r"(?:no|nope|nah|don'?t|do not|i'?d rather not|rather not|i don'?t|not ok|not okay)\b"
    r"|\b(?:don'?t keep|do not keep|delete|no thanks)\b",
    re.IGNORECASE,
)


def read_consent(text: str) -> str | None:
    """A yes or a no to keeping the details, in the visitor's words ("fine", "don't keep
    them"), or None when the answer is neither."""
    if re.search(r"\b(?:don'?t|do not) mind\b", text, re.IGNORECASE):
        return "yes"
    if _NO.search(text) or _CONSENT_REFUSED.search(text):  # "I'd rather you didn't keep it"
        return "no"
    if _YES.search(text):
        return "yes"
    return None
