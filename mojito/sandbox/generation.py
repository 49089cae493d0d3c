"""Deterministic stand-ins for JobMojito's AI: question generation and text helpers.

Same input, same output, every run: no randomness, no clock. Tests can assert exact outcomes.

Question count (job-interview-create): ``interview_length`` when given (default 6), capped at 40
and at one question per 2 minutes of ``max_duration`` (1200 s -> 10, 1800 -> 15, 2700 -> 22,
3600 -> 30, 4800 -> 40).
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter

DEFAULT_QUESTION_COUNT = 6
MAX_QUESTIONS = 40
SECONDS_PER_QUESTION = 120

STOPWORDS = frozenset("""
a about above after again against all also am an and any are as at be because been before being
below between both but by can could did do does doing down during each few for from further had has
have having he her here hers herself him himself his how i if in into is it its itself just let me
more most my myself no nor not now of off on once only or other our ours ourselves out over own
same she should so some such than that the their theirs them themselves then there these they this
those through to too under until up very was we were what when where which while who whom why will
with would you your yours yourself yourselves role position job candidate candidates team work
working company looking seeking join us new good great strong ability able etc including within
across well using use used per must years year experience experienced plus ideal ideally help
build building develop developing manage managing make want need needs like based day days
""".split())


def keywords(*texts: str | None, limit: int = 20) -> list[str]:
    """Distinct meaningful words of the texts, most frequent first (ties: first seen)."""
    words: list[str] = []
    for text in texts:
        words += re.findall(r"[a-zA-Z][a-zA-Z0-9+#.\-]*[a-zA-Z0-9+#]|[a-zA-Z]{2,}", (text or "").lower())
    words = [w.strip(".-") for w in words]
    words = [w for w in words if len(w) >= 3 and w not in STOPWORDS and not w.isdigit()]
    counts = Counter(words)
    order = {w: i for i, w in reversed(list(enumerate(words)))}
    return sorted(counts, key=lambda w: (-counts[w], order[w]))[:limit]


def question_count(interview_length=None, max_duration=None) -> int:
    """How many questions job-interview-create generates (see the module docstring)."""
    count = DEFAULT_QUESTION_COUNT if interview_length in (None, "") else int(float(interview_length))
    cap = MAX_QUESTIONS
    if max_duration:
        cap = min(cap, int(max_duration) // SECONDS_PER_QUESTION)
    return max(1, min(count, cap))


STYLE_OPENERS = {
    "pre-screening": "Briefly, {}",
    "pre-screening-with-test-questions": "As a quick test: {}",
    "second-interview": "Going deeper: {}",
    "remote-freelancer-verification": "To verify your hands-on work: {}",
    "strength-based-interview": "Thinking about what energises you: {}",
    "potential-based-interview": "Looking ahead: {}",
    "process-verification-from-knowledge-base": "Following our documented process: {}",
}

SENIORITY_ANGLE = {
    "entry-level": "what you learned",
    "intermediate": "the decisions you made",
    "senior": "the trade-offs you weighed",
    "managerial": "how you led the people involved",
    "director": "how you set direction for several teams",
    "executive": "the impact on the whole organisation",
}

TOPIC_TEMPLATES = (
    "tell us about a time you used {kw} to solve a real problem, and {angle}.",
    "how would you explain {kw} to a new colleague, and where have you applied it?",
    "describe a project where {kw} was critical. What was your part, and {angle}?",
    "what is the hardest {kw} challenge you have faced, and how did you handle it?",
    "which mistakes do people commonly make with {kw}, and how do you avoid them?",
)

GENERAL_QUESTIONS = (
    "why does the {name} role interest you, and what would you bring to it?",
    "walk us through your most relevant experience for {name}.",
    "tell us about a time you received difficult feedback and what you changed afterwards.",
    "how do you prioritise when several urgent tasks arrive at once?",
    "describe a situation where you had to learn something new quickly.",
    "what would your first 90 days as {name} look like?",
    "tell us about a disagreement with a colleague and how you resolved it.",
    "what does excellent work look like to you in this position?",
)


def _capitalise(text: str) -> str:
    return text[:1].upper() + text[1:]


def generate_questions(*, name: str, description: str | None = None, candidate_expectations: str | None = None,
                       seniority_level: str | None = None, interview_type: str | None = None,
                       count: int = DEFAULT_QUESTION_COUNT, mojito_language_code: str = "en") -> list[dict]:
    """``count`` questions built from the name, description and expectations (ids not included)."""
    topics = keywords(candidate_expectations, description, name, limit=count)
    angle = SENIORITY_ANGLE.get(seniority_level or "", "what the outcome was")
    opener = STYLE_OPENERS.get(interview_type or "pre-screening", "{}")
    seed = int(hashlib.sha256(f"{name}|{description}|{candidate_expectations}".encode()).hexdigest(), 16)
    questions = []
    general_index = seed % len(GENERAL_QUESTIONS)
    for i in range(count):
        if i < len(topics):
            template = TOPIC_TEMPLATES[(seed + i) % len(TOPIC_TEMPLATES)]
            text = template.format(kw=topics[i], angle=angle)
            label = topics[i]
        else:
            text = GENERAL_QUESTIONS[(general_index + i) % len(GENERAL_QUESTIONS)].format(name=name)
            label = "general"
        text = _capitalise(opener.format(text) if i == 0 else text)
        if i >= len(GENERAL_QUESTIONS) + len(topics):
            text = f"{text} (part {i + 1})"
        questions.append({"question": text, "label": label, "duration": 120,
                          "mojito_language_code": mojito_language_code})
    return questions


def generate_description(name: str, location: str | None = None) -> str:
    where = f" in {location}" if location else ""
    return (f"We are hiring a {name}{where}. This short AI interview covers your experience "
            f"and how you approach the work.")


def generate_expectations(name: str, description: str | None, candidate_expectations: str | None) -> dict:
    topics = keywords(candidate_expectations, description, name, limit=9)
    return {
        "weak": [f"Knows the basics of {t}" for t in topics[0:3]] or [f"Understands the {name} role"],
        "moderate": [f"Has applied {t} in real projects" for t in topics[3:6]] or ["Gives concrete examples"],
        "strong": [f"Shows depth and leadership in {t}" for t in topics[6:9]] or ["Shows measurable impact"],
    }
