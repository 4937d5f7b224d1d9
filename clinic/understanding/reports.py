"""Whether a statement reports a problem the visitor has now, after a treatment.

Inside a long message, the classifier reads "my cousin ended up with lumps"
or "I'm terrified of needles" as a report of a reaction as readily as "I've
had bruises since my session on Saturday". A statement counts as a report
only when it names a problem (swelling, bruising, a rash, pain, infection…)
and ties it to the visitor's own treatment or to now, and is not about
someone else's experience. Whole short messages are routed by the classifier
alone, as before: this check is for the parts of a longer message.
"""

from __future__ import annotations

import re

_PROBLEM = re.compile(
    r"\b(?:swell\w*|swollen|bruis\w*|red(?:ness)?|rash\w*|itch\w*|pain\w*|hurt\w*|sore\w*|"
    r"tender\w*|lump\w*|bump\w*|infect\w*|pus|puss|yellow heads?|burn\w*|bleed\w*|blister\w*|"
    r"allerg\w*|reaction|numb\w*|throbb\w*|weep\w*|ooz\w*|scab\w*|hot to (?:the )?touch|"
    r"fever\w*|temperature|blotch\w*|hives|welts?|discolou?r\w*|dizz\w*|faint\w*|"
    r"can'?t breathe|breathing|wrong|weird|strange|not right|unwell|sick|worse|badly|bad reaction|"
    r"puffy|puffed|raw|peel(?:ing|ed)|flak\w*|sting\w*|tight|lumpy|ache\w*|"
    r"(?<!age )(?<!dark )(?<!sun )(?<!brown )spots|dots|(?<!stretch )marks|pin ?pricks?)\b",
    re.I,
)
# "since my session", "after the treatment": a problem tied to the visitor's treatment.
_SINCE_TREATMENT = (
    r"\b(?:since|after) (?:my|the) (?:treatment|session|appointment|injections?|meso\w*|procedure)"
)
_MINE_NOW = re.compile(
    "|".join(
        [
            _SINCE_TREATMENT,
            r"\bsince (?:i had|i got|then|yesterday|last)\b",
            r"\bi (?:had|got|have had|'ve had|ve had) (?:it|the treatment|mesotherapy|meso\w*|"
            r"injections?|my (?:first |second |last )?(?:session|treatment|appointment))",
            r"\b(?:yesterday|this morning|last night|today|tonight|days? ago)\b",
            r"\bon (?:mon|tues|wednes|thurs|fri|satur|sun)day\b",
            r"\bwhere (?:the )?(?:needles?|injections?) went in|\binjection sites?\b",
            r"\bmy (?:face|skin|scalp|cheeks?|forehead|neck|lips?|eyes?) "
            r"(?:is|are|has|have|feels?|looks?|went|came|gone)"
            r"(?: (?:still|really|so|very|all|quite|a bit|come|gone|been|up))* "
            r"(?:swollen|red|bruised|sore|burning|itchy|lumpy|puffy|hot|raw|infected|bumpy|"
            r"painful|tight|numb|blotchy)\b",
            r"\bi(?:'m| am) (?:in pain|swollen|bruised)\b|\bit(?:'s| is) (?:still|getting)\b",
        ]
    ),
    re.I,
)
_OTHERS = (
    r"(?:friend|mate|cousin|sister|mum|mom|mother|aunt|colleague|partner|husband|wife|neighbour|"
    r"neighbor|daughter|son|boss|girlfriend|boyfriend|nan|gran|grandma|dad|father|brother)"
)
_SOMEONE_ELSE = re.compile(
    rf"^\W*(?:my {_OTHERS}|a (?:friend|colleague)|someone|she|he|they)\b"
    rf"|\bmy {_OTHERS}'?s? (?:was|is|has|had|got|came|ended|went|looked)\b"
    r"|\b(?:her|his|their) (?:treatment|session|appointment|injections?|face|skin|lips?)\b"
    r"|\bafter (?:hers|his|theirs)\b|\b(?:years? ago|as a teenager|when i was)\b",
    re.I,
)
# A question about what might happen ("will my face be swollen after?") reports
# nothing unless it also states what is there now ("is it normal my face is swollen?").
_ASKS = re.compile(
    r"^\W*(?:will|would|could|can|does|do|how|what|when|is|are|should|might|may)\b", re.I
)
_NOW_STATED = re.compile(
    r"\b(?:i have|i've got|ive got|i got|i've had|ive had|i'm|im|i am|there'?s|there is|"
    r"there are|my (?:face|skin|scalp|cheeks?|forehead|neck|lips?|eyes?|eyelids?) "
    r"(?:is|are|has|have|feels?|looks?|went|came|gone|keeps?))\b",
    re.I,
)


_FEARED = re.compile(
    r"\b(?:scared|afraid|terrified|nervous|worried|worry|fear\w*|what if|in case|risk of|chance of|"
    r"used to seeing|don'?t want|avoid|the thought of|makes me feel|at the sight of)\b",
    re.I,
)
_SENTENCES = re.compile(r"(?<=[.!?])\s+|\n+")
# "my cheeks are red all the time": a lasting condition, not a problem since a treatment,
# unless the sentence ties it to one ("red constantly since my session").
_LASTING = re.compile(
    r"\b(?:all the time|always|constantly|for (?:years|ages)|since (?:i was|childhood|my teens)|"
    r"naturally|my whole life)\b",
    re.I,
)


# "no bruising at all", "not even sore", "didn't get any swelling": a problem denied.
_DENIED_BEFORE = re.compile(r"\b(?:no|not|without|never|zero|any|nor)\s+(?:\w+\s+){0,2}$", re.I)


def _named_problem(sentence: str) -> re.Match[str] | None:
    """The first problem the sentence names without denying it."""
    for problem in _PROBLEM.finditer(sentence):
        if not _DENIED_BEFORE.search(sentence[: problem.start()]):
            return problem
    return None


def _is_own_problem(sentence: str) -> bool:
    problem = _named_problem(sentence)
    if not problem or _SOMEONE_ELSE.search(sentence):
        return False
    if _LASTING.search(sentence) and not re.search(_SINCE_TREATMENT, sentence, re.I):
        return False
    if _ASKS.search(sentence) and not _NOW_STATED.search(sentence):
        return False
    feared = _FEARED.search(sentence)
    return not (feared and feared.start() < problem.start())


def names_a_problem(text: str) -> bool:
    """Any word for something wrong with the skin or the body: a report names one."""
    return bool(_PROBLEM.search(text))


def reports_a_problem(text: str) -> bool:
    """A problem named and tied, in that sentence or the one next to it, to the visitor's own
    treatment or to now, and not about someone else or a fear of it."""
    sentences = [part for part in _SENTENCES.split(text) if part.strip()]
    for index, sentence in enumerate(sentences):
        if not _is_own_problem(sentence):
            continue
        nearby = sentences[max(0, index - 1) : index + 2]
        if any(_MINE_NOW.search(part) for part in nearby):
            return True
    return False
