"""The CSV export: streamed, exactly the list's filter and sort, safe to open in a spreadsheet."""

import csv
import io

import pytest
from django.http import StreamingHttpResponse

from recruiting.views.results import export
from tests.recruiting.conftest import make_candidate, make_interview, make_invitation
from tests.recruiting.views.results.conftest import decide, failed, scored

pytestmark = pytest.mark.django_db


def rows_of(response):
    assert isinstance(response, StreamingHttpResponse) and response.streaming
    text = b"".join(response.streaming_content).decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:])))


def person(name, email=None, **kw):
    return make_invitation(candidate=make_candidate(name=name, email=email or f"{name.lower()}@example.com",
                                                    external_id=f"ext-{name}"), **kw)


def test_it_streams_a_header_and_one_row_per_result_of_the_filter_in_the_list_order(recruiter_client, recruiter):
    interview = make_interview(name="Backend")
    ada = scored(invitation=person("Ada", interview=interview), score=9.5)
    scored(invitation=person("Bob", interview=interview), score=3.0)
    scored(invitation=person("Elsewhere"), score=7.0)
    failed(invitation=person("Cy", interview=interview))
    decide(ada, "advance", recruiter)

    response = recruiter_client.get(f"/results/export.csv?interview={interview.pk}&state=scored&sort=-score")

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="results-')
    header, *rows = rows_of(response)
    assert header == export.HEADER
    assert [r[0] for r in rows] == ["Ada", "Bob"]
    assert rows[0][:8] == ["Ada", "ada@example.com", "ext-Ada", "Backend", "Scored", "9.5", "Advance", ""]
    assert rows[0][9] == f"http://testserver/results/{ada.pk}/"
    assert rows[0][8]  # submitted at


def test_the_decision_filter_exports_the_decided_list(recruiter_client, recruiter):
    keep = scored(invitation=person("Kept"))
    decide(keep, "advance", recruiter)
    decide(scored(invitation=person("Dropped")), "reject", recruiter)
    scored(invitation=person("Open"))
    _, *rows = rows_of(recruiter_client.get("/results/export.csv?decision=advance"))
    assert [r[0] for r in rows] == ["Kept"]


def test_cells_that_a_spreadsheet_would_run_as_formulas_are_neutralised(recruiter_client):
    scored(invitation=make_invitation(
        candidate=make_candidate(name='=HYPERLINK("http://evil.example","x")', email="evil@example.com",
                                 external_id="+1-555"),
        interview=make_interview(name="@SUM(A1:A9)")))
    scored(invitation=make_invitation(candidate=make_candidate(name="-2+3", email="minus@example.com",
                                                               external_id="\tTab")))
    _, *rows = rows_of(recruiter_client.get("/results/export.csv?sort=candidate"))
    cells = [cell for row in rows for cell in row]
    assert "'=HYPERLINK(\"http://evil.example\",\"x\")" in cells
    assert "'+1-555" in cells and "'@SUM(A1:A9)" in cells and "'-2+3" in cells and "'\tTab" in cells
    assert not any(c.startswith(("=", "+", "-", "@", "\t")) for c in cells)


@pytest.mark.parametrize("value,expected", [("=1+1", "'=1+1"), ("plain", "plain"), (None, ""), (7.5, 7.5),
                                            ("\r=x", "'\r=x"), ("a=b", "a=b")])
def test_safe_cell(value, expected):
    assert export.safe_cell(value) == expected


def test_it_reads_rows_through_an_iterator_in_chunks_not_all_at_once(recruiter_client, monkeypatch):
    for _ in range(7):
        scored()
    seen = []
    original = export._rows

    def spy(queryset, base_url):
        real_values_list = queryset.values_list

        def values_list(*fields):
            qs = real_values_list(*fields)
            real_iterator = qs.iterator

            def iterator(chunk_size=None):
                seen.append(chunk_size)
                return real_iterator(chunk_size=chunk_size)
            qs.iterator = iterator
            return qs
        queryset.values_list = values_list
        return original(queryset, base_url)

    monkeypatch.setattr(export, "_rows", spy)
    _, *rows = rows_of(recruiter_client.get("/results/export.csv"))
    assert len(rows) == 7 and seen == [export.CHUNK_SIZE]


def test_a_bad_filter_exports_nothing_and_says_why(recruiter_client):
    scored()
    response = recruiter_client.get("/results/export.csv?score_min=high")
    assert response.status_code == 400
    assert "Nothing exported" in response.content.decode() and "Score from" in response.content.decode()


def test_the_export_link_carries_the_current_filter(recruiter_client):
    interview = make_interview()
    scored(invitation=make_invitation(interview=interview))
    html = recruiter_client.get(f"/results/?interview={interview.pk}&sort=-score").content.decode()
    assert f'href="/results/export.csv?interview={interview.pk}&amp;sort=-score"' in html


@pytest.mark.django_db(transaction=True)  # autocommit, as a real request runs
def test_the_rows_stream_without_a_held_cursor_copied_first_nor_the_sqlite_write_lock(recruiter_client):
    """PostgreSQL: inside one read transaction (a WITH HOLD cursor in autocommit copies every row
    aside before the first). SQLite: outside any (its transactions begin IMMEDIATE: a download
    would keep every writer waiting)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    postgres = connection.vendor == "postgresql"
    for _ in range(3):
        scored()
    with CaptureQueriesContext(connection) as captured:
        response = recruiter_client.get("/results/export.csv")
        chunks = iter(response.streaming_content)
        next(chunks)  # the header, before any query
        assert not connection.in_atomic_block
        next(chunks)  # the first row
        assert connection.in_atomic_block is postgres
        rest = list(chunks)
    assert len(rest) == 2 and not connection.in_atomic_block  # over once the last row is out
    reads = [q["sql"] for q in captured.captured_queries if "recruiting_interviewresult" in q["sql"]]
    assert reads and not any("WITH HOLD" in sql for sql in reads)
    if postgres:
        assert any(sql.startswith("DECLARE") for sql in reads)  # still a server-side cursor
