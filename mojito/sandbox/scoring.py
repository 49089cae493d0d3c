"""Deterministic stand-in for JobMojito's AI answer scoring.

Same answers in, same scores out: no randomness, no clock. Each answer gets 1-5 on the legacy
rubric (1 missed the point, 2 partial, 3 adequate, 4 strong, 5 exceptional) from its length,
overlap with the question's and the interview's keywords, and specificity (numbers, examples).
The overall ``score`` is on 0-10 (mean x 2, like the reference's example 5.12) and the recruiter AI
score (``score_interview_ai`` / webhook ``ai_analysis_recruiter_score``) on 1-5 (example 4.212).
"""

from __future__ import annotations

import hashlib
import re

WORD = re.compile(r"[\w'-]+", re.UNICODE)
STOPWORDS = frozenset(
    "a an and are as at be been by can could did do does for from had has have how i if in into is it "
    "its me my of on or our so than that the their them then there these they this to was we were what "
    "when where which who why will with would you your about tell describe time give example".split()
)
SPECIFICS = re.compile(r"\d|%|\bfor example\b|\bfor instance\b|\bmeasured\b|\bresult(ed)?\b", re.IGNORECASE)
WORDS_PER_SECOND = 2.3

FILLER_SENTENCES = (
    "In my last role I owned this end to end and reported progress every week.",
    "We measured the outcome and improved it by about {n}% within {m} months.",
    "I worked closely with {k} colleagues and documented what we learned.",
    "If I did it again I would involve the stakeholders earlier.",
)


def keywords(text: str | None) -> set[str]:
    return {w.lower() for w in WORD.findall(text or "") if len(w) > 3 and w.lower() not in STOPWORDS}


def _seed(*parts: str) -> int:
    return int(hashlib.sha256("|".join(parts).encode("utf-8")).hexdigest()[:8], 16)


def plausible_answer(question: dict, seed: str = "") -> str:
    """A believable candidate answer for a question, the same every time for the same seed.

    Quality varies with the seed (about one in five vague, two in five plain, two in five strong)
    so a demo shows a spread of scores."""
    if question.get("is_multiple_choice") and question.get("question_alternatives"):
        choices = question["question_alternatives"]
        return choices[_seed(seed, question.get("question", "")) % len(choices)]
    text = question.get("question") or ""
    topic = sorted(keywords(text))[:3]
    h = _seed(seed, text)
    quality = h % 5
    if quality == 0:
        return "I think I would just handle it as it comes."
    opening = f"About {', '.join(topic)}: " if topic else ""
    if quality in (1, 2):
        return opening + "I have done this before in my last role and it went well overall."
    body = " ".join(
        s.format(n=10 + h % 40, m=2 + h % 10, k=2 + h % 6) for s in FILLER_SENTENCES[: 2 + h % 3]
    )
    return opening + body


def score_answer(question: dict, answer: str | None, context_words: set[str] = frozenset()) -> int:
    """1-5 for one answer."""
    answer = (answer or "").strip()
    if not answer:
        return 1
    if question.get("is_multiple_choice") and question.get("question_alternatives"):
        return 4 if answer in question["question_alternatives"] else 1
    words = WORD.findall(answer)
    n = len(words)
    points = 1
    points += 1 if n >= 8 else 0
    points += 1 if n >= 30 else 0
    relevant = (keywords(question.get("question")) | set(context_words)) & {w.lower() for w in words}
    points += 1 if relevant else 0
    points += 1 if SPECIFICS.search(answer) else 0
    return max(1, min(5, points))


def duration_ds(answer: str | None) -> int:
    """Speaking time of an answer in deciseconds."""
    return int(round(len(WORD.findall(answer or "")) / WORDS_PER_SECOND * 10)) or 10


ANALYSIS = {
    1: "The answer does not address the question.",
    2: "The answer touches the question but stays vague.",
    3: "An adequate, correct answer with limited detail.",
    4: "A strong answer with relevant, concrete detail.",
    5: "An exceptional answer: specific, measured and well structured.",
}
ANALYSIS_RECRUITER = {
    1: "Missed the point; probe again in a follow-up.",
    2: "Partial answer; lacks evidence of hands-on experience.",
    3: "Adequate; meets the bar without standing out.",
    4: "Strong; gives concrete evidence of relevant experience.",
    5: "Expert level; quantified outcomes and clear ownership.",
}


def evaluate(interview: dict, questions: list[dict], answers: list[str | None], *, result_id: str,
             language: str | None = None) -> dict:
    """Score an interview: the result fields to merge into the result record.

    Returns score fields, analyses, hiring reasons and the transcript rows (an avatar question turn
    and a candidate answer turn per question, job-interview-details shape).
    """
    context = keywords(" ".join(str(interview.get(k) or "") for k in ("name", "description", "interview_description_long", "candidate_expectations")))
    language = language or interview.get("mojito_language_code") or "en"
    transcript: list[dict] = []
    scored: list[tuple[dict, int]] = []
    total_ds = 0
    for index, question in enumerate(questions):
        answer = answers[index] if index < len(answers) else None
        qid = question.get("id")
        q_lang = question.get("mojito_language_code") or language
        asked_ds = duration_ds(question.get("question"))
        transcript.append({
            "id": f"{result_id}-q{index + 1}", "is_answer": False, "view": "question",
            "question_original_id": qid, "question_original": question.get("question"),
            "question_asked": question.get("question"), "answer": None, "ai_analysis": None,
            "ai_analysis_recruiter": None, "score": None, "score_simulation": None,
            "score_answer_ai": None, "score_answer_ai_simulation": None, "duration": asked_ds,
            "mojito_language_code": q_lang, "recording_local_path": None, "recording_is_video": False,
            "external_data": question.get("external_data"), "external_id": question.get("external_id"),
        })
        s = score_answer(question, answer, context)
        without_scoring = bool(question.get("is_without_scoring"))
        if not without_scoring:
            scored.append((question, s))
        ds = duration_ds(answer) if answer else 0
        total_ds += asked_ds + ds
        transcript.append({
            "id": f"{result_id}-a{index + 1}", "is_answer": True,
            "view": "multiple_choice" if question.get("is_multiple_choice") else "answer",
            "question_original_id": qid, "question_original": question.get("question"),
            "question_asked": question.get("question"), "answer": answer or "",
            "ai_analysis": ANALYSIS[s], "ai_analysis_recruiter": ANALYSIS_RECRUITER[s],
            "score": None if without_scoring else s, "score_simulation": None,
            "score_answer_ai": None if without_scoring else s, "score_answer_ai_simulation": None,
            "duration": ds, "mojito_language_code": q_lang, "answer_assessment_raw_data": None,
            "recording_local_path": None, "recording_is_video": False,
            "external_data": question.get("external_data"), "external_id": question.get("external_id"),
        })
    values = [s for _, s in scored] or [1]
    mean = sum(values) / len(values)
    strong = [q.get("question") for q, s in scored if s >= 4]
    weak = [q.get("question") for q, s in scored if s <= 2]
    reasons_to_hire = [f"Convincing answer to: {q}" for q in strong][:4]
    reasons_not_to_hire = [f"Weak answer to: {q}" for q in weak][:4]
    if mean >= 4 and len(reasons_to_hire) < 4:
        reasons_to_hire.append("Consistently specific, quantified answers.")
    if mean < 2.5 and len(reasons_not_to_hire) < 4:
        reasons_not_to_hire.append("Answers lack concrete evidence overall.")
    band = round(mean)
    name = interview.get("name") or "the role"
    recruiter = (
        f"Overall {mean:.1f}/5 over {len(values)} scored answers for {name}. "
        f"{ANALYSIS_RECRUITER[max(1, min(5, band))]} "
        f"Strong answers: {len(strong)}; weak answers: {len(weak)}."
    )
    candidate = f"Thank you for completing the interview. {ANALYSIS[max(1, min(5, band))]}"
    answer_mean = round(mean, 3)
    return {
        "score": round(mean * 2, 2),
        "score_simulation": None,
        "score_text": f"{mean * 2:.1f} / 10",
        "score_answer": answer_mean,
        "score_answer_ai": answer_mean,
        "score_interview_ai": round((mean * 3 + min(5.0, 1 + len(strong))) / 4, 3),
        "score_sentiment": round(3 + (mean - 3) / 2, 2),
        "score_words_per_minute": round(WORDS_PER_SECOND * 60),
        "score_pronunciation": None,
        "ai_analysis": candidate,
        "ai_analysis_recruiter": recruiter,
        "ai_analysis_other": {
            "hiring_reasons": {"reasons_to_hire": reasons_to_hire, "reasons_not_to_hire": reasons_not_to_hire},
            "score_rationale": f"Mean of per-answer scores on the 1-5 rubric: {mean:.2f}.",
        },
        "ai_analysis_recruiter_why_hire": list(reasons_to_hire),
        "ai_analysis_recruiter_why_not_hire": list(reasons_not_to_hire),
        "ai_interview_coverage_percentage": round(100 * sum(1 for a in answers[: len(questions)] if a) / max(1, len(questions))),
        "duration": total_ds,
        "duration_ds": total_ds,
        "transcript": transcript,
    }
