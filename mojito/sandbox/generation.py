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

from mojito.vocabulary import DecisionStatus as D
from mojito.vocabulary import EducationLevel as E
from mojito.vocabulary import InterviewStyle as S
from mojito.vocabulary import LanguageLevel as L
from mojito.vocabulary import CUSTOM_RULE_PREFIX, PreScreeningType, RuleAction, RuleId, RuleType, SeniorityLevel

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
    S.PRE_SCREENING.value: "Briefly, {}",
    "pre-screening-with-test-questions": "As a quick test: {}",
    "second-interview": "Going deeper: {}",
    "remote-freelancer-verification": "To verify your hands-on work: {}",
    "strength-based-interview": "Thinking about what energises you: {}",
    "potential-based-interview": "Looking ahead: {}",
    "process-verification-from-knowledge-base": "Following our documented process: {}",
}

SENIORITY_ANGLE = {
    SeniorityLevel.ENTRY_LEVEL.value: "what you learned",
    SeniorityLevel.INTERMEDIATE.value: "the decisions you made",
    SeniorityLevel.SENIOR.value: "the trade-offs you weighed",
    SeniorityLevel.MANAGERIAL.value: "how you led the people involved",
    SeniorityLevel.DIRECTOR.value: "how you set direction for several teams",
    SeniorityLevel.EXECUTIVE.value: "the impact on the whole organisation",
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
    opener = STYLE_OPENERS.get(interview_type or S.PRE_SCREENING, "{}")
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


# --- pre-screening ------------------------------------------------------------------------------

DEFAULT_ACCEPT = 7
DEFAULT_REJECT = 3
EDUCATION_ORDER = tuple(E.values)  # lowest first
LANGUAGE_LEVELS = tuple(L.values)  # lowest first
LEVEL_SYNONYMS = {"native": L.FLUENT.value, "mother tongue": L.FLUENT.value, "bilingual": L.FLUENT.value,
                  "basic": L.BEGINNER.value, "proficient": L.ADVANCED.value}  # candidates' words the form level field (a plain string) may carry


def _level(value) -> str:
    text = (value or "").strip().lower()
    return LEVEL_SYNONYMS.get(text, text)
EU_COUNTRIES = frozenset("AT BE BG HR CY CZ DK EE FI FR DE GR HU IE IT LV LT LU MT NL PL PT RO SK SI ES SE".split())
EDUCATION_PATTERNS = (
    (E.DOCTORATE.value, r"\b(ph\.?\s?d|doctorate|doctoral)\b"),
    (E.MASTERS.value, r"\b(master'?s?|msc|m\.sc|mba|meng|m\.eng)\b"),
    (E.BACHELORS.value, r"\b(bachelor'?s?|bsc|b\.sc|beng|b\.eng|undergraduate degree)\b"),
    (E.VOCATIONAL.value, r"\b(vocational|apprenticeship|trade school)\b"),
    (E.HIGH_SCHOOL.value, r"\b(high school|secondary school|a-levels|diploma)\b"),
)


def years_of_experience(text: str) -> int:
    """The largest "N years" / "N+ yrs" found in the text (0 when none)."""
    found = [int(n) for n in re.findall(r"\b(\d{1,2})\s*\+?\s*(?:years?|yrs?)\b", (text or "").lower())]
    return max(found, default=0)


def education_level(text: str) -> str | None:
    lowered = (text or "").lower()
    for level, pattern in EDUCATION_PATTERNS:
        if re.search(pattern, lowered):
            return level
    return None


def _rank(value, order) -> int:
    try:
        return order.index((value or "").lower())
    except ValueError:
        return -1


def _form_rule(rule: dict, form: dict, country_code: str | None) -> str | None:
    """Why a screening form rule fails (None = passes)."""
    rule_id = rule["id"]
    if rule_id in (RuleId.FORM_NATIONALITY, RuleId.FORM_RESIDENCY):
        key = rule_id.split("_", 1)[1]
        country = (form.get(key) or country_code or "").upper()
        allowed = {c.upper() for c in rule.get("country") or []}
        if not country:
            return f"{key} not given"
        if country in allowed or (rule.get("country_eu") and country in EU_COUNTRIES) or (
                not allowed and not rule.get("country_eu")):
            return None
        return f"{key} {country} is not accepted"
    if rule_id in (RuleId.FORM_EDUCATION, RuleId.FORM_EDUCATION_BY_COUNTRY):
        need = rule.get("education")
        if need and _rank(form.get("education"), EDUCATION_ORDER) < _rank(need, EDUCATION_ORDER):
            return f"education {form.get('education') or 'not given'} is below {need}"
        return None
    if rule_id == RuleId.FORM_LANGUAGES:
        spoken = {(item or {}).get("code"): (item or {}).get("level") for item in form.get("languages") or []}
        for need in rule.get("languages") or []:
            have = spoken.get(need.get("code"))
            if _rank(_level(have), LANGUAGE_LEVELS) < _rank(_level(need.get("level") or L.BEGINNER), LANGUAGE_LEVELS):
                return f"language {need.get('code')} at level {need.get('level')} required (has {have or 'none'})"
        return None
    if rule_id == RuleId.FORM_AGE:
        age = form.get("age")
        if not isinstance(age, (int, float)):
            return "age not given"
        if rule.get("age_min") is not None and age < rule["age_min"]:
            return f"age {age} is below {rule['age_min']}"
        if rule.get("age_max") is not None and age > rule["age_max"]:
            return f"age {age} is above {rule['age_max']}"
        return None
    if rule_id == RuleId.FORM_GENDER:
        if rule.get("gender") and form.get("gender") not in rule["gender"]:
            return f"gender {form.get('gender') or 'not given'} is not accepted"
        return None
    if rule_id == RuleId.FORM_VISA:
        if rule.get("visa") and form.get("visa") not in rule["visa"]:
            return f"visa {form.get('visa') or 'not given'} is not accepted"
        return None
    if rule_id in (RuleId.FORM_COVER_LETTER, RuleId.FORM_NATIONAL_ID) or rule_id.startswith(CUSTOM_RULE_PREFIX):
        return None if form.get(rule_id.removeprefix("form_")) or form.get(rule_id) else f"{rule_id} not given"
    return None


def screen(position: dict, resume: str, form: dict | None = None, country_code: str | None = None) -> dict:
    """Deterministic pre-screening of a résumé against a position and its assessment rules.

    Score (0-10) = share of the position's keywords found in the résumé x 7 + min(years, 10) x 0.3.
    ``resume_match`` thresholds (default accept >= 7, reject < 3; reject 0 disables) give
    ai_accept / recruiter_action / ai_reject; a failed rule with action ``reject`` rejects, one with
    ``mark_for_review`` caps the decision at recruiter_action.
    """
    form = form or {}
    resume = resume or ""
    lowered = resume.lower()
    wanted = keywords(position.get("name"), position.get("description"), position.get("description_long"),
                      position.get("candidate_expectations"), limit=15)
    resume_words = set(re.findall(r"[a-z0-9+#.\-]+", lowered))
    matched = [k for k in wanted if k in resume_words or (not k.isalpha() and k in lowered)]
    ratio = len(matched) / len(wanted) if wanted else 0.5
    years = years_of_experience(resume)
    education = education_level(resume)
    score = round(min(10.0, ratio * 7 + min(years, 10) * 0.3), 1)

    rules = {r.get("id"): r for r in position.get("assessment_rules") or [] if isinstance(r, dict)}
    match_rule = rules.get(RuleId.RESUME_MATCH, {})
    accept = match_rule.get("resume_score_accept", DEFAULT_ACCEPT)
    reject = match_rule.get("resume_score_reject", DEFAULT_REJECT)
    if score >= accept:
        decision = D.AI_ACCEPT.value
    elif reject and score < reject:
        decision = D.AI_REJECT.value
    else:
        decision = D.RECRUITER_ACTION.value

    failures: list[tuple[str, str]] = []  # (action, reason)
    if decision == D.AI_REJECT:
        failures.append(("reject", f"résumé match score {score} is below {reject}"))
    tech = rules.get(RuleId.RESUME_TECHNICAL_EXPERIENCE)
    if tech and tech.get("technical_experience_years") and years < tech["technical_experience_years"]:
        failures.append((tech.get("action") or RuleAction.MARK_FOR_REVIEW,
                         f"{years} years of experience found, {tech['technical_experience_years']} required"))
    for rule_id in (RuleId.RESUME_EDUCATION, RuleId.RESUME_EDUCATION_BY_COUNTRY):
        rule = rules.get(rule_id)
        if rule and rule.get("type") in (None, RuleType.SCREENING) and rule.get("education"):
            if _rank(education, EDUCATION_ORDER) < _rank(rule["education"], EDUCATION_ORDER):
                failures.append((rule.get("action") or RuleAction.MARK_FOR_REVIEW,
                                 f"education {education or 'not found'} is below {rule['education']}"))
    if position.get("type") in (PreScreeningType.FORM, PreScreeningType.RESUME_WITH_FORM):
        for rule_id, rule in rules.items():
            if rule_id and (rule_id.startswith("form_") or rule_id.startswith(CUSTOM_RULE_PREFIX)) \
                    and rule.get("type") == RuleType.SCREENING:
                reason = _form_rule(rule, form, country_code)
                if reason:
                    failures.append((rule.get("action") or RuleAction.MARK_FOR_REVIEW, reason))
    if any(action == RuleAction.REJECT for action, _ in failures):
        decision = D.AI_REJECT.value
    elif failures and decision == D.AI_ACCEPT:
        decision = D.RECRUITER_ACTION.value

    missing = [k for k in wanted if k not in matched]
    analysis = (f"The résumé matches {len(matched)} of {len(wanted)} key requirements of "
                f"{position.get('name') or 'the position'}"
                + (f" ({', '.join(matched[:8])})" if matched else "") + ". "
                + (f"Not found: {', '.join(missing[:8])}. " if missing else "")
                + f"{years} years of experience found. Education: {education or 'not stated'}. "
                + f"Match score {score}/10.")
    if failures:
        analysis += " Screening rules: " + "; ".join(reason for _, reason in failures) + "."
    return {
        "decision_status": decision,
        "recommendation": decision,
        "pre_screening_score": score,
        "resume_ai_analysis": analysis,
        "resume_ai_education": education,
        "resume_ai_technical_experience": years,
        "resume_ai_is_switching_profession": bool(re.search(r"career (change|switch)|switching (career|profession)",
                                                            lowered)),
        "processing_reason": "; ".join(reason for _, reason in failures) or None,
    }
