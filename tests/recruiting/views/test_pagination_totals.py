"""A list's total under its table: exact, or the planner's estimate on a big unfiltered table ("about")."""

import pytest
from django.db import connection

from recruiting.models import Candidate
from tests.recruiting.conftest import make_candidate

pytestmark = pytest.mark.django_db


@pytest.mark.skipif(connection.vendor != "postgresql", reason="pg_class estimates need PostgreSQL")
def test_a_dashboard_list_says_about_when_its_total_is_an_estimate(recruiter_client):
    make_candidate(name="Zed Quarry")
    with connection.cursor() as cursor:
        cursor.execute("UPDATE pg_class SET reltuples = 123456 WHERE oid = to_regclass(%s)", [Candidate._meta.db_table])
    html = recruiter_client.get("/candidates/").content.decode()
    assert "About 123,456 candidates" in html and "of about 2,470" in html
    filtered = recruiter_client.get("/candidates/?q=Zed").content.decode()
    assert "1 candidate<" in filtered and "About" not in filtered  # filtered: counted exactly


def test_a_dashboard_list_total_is_exact_with_thousands_separators(recruiter_client):
    for _ in range(3):
        make_candidate()
    html = recruiter_client.get("/candidates/").content.decode()
    assert "3 candidates" in html and "About" not in html
