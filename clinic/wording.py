"""Words visitors put before an answer, read alike by every form.

The planner's "ok then none" and the callback request's "actually no, don't
keep it" open the same way; one pattern says how.
"""

from __future__ import annotations

# Filler before a short answer: "ok then none", "actually no", "um, yes", "sorry, nothing".
OPENING = (
    r"^\W*(?:(?:ok(?:ay)?|oh|well|um+|erm+|hmm+|so|then|right|fine|alright|yeah|actually|sorry)"
    r"\b\W*)*"
)
