import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from recruiting.selectors.pagination import EstimatedCountPaginator, is_unfiltered, table_estimate
from recruiting.models import Candidate
from tests.recruiting.conftest import make_candidate

pytestmark = pytest.mark.django_db

postgres_only = pytest.mark.skipif(connection.vendor != "postgresql", reason="pg_class estimates need PostgreSQL")


def test_exact_count_on_small_tables():
    for _ in range(3):
        make_candidate()
    assert EstimatedCountPaginator(Candidate.objects.all(), 2).count == 3
    assert EstimatedCountPaginator(Candidate.objects.filter(name="nobody"), 2).count == 0


def test_is_unfiltered():
    assert is_unfiltered(Candidate.objects.all())
    assert is_unfiltered(Candidate.objects.select_related().order_by("-id"))
    assert not is_unfiltered(Candidate.objects.filter(name="x"))


@postgres_only
def test_estimate_used_above_threshold_when_unfiltered(monkeypatch):
    for _ in range(30):
        make_candidate()
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {Candidate._meta.db_table}")
    estimate = table_estimate(Candidate.objects.all())
    assert estimate is not None and estimate > 0

    class LowThreshold(EstimatedCountPaginator):
        estimate_threshold = 5

    with connection.cursor() as cursor:  # make the estimate visibly different from the truth
        cursor.execute(
            "UPDATE pg_class SET reltuples = 123456 WHERE oid = to_regclass(%s)", [Candidate._meta.db_table]
        )
    assert LowThreshold(Candidate.objects.all(), 10).count == 123456
    assert LowThreshold(Candidate.objects.filter(name__startswith="Cand"), 10).count == 30  # filtered: exact
    assert EstimatedCountPaginator(Candidate.objects.all(), 10).count == 123456  # above 10,000


@postgres_only
def test_timed_out_count_falls_back_to_estimate(monkeypatch):
    make_candidate()

    class Slow(EstimatedCountPaginator):
        count_timeout_ms = 1

    qs = Candidate.objects.extra(where=["pg_sleep(0.05) IS NOT NULL"])
    assert Slow(qs, 10).count >= 0  # no exception; estimate (or 0) stands in
    with connection.cursor() as cursor:
        cursor.execute("SHOW statement_timeout")
        assert cursor.fetchone()[0] in ("0", "0ms")  # restored


@postgres_only
def test_unfiltered_count_is_one_query_whether_estimated_or_exact():
    for _ in range(3):
        make_candidate()
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {Candidate._meta.db_table}")
    with CaptureQueriesContext(connection) as small:
        exact = EstimatedCountPaginator(Candidate.objects.all(), 10)
        assert exact.count == 3 and not exact.is_estimate
    with connection.cursor() as cursor:
        cursor.execute("UPDATE pg_class SET reltuples = 123456 WHERE oid = to_regclass(%s)", [Candidate._meta.db_table])
    with CaptureQueriesContext(connection) as large:
        estimated = EstimatedCountPaginator(Candidate.objects.all(), 10)
        assert estimated.count == 123456 and estimated.is_estimate
    assert len(small) == len(large) == 1

