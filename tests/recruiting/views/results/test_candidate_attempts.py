"""The include the candidate page shows: a candidate's failed or abandoned attempts."""

import pytest
from django.template.loader import render_to_string
from django.test import RequestFactory

from recruiting.models import AttemptRequest
from recruiting.selectors.results import candidate_attempts
from tests.recruiting.conftest import make_candidate, make_invitation
from tests.recruiting.views.results.conftest import failed, scored

pytestmark = pytest.mark.django_db


def render(candidate):
    return render_to_string("dashboard/results/_attempts_for_candidate.html",
                            {"candidate_attempts": candidate_attempts(candidate.pk)},
                            request=RequestFactory().get("/"))


def test_it_lists_failed_attempts_with_a_link_to_ask_for_another():
    candidate = make_candidate()
    quit_once = failed(invitation=make_invitation(candidate=candidate))
    retried = failed(invitation=make_invitation(candidate=candidate), coach_status="terminated, no speech detected")
    AttemptRequest.objects.create(result=retried, invitation=retried.invitation, kind="resend")
    scored(invitation=make_invitation(candidate=candidate))
    failed()  # another candidate
    html = render(candidate)
    assert f'href="/results/{quit_once.pk}/#failed-attempt"' in html and "Request one" in html
    assert "Abandoned" in html and "Terminated, no speech detected" in html and "Requested" in html
    assert html.count("<tr>") == 3  # header + two failed attempts


def test_it_says_when_there_are_none():
    assert "No failed or abandoned attempts." in render(make_candidate())


def test_the_selector_makes_a_fixed_number_of_queries(django_assert_num_queries):
    candidate = make_candidate()
    for _ in range(5):
        result = failed(invitation=make_invitation(candidate=candidate))
        AttemptRequest.objects.create(result=result, invitation=result.invitation, kind="resend")
    with django_assert_num_queries(2):
        rows = candidate_attempts(candidate.pk)
        assert all(r.interview.name for r in rows) and all(r.attempt_requests.all() for r in rows)
