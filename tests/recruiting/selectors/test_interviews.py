"""The interview page's reads: its per-state result counts agree with the results list they link to."""

import itertools

import pytest

from mojito.vocabulary import CoachStatus, ProcessingStatus
from recruiting.models import InterviewResult, ResultRank
from recruiting.selectors.interviews import interview_page
from recruiting.selectors.results import STATE_Q
from tests.recruiting.conftest import make_interview, make_result

pytestmark = pytest.mark.django_db


def test_the_counts_per_state_are_the_results_filters_counts_for_every_combination_of_fields():
    interview, other = make_interview(), make_interview()
    coach = [c.value for c in CoachStatus] + [""]
    processing = [p.value for p in ProcessingStatus] + [""]
    for n, (rank, c, p) in enumerate(itertools.product(ResultRank.values, coach, processing)):
        for _ in range(1 + n % 2):  # some combinations twice: the counts add up within a state
            make_result(interview, state_rank=rank, coach_status=c, processing_status=p)
    make_result(other)  # another interview's result is not counted
    page = interview_page(interview.pk)
    expected = {state: InterviewResult.objects.filter(STATE_Q[state], interview=interview).count() for state in STATE_Q}
    assert {state: n for state, _, n in page.result_counts} == {s: n for s, n in expected.items() if n}
    assert page.result_total == interview.results.count()
