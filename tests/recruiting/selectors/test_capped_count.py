"""``capped_count``: the rows up to a limit, counted without sorting them first."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from recruiting.models import Invitation
from recruiting.selectors import capped_count
from tests.recruiting.conftest import make_interview, make_invitation

pytestmark = pytest.mark.django_db


def test_it_counts_up_to_the_limit_in_one_unsorted_query():
    interview = make_interview()
    for _ in range(5):
        make_invitation(interview=interview)
    queryset = Invitation.objects.filter(interview=interview)
    assert queryset.query.get_meta().ordering  # the model orders its rows ...
    with CaptureQueriesContext(connection) as captured:
        assert capped_count(queryset, 3) == 3
    assert len(captured) == 1 and "ORDER BY" not in captured[0]["sql"]  # ... which a count does not need
    assert capped_count(queryset, 10) == 5
    assert capped_count(queryset.none(), 10) == 0
