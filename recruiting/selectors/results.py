"""Reads for the results pages: the filtered list (also the export and the review queue), one
result with its transcript and attempt history, and the states a recruiter filters by.

    qs = results_filter(request.GET).qs          # filtered, not yet sorted
    qs, sort = apply_sort(request, qs, RESULT_SORTS, default_sort(request.GET))   # in the view
"""

from __future__ import annotations

from dataclasses import dataclass

import django_filters
from django import forms
from django.db.models import Exists, OuterRef, Q, QuerySet

from mojito.vocabulary import COMPLETED_COACH_STATUSES, FAILED_COACH_STATUSES, ProcessingStatus, ResultStatus
from recruiting.forms.widgets import QuickSelect
from recruiting.models import Interview, InterviewResult, ResultRank, ResultReview, ReviewDecision, TranscriptRow
from recruiting.selectors import capped_count


class ResultState:
    """The states a recruiter sees (derived from JobMojito's three status fields)."""

    IN_PROGRESS = "in_progress"
    COLLECTED = "collected"
    PROCESSING = "processing"
    SCORED = "scored"
    FAILED = "failed"
    ARCHIVED = "archived"

    CHOICES = [(IN_PROGRESS, "In progress"), (COLLECTED, "Collected"), (PROCESSING, "Processing"),
               (SCORED, "Scored"), (FAILED, "Failed or abandoned"), (ARCHIVED, "Archived")]
    LABELS = dict(CHOICES)


# sorted(): the same SQL in every process, matching the partial index result_scored_queue_taken
FAILED_Q = Q(coach_status__in=sorted(FAILED_COACH_STATUSES)) | Q(processing_status=ProcessingStatus.FAILED)
SCORED_Q = Q(state_rank=ResultRank.FINAL) & ~FAILED_Q
STATE_Q = {
    ResultState.IN_PROGRESS: Q(state_rank__in=[ResultRank.UNKNOWN, ResultRank.ONGOING]) & ~FAILED_Q,
    ResultState.COLLECTED: Q(state_rank=ResultRank.COLLECTED) & ~FAILED_Q,
    ResultState.PROCESSING: Q(state_rank=ResultRank.PROCESSING) & ~FAILED_Q,
    ResultState.SCORED: SCORED_Q,
    ResultState.FAILED: FAILED_Q & ~Q(state_rank=ResultRank.ARCHIVED),
    ResultState.ARCHIVED: Q(state_rank=ResultRank.ARCHIVED),
}
# Scored results nobody has decided yet: the "to review" queue and the navigation badge.
# NOT EXISTS, not a LEFT JOIN ... IS NULL: PostgreSQL estimates the anti-join well and walks the
# partial index result_scored_queue in order (a LEFT JOIN estimate of 1 row made it sort 140k rows).
PENDING_REVIEW_Q = Q(SCORED_Q, ~Exists(ResultReview.objects.filter(result=OuterRef("pk"))))


_STATE_OF_RANK = {ResultRank.FINAL: ResultState.SCORED, ResultRank.PROCESSING: ResultState.PROCESSING,
                  ResultRank.COLLECTED: ResultState.COLLECTED}


def state_of(state_rank: int, coach_status: str, processing_status: str) -> str:
    """The recruiter-facing state from the three stored fields (same rules as ``STATE_Q``)."""
    if state_rank == ResultRank.ARCHIVED:
        return ResultState.ARCHIVED
    if coach_status in FAILED_COACH_STATUSES or processing_status == ProcessingStatus.FAILED:
        return ResultState.FAILED
    return _STATE_OF_RANK.get(state_rank, ResultState.IN_PROGRESS)


def result_state(result: InterviewResult) -> str:
    return state_of(result.state_rank, result.coach_status, result.processing_status)


def results_base() -> QuerySet:
    return InterviewResult.objects.select_related("interview", "candidate", "review", "review__decided_by")


class ResultFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label="Search",
                                  widget=forms.TextInput(attrs={"type": "search", "placeholder": "Name or email"}))
    interview = django_filters.ModelChoiceFilter(queryset=Interview.objects.only("id", "name", "mojito_id")
                                                 .order_by("name"), empty_label="All interviews", widget=QuickSelect)
    state = django_filters.ChoiceFilter(choices=ResultState.CHOICES, method="by_state", label="State",
                                        empty_label="Any state")
    decision = django_filters.ChoiceFilter(
        choices=[*ReviewDecision.choices, ("none", "Not decided")], method="by_decision",
        label="Your decision", empty_label="Any decision")
    score_min = django_filters.NumberFilter(field_name="score", lookup_expr="gte", label="Score from",
                                            widget=forms.NumberInput(attrs={"step": "0.1", "min": 0, "max": 10}))
    score_max = django_filters.NumberFilter(field_name="score", lookup_expr="lte", label="Score to",
                                            widget=forms.NumberInput(attrs={"step": "0.1", "min": 0, "max": 10}))
    date_from = django_filters.DateFilter(field_name="remote_created_at", lookup_expr="date__gte", label="From",
                                          widget=forms.DateInput(attrs={"type": "date"}))
    date_to = django_filters.DateFilter(field_name="remote_created_at", lookup_expr="date__lte", label="To",
                                        widget=forms.DateInput(attrs={"type": "date"}))
    test = django_filters.ChoiceFilter(choices=[("live", "Live only"), ("test", "Test only")], method="by_test",
                                       label="Test or live", empty_label="Live and test")

    class Meta:
        model = InterviewResult
        fields = []

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(candidate__name__icontains=value) | Q(candidate__email__icontains=value))

    def by_state(self, queryset, name, value):
        return queryset.filter(STATE_Q[value]) if value in STATE_Q else queryset

    def by_decision(self, queryset, name, value):
        if value == "none":
            return queryset.filter(review__isnull=True)
        return queryset.filter(review__decision=value)

    def by_test(self, queryset, name, value):
        return queryset.filter(is_test=(value == "test"))



# "date" is when the attempt happened at JobMojito (remote_created_at), never a local row time.
RESULT_SORTS = {"score": "score", "date": "remote_created_at", "candidate": "candidate__name"}


def results_filter(params) -> ResultFilter:
    """The list's FilterSet; its ``qs`` is narrowed to the review queue when ``?review=pending``."""
    queryset = results_base()
    if is_review_queue(params):
        queryset = queryset.filter(PENDING_REVIEW_Q)
    return ResultFilter(params, queryset=queryset)


def is_review_queue(params) -> bool:
    return params.get("review") == "pending"


def default_sort(params) -> str:
    """Newest first; the review queue oldest first (the one waiting longest on top)."""
    return "date" if is_review_queue(params) else "-date"


def results_newer_than(queryset: QuerySet, last_pk: int) -> int:
    """How many results of the filtered list arrived after the row ``last_pk`` (the "N new" notice)."""
    return queryset.filter(pk__gt=last_pk).count()


BADGE_CAP = 100


def results_pending_review_count(*, cap: int | None = None) -> int:
    """Scored results nobody decided. With ``cap``, counting stops there (``SELECT COUNT(*) FROM
    (... LIMIT cap)``): the navigation badge shows "99+" and stays cheap on any table size."""
    queryset = InterviewResult.objects.filter(PENDING_REVIEW_Q)
    return capped_count(queryset, cap) if cap else queryset.count()


# --- one result --------------------------------------------------------------------------------


@dataclass
class AttemptPolicy:
    """Whether another attempt can be requested now, and why not."""

    allowed: bool
    kind: str  # "reopen" | "resend" | ""
    reason: str
    max_attempts: int
    used: int


def interview_max_attempts(interview: Interview) -> int:
    """Attempts the interview allows (``interview_attempts`` = ``result_scoring.max_retries``); 1 when unknown."""
    raw = interview.raw if isinstance(interview.raw, dict) else {}
    scoring = raw.get("result_scoring") if isinstance(raw.get("result_scoring"), dict) else {}
    for value in (raw.get("interview_attempts"), scoring.get("max_retries")):
        try:
            if value is not None:
                return max(1, int(value))
        except (TypeError, ValueError):
            continue
    return 1


def attempts_used(result: InterviewResult, requests: list | None = None) -> int:
    """The first attempt plus one per "another attempt" the app has asked for this candidate."""
    if requests is None:
        requests = list(result.attempt_requests.all())
    return 1 + len(requests)


def attempt_policy(result: InterviewResult, requests: list | None = None) -> AttemptPolicy:
    """JobMojito re-opens only a submitted, completed result; a failed or abandoned attempt is
    retaken through the same invitation while the interview allows more attempts."""
    maximum = interview_max_attempts(result.interview)
    used = attempts_used(result, requests)
    completed = result.coach_status in COMPLETED_COACH_STATUSES
    if result.status == ResultStatus.ACTIVE and completed:
        return AttemptPolicy(True, "reopen", "", maximum, used)
    if result.coach_status in FAILED_COACH_STATUSES:
        if result.invitation_id is None:
            return AttemptPolicy(False, "", "This attempt is not linked to an invitation, so it cannot be sent "
                                 "again from here.", maximum, used)
        if used >= maximum:
            return AttemptPolicy(False, "", f"No attempts left: the interview allows {maximum} "
                                 f"attempt{'s' if maximum != 1 else ''} and {used} "
                                 f"{'have' if used != 1 else 'has'} been used. Raise the number of attempts "
                                 "on the interview in JobMojito to allow another.", maximum, used)
        return AttemptPolicy(True, "resend", "", maximum, used)
    if result.state_rank == ResultRank.ARCHIVED:
        return AttemptPolicy(False, "", "This result is archived.", maximum, used)
    return AttemptPolicy(False, "", "Another attempt can be requested once the candidate has submitted the "
                         "interview (or when an attempt failed). This one is still "
                         f"{ResultState.LABELS[result_state(result)].lower()}.", maximum, used)


def result_detail(pk: int) -> InterviewResult:
    """One result with everything its page shows (transcript, attempt requests) in a fixed number of queries."""
    from django.db.models import Prefetch
    from django.shortcuts import get_object_or_404

    return get_object_or_404(
        results_base().select_related("invitation").prefetch_related(
            Prefetch("transcript_rows", queryset=TranscriptRow.objects.order_by("position")),
            "attempt_requests__requested_by"),
        pk=pk)


_FAILURE_WORDS = {
    "abandoned": "The candidate abandoned the interview before finishing it.",
    "terminated, no speech detected": "The interview stopped because JobMojito heard no speech: the candidate's "
                                      "microphone may not have worked.",
    "failed": "The interview broke off at JobMojito before the candidate could finish.",
}


def failure_explanation(result: InterviewResult) -> str:
    """Why an attempt did not complete, in the recruiter's words (not JobMojito's status values)."""
    if result.coach_status in _FAILURE_WORDS:
        return _FAILURE_WORDS[result.coach_status]
    if result.processing_status == ProcessingStatus.FAILED:
        return "The candidate finished, but JobMojito could not score the answers."
    return "JobMojito marked this attempt as not completed."


def transcript_turns(rows: list[TranscriptRow]) -> list[TranscriptRow]:
    """One turn per question: JobMojito sends a row for the question asked and then a row for the
    answer (which repeats the question); the question row is dropped when its answer follows, and
    an answer without its own question text takes the asked one. A question never answered stays."""
    turns: list[TranscriptRow] = []
    for index, row in enumerate(rows):
        following = rows[index + 1] if index + 1 < len(rows) else None
        if (not row.is_answer and following is not None and following.is_answer
                and (not following.question or following.question == row.question)):
            following.question = following.question or row.question
            continue
        turns.append(row)
    return turns


def result_attempt_history(result: InterviewResult) -> list[InterviewResult]:
    """Every result of this candidate for this interview, newest first (the attempts JobMojito kept)."""
    if result.candidate_id is None:
        return [result]
    return list(InterviewResult.objects.filter(interview_id=result.interview_id, candidate_id=result.candidate_id)
                .select_related("review").order_by("-remote_created_at", "-pk"))


def result_details_extras(result: InterviewResult) -> dict:
    """What only the stored job-interview-details answer carries: coverage, completion reason, risks."""
    raw = result.raw if isinstance(result.raw, dict) else {}
    details = raw.get("details") if isinstance(raw.get("details"), dict) else {}
    risks = details.get("recruiter_risks")
    if isinstance(risks, dict):
        risks = [f"{k.replace('_', ' ')}: {v}" if not isinstance(v, bool) else k.replace("_", " ")
                 for k, v in risks.items() if v]
    elif isinstance(risks, str):
        risks = [risks] if risks.strip() else []
    elif isinstance(risks, list):
        risks = [str(r.get("name") or r.get("type") or r) if isinstance(r, dict) else str(r) for r in risks if r]
    else:
        risks = []
    payload = raw.get("payload") if isinstance(raw.get("payload"), dict) else {}
    return {
        "coverage": details.get("ai_interview_coverage_percentage"),
        "completion_reason": details.get("ai_completion_reason") or payload.get("ai_completion_reason") or "",
        "risks": risks,
        "score_text": details.get("score_text") or "",
    }


def candidate_attempts(candidate_id: int) -> list[InterviewResult]:
    """Failed or abandoned attempts and re-attempt requests of one candidate, for the candidate page."""
    return list(InterviewResult.objects.filter(candidate_id=candidate_id).filter(FAILED_Q)
                .select_related("interview").prefetch_related("attempt_requests").order_by("-remote_created_at", "-pk"))


def next_pending_review(*, after: InterviewResult | None = None) -> InterviewResult | None:
    """The oldest scored result nobody decided, after ``after`` in queue order (oldest first)."""
    queryset = InterviewResult.objects.filter(PENDING_REVIEW_Q).order_by("remote_created_at", "pk")
    if after is not None:
        queryset = queryset.exclude(pk=after.pk)
        if after.remote_created_at is not None:
            queryset = queryset.filter(Q(remote_created_at__gt=after.remote_created_at)
                                       | Q(remote_created_at=after.remote_created_at, pk__gt=after.pk))
    return queryset.select_related("candidate").first()
