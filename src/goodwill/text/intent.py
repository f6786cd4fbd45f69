"""Intent of an inbound message: complaint, question, praise or other.

Rules, first match wins (a complaint is anything a customer-care team must act on, so it comes
before a question):

1. **complaint** — the sentiment is negative with ``score ≤ −0.25``, or the text has a care cue
   (a service failure such as *cancelled*, *delayed*, *refund*, *still waiting*, *not working*,
   *never arrived*, *charged twice*, *lost*, *broken*) and the sentiment is not positive.
2. **question** — the text has a ``?``, or starts with a question word or an auxiliary verb
   (*how*, *what*, *can you*, *is there*, …), or asks for help (*help me*, *please advise*).
3. **praise** — the sentiment is positive with ``score ≥ 0.25``, or the text thanks or loves
   (*thank*, *thx*, *love*, *awesome*, ❤️, 🙌) and the sentiment is not negative.
4. **other** — everything else.
"""

from __future__ import annotations

import re

from goodwill.text.labels import Label

__all__ = ["intent_of"]

_CARE = re.compile(
    r"\b(?:cancel+ed|cancel+ation|delay(?:ed|s)?|late|refund\w*|still waiting|waiting for|"
    r"on hold|not working|doesn'?t work|didn'?t work|won'?t work|isn'?t working|broken|broke|"
    r"never (?:arrived|received|got)|hasn'?t arrived|not (?:arrived|received|delivered)|"
    r"charged|overcharg\w*|lost|missing|damaged|stuck|stranded|error|fail\w*|crash\w*|"
    r"worst|terrible|awful|horrible|unacceptable|ridiculous|disappoint\w*|rude|complain\w*|"
    r"no one|nobody|no response|no reply|fix|issue|problem|wrong|can'?t (?:get|log|access)|"
    r"unable to|outage|down again)\b",
    re.IGNORECASE,
)
_QUESTION_START = re.compile(
    r"^\s*(?:(?:@\w+\s+)*)(?:how|what|when|where|why|who|which|can|could|is|are|do|does|did|"
    r"will|would|should|any|anyone|has|have)\b",
    re.IGNORECASE,
)
_HELP = re.compile(r"\b(?:help me|please advise|pls advise|need help|dm me|let me know)\b", re.I)
_PRAISE = re.compile(
    r"\b(?:thank\w*|thx|ty|love\w*|awesome|amazing|great|excellent|best|kudos|shout ?out|"
    r"appreciate\w*)\b|[❤♥🙌👏😍🥰💯]",
    re.IGNORECASE,
)


def intent_of(text: str, label: Label) -> str:
    """The intent of ``text`` given its sentiment ``label`` (rules in the module docstring)."""
    text = text or ""
    if label.sentiment == "negative" and label.score <= -0.25:
        return "complaint"
    if label.sentiment != "positive" and _CARE.search(text):
        return "complaint"
    if "?" in text or _QUESTION_START.search(text) or _HELP.search(text):
        return "question"
    if label.sentiment == "positive" and label.score >= 0.25:
        return "praise"
    if label.sentiment != "negative" and _PRAISE.search(text):
        return "praise"
    return "other"
