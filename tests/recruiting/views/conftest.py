"""Fixtures for the dashboard's view tests.

    recruiter_client     a Django test client logged in as a staff recruiter
    assert_same_queries  assert_same_queries(url, make_rows) -> checks that a page makes the same
                         number of SQL queries with 1 row as with 50 (make_rows(n) adds n rows)
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext


@pytest.fixture
def recruiter(django_user_model):
    return django_user_model.objects.create_user("recruiter", "recruiter@example.com", "a-long-demo-password",
                                                 is_staff=True)


@pytest.fixture
def recruiter_client(client, recruiter):
    client.force_login(recruiter)
    return client


def count_queries(client, url: str) -> tuple[int, list[str]]:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return len(ctx.captured_queries), [q["sql"] for q in ctx.captured_queries]


@pytest.fixture
def assert_same_queries(recruiter_client):
    def check(url, make_rows, *, small: int = 1, large: int = 50):
        from django.core.cache import cache

        make_rows(small)
        cache.clear()  # each page cold: what it caches (the overview's charts) is counted too
        few, _ = count_queries(recruiter_client, url() if callable(url) else url)
        make_rows(large - small)
        cache.clear()
        many, sql = count_queries(recruiter_client, url() if callable(url) else url)
        assert few == many, f"{few} queries for {small} row(s) but {many} for {large}:\n" + "\n".join(sql)
        return many
    return check
