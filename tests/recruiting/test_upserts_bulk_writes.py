"""bulk_insert_rows / bulk_update_rows: the ORM's outcome in one statement, value conversion included."""

import datetime as dt
import itertools
import json

import pytest
from django.apps import apps
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from recruiting.fields import EncryptedTextField, decrypt_str
from recruiting.models import BulkInvite, BulkInviteRow, Candidate, Interview, Invitation
from recruiting.services.upserts._bulk import bulk_insert_rows, bulk_update_rows, claim_rows, db_value

from .conftest import make_interview, uid

pytestmark = [pytest.mark.django_db, pytest.mark.filterwarnings("ignore:DateTimeField .* naive datetime")]

SAMPLES = [None, "", "text", "12", 0, 7, True, False, 1.5, {"a": [1, "b"]}, ["x"],
           dt.datetime(2026, 5, 1, 12, 30, tzinfo=dt.timezone.utc), dt.date(2026, 5, 1)]


def _fields():
    for model in itertools.chain(apps.get_app_config("recruiting").get_models(),
                                 apps.get_app_config("mojito").get_models()):
        yield from model._meta.concrete_fields


def test_the_fast_conversion_equals_get_db_prep_save_for_every_field_and_value():
    compared = 0
    for field in _fields():
        prepare = db_value(field, connection)
        for value in SAMPLES:
            try:
                expected = field.get_db_prep_save(value, connection)
            except Exception as exc:  # the field refuses the value: so must the fast path
                with pytest.raises(type(exc)):
                    prepare(value)
                continue
            got = prepare(value)
            if isinstance(field, EncryptedTextField) and expected:  # randomised ciphertext: compare plaintext
                assert decrypt_str(got) == decrypt_str(expected), (field, value)
            elif hasattr(expected, "dumps"):  # psycopg's Jsonb wrapper: compare what it wraps
                assert type(got) is type(expected) and got.obj == expected.obj, (field, value)
            else:  # psycopg's Int2/Int4/Int8 are ints that only pin the parameter's type
                same_type = type(got) is type(expected) or (isinstance(expected, int) and type(got) is int)
                assert got == expected and same_type, (field, value, got, expected)
            compared += 1
    assert compared > 500


def test_an_encrypted_field_is_never_short_cut():
    field = Interview._meta.get_field("embed_signing_key")
    stored = db_value(field, connection)("secret")
    assert stored != "secret" and decrypt_str(stored) == "secret"


def test_insert_sets_keys_and_timestamps_and_reads_back_as_the_orm_wrote_it():
    interview = make_interview()
    people = [Candidate(email=f"P{i}@example.com", normalised_email=f"p{i}-{uid()}@example.com", name=f"P {i}",
                        mojito_id=uid()) for i in range(250)]
    with CaptureQueriesContext(connection) as captured:
        bulk_insert_rows(people)
    fields = [f for f in Candidate._meta.concrete_fields if not f.primary_key]
    batch = min(500, connection.ops.bulk_batch_size(fields, people))  # the backend's parameter limit
    assert [q["sql"].split()[0] for q in captured] == ["INSERT"] * -(-250 // batch)
    assert all(p.pk for p in people) and len({p.pk for p in people}) == 250
    stored = {c.pk: c for c in Candidate.objects.filter(pk__in=[p.pk for p in people])}
    for person in people:
        assert (stored[person.pk].email, stored[person.pk].normalised_email) == (person.email, person.normalised_email)
        assert stored[person.pk].created_at is not None and stored[person.pk].updated_at is not None
    invitations = [Invitation(candidate=p, interview=interview, delivery_state="registered", attempts=1,
                              raw={"result": "ok", "n": i}, sent_at=timezone.now()) for i, p in enumerate(people[:3])]
    bulk_insert_rows(invitations)
    again = Invitation.objects.get(pk=invitations[2].pk)
    assert (again.candidate_id, again.raw, again.attempts, again.sent_at) == (
        people[2].pk, {"result": "ok", "n": 2}, 1, invitations[2].sent_at)
    assert not invitations[0]._state.adding


def test_update_writes_each_rows_own_values():
    people = bulk_insert_rows([Candidate(email=f"u{i}@example.com", normalised_email=f"u{i}-{uid()}@example.com")
                               for i in range(3)])
    for i, person in enumerate(people):
        person.name, person.external_id = f"Name {i}", f"x{i}" if i else ""
    assert bulk_update_rows(people, ["name", "external_id"]) == 3
    assert list(Candidate.objects.filter(pk__in=[p.pk for p in people]).order_by("pk")
                .values_list("name", "external_id")) == [("Name 0", ""), ("Name 1", "x1"), ("Name 2", "x2")]


def test_update_of_many_rows_and_fields_is_one_statement_on_every_path(monkeypatch):
    """SQLite 3.33+ takes one VALUES row per object (UPDATE ... FROM), PostgreSQL arrays, older
    SQLite a CASE per field: the same rows come out of each."""
    people = bulk_insert_rows([Candidate(email=f"v{i}@example.com", normalised_email=f"v{i}-{uid()}@example.com")
                               for i in range(60)])
    paths = [None]
    if connection.vendor == "sqlite":
        paths.append((3, 32, 0))  # before UPDATE ... FROM: the CASE statement
    for version in paths:
        if version:
            monkeypatch.setattr(connection.Database, "sqlite_version_info", version)
        for i, person in enumerate(people):
            person.name, person.mojito_id, person.updated_at = f"N{i} {version}", f"m{i}-{version}", timezone.now()
        with CaptureQueriesContext(connection) as captured:
            assert bulk_update_rows(people, ["name", "mojito_id", "updated_at"]) == 60
        assert [q["sql"].split()[0] for q in captured] == ["UPDATE"]
        assert ("CASE" in captured[0]["sql"]) == bool(version)
        stored = {c.pk: c for c in Candidate.objects.filter(pk__in=[p.pk for p in people])}
        for person in people:
            got = stored[person.pk]
            assert (got.name, got.mojito_id, got.updated_at) == (person.name, person.mojito_id, person.updated_at)


def test_claim_rows_moves_the_first_matching_rows_in_one_statement_and_returns_them_as_instances():
    interview = make_interview()
    bulk = BulkInvite.objects.create(interview=interview, source_file_name="c.csv")
    BulkInviteRow.objects.bulk_create(
        [BulkInviteRow(bulk=bulk, line_number=n, email=f"c{n}@example.com", normalised_email=f"c{n}@example.com",
                       state="sent" if n == 3 else "pending", attempts=1 if n == 2 else 0) for n in range(2, 12)])
    now = timezone.now()
    with CaptureQueriesContext(connection) as captured:
        claimed = claim_rows(BulkInviteRow, {"bulk_id": bulk.pk, "state": "pending"}, order_by="line_number", limit=4,
                             set_values={"state": "sending", "updated_at": now}, increment="attempts")
    assert len(captured) == 1 and captured[0]["sql"].lstrip().split()[0] in ("UPDATE", "WITH")
    claimed.sort(key=lambda row: row.line_number)
    assert [row.line_number for row in claimed] == [2, 4, 5, 6]  # line 3 was not pending
    assert [row.attempts for row in claimed] == [2, 1, 1, 1]
    for row in claimed:
        fresh = BulkInviteRow.objects.get(pk=row.pk)
        assert (row.state, row.updated_at, row.created_at, row.bulk_id, row.email) == (
            "sending", now, fresh.created_at, bulk.pk, fresh.email)
        assert (fresh.state, fresh.attempts, fresh.updated_at) == ("sending", row.attempts, now)
        assert timezone.is_aware(row.created_at) and not row._state.adding
    assert claimed[0].bulk == bulk  # a real instance: its relations load as the ORM's would
    rest = claim_rows(BulkInviteRow, {"bulk_id": bulk.pk, "state": "pending"}, order_by="line_number", limit=50,
                      set_values={"state": "sending", "updated_at": now})
    assert sorted(row.line_number for row in rest) == [7, 8, 9, 10, 11]
    assert claim_rows(BulkInviteRow, {"bulk_id": bulk.pk, "state": "pending"}, order_by="line_number", limit=5,
                      set_values={"state": "sending"}) == []
    with pytest.raises(ValueError, match="needs the rows to match"):
        claim_rows(BulkInviteRow, {}, order_by="line_number", limit=5, set_values={"state": "sending"})


def test_claim_rows_with_only_reads_back_the_named_columns_and_knows_what_it_set():
    interview = make_interview()
    bulk = BulkInvite.objects.create(interview=interview, source_file_name="c.csv")
    BulkInviteRow.objects.bulk_create(
        [BulkInviteRow(bulk=bulk, line_number=n, email=f"o{n}@example.com", normalised_email=f"o{n}@example.com",
                       name=f"Person {n}", attempts=1) for n in range(1, 4)])
    now = timezone.now()
    with CaptureQueriesContext(connection) as captured:
        claimed = claim_rows(BulkInviteRow, {"bulk_id": bulk.pk, "state": "pending"}, order_by="line_number", limit=2,
                             set_values={"state": "sending", "updated_at": now}, increment="attempts",
                             only=("line_number", "email", "name"))
    returning = captured[0]["sql"].split("RETURNING", 1)[1]
    assert "created_at" not in returning and "updated_at" not in returning and "attempts" in returning
    claimed.sort(key=lambda row: row.line_number)
    assert [(r.line_number, r.email, r.name, r.attempts, r.state, r.updated_at) for r in claimed] == [
        (1, "o1@example.com", "Person 1", 2, "sending", now), (2, "o2@example.com", "Person 2", 2, "sending", now)]
    assert "created_at" in claimed[0].get_deferred_fields()
    with CaptureQueriesContext(connection) as captured:
        assert claimed[0].created_at == BulkInviteRow.objects.get(pk=claimed[0].pk).created_at  # loads on access
    assert len(captured) == 2
    assert BulkInviteRow.objects.get(pk=claimed[0].pk).state == "sending"


def test_increment_row_adds_to_counters_and_sets_values_in_one_statement():
    from recruiting.services.upserts import increment_row

    interview = make_interview()
    bulk = BulkInvite.objects.create(interview=interview, source_file_name="c.csv", sent_count=3, failed_count=1)
    other = BulkInvite.objects.create(interview=interview, source_file_name="d.csv", sent_count=3)
    when = dt.datetime(2026, 6, 1, 9, 0, tzinfo=dt.timezone.utc)
    with CaptureQueriesContext(connection) as captured:
        assert increment_row(BulkInvite, bulk.pk, {"sent_count": 47, "failed_count": 3},
                             set_values={"updated_at": when}) == 1
    assert len(captured) == 1 and captured[0]["sql"].startswith("UPDATE")
    bulk.refresh_from_db()
    other.refresh_from_db()
    assert (bulk.sent_count, bulk.failed_count, bulk.updated_at) == (50, 4, when)
    assert (other.sent_count, other.failed_count) == (3, 0)  # only the row asked for
    assert increment_row(BulkInvite, 10 ** 9, {"sent_count": 1}) == 0
    with pytest.raises(ValueError, match="at least one column"):
        increment_row(BulkInvite, bulk.pk, {})


def test_rows_of_one_insert_share_one_timestamp_and_repeated_datetimes_convert_alike():
    people = bulk_insert_rows([Candidate(email=f"t{i}@example.com", normalised_email=f"t{i}-{uid()}@example.com")
                               for i in range(5)])
    stored = list(Candidate.objects.filter(pk__in=[p.pk for p in people]).values_list("created_at", "updated_at"))
    assert len({created for created, _ in stored}) == 1 and all(c == u for c, u in stored)
    assert {p.created_at for p in people} == {stored[0][0]}  # the instances carry what was written
    field = Invitation._meta.get_field("sent_at")
    prepare = db_value(field, connection)
    instant = dt.datetime(2026, 5, 1, 12, 30, tzinfo=dt.timezone.utc)
    same_elsewhere = instant.astimezone(dt.timezone(dt.timedelta(hours=2)))
    for value in (instant, same_elsewhere, instant, None, instant + dt.timedelta(seconds=1)):
        assert prepare(value) == field.get_db_prep_save(value, connection), value  # the same instant, stored alike


def test_insert_values_fills_defaults_and_stamps_without_instances():
    from recruiting.services.upserts._bulk import bulk_insert_values

    interview = make_interview()
    people = bulk_insert_rows([Candidate(email=f"v{i}@example.com", normalised_email=f"v{i}-{uid()}@example.com")
                               for i in range(3)])
    with CaptureQueriesContext(connection) as captured:
        written = bulk_insert_values(Invitation, [
            {"candidate": people[0], "interview": interview, "delivery_state": "registered"},  # by instance
            {"candidate_id": people[1].pk, "interview_id": interview.pk, "attempts": 2},  # by column
            {"candidate": people[2], "interview_id": interview.pk, "raw": {"n": 3}},
        ])
    assert written == 3 and [q["sql"].split()[0] for q in captured] == ["INSERT"]
    stored = list(Invitation.objects.filter(candidate__in=people).order_by("candidate_id"))
    assert [(i.candidate_id, i.interview_id) for i in stored] == [(p.pk, interview.pk) for p in people]
    assert [i.delivery_state for i in stored][0] == "registered"
    assert stored[1].delivery_state == Invitation._meta.get_field("delivery_state").get_default()
    assert [i.attempts for i in stored] == [0, 2, 0]
    assert [i.raw for i in stored] == [{}, {}, {"n": 3}]  # a callable default, per row
    assert len({(i.created_at, i.updated_at) for i in stored}) == 1 and stored[0].created_at is not None


def test_new_instance_is_what_the_constructor_builds():
    from recruiting.services.upserts._bulk import new_instance

    interview = make_interview()
    candidate = bulk_insert_rows([Candidate(email="n@example.com", normalised_email=f"n-{uid()}@example.com")])[0]
    for model, attrs in ((Candidate, {"email": "A@example.com", "normalised_email": "a@example.com"}),
                         (Invitation, {"candidate": candidate, "interview": interview})):
        fast, plain = new_instance(model, **attrs), model(**attrs)
        assert {k: v for k, v in fast.__dict__.items() if k != "_state"} == \
            {k: v for k, v in plain.__dict__.items() if k != "_state"}
        assert (fast._state.adding, fast._state.db, fast.pk) == (plain._state.adding, plain._state.db, None)
    first, second = new_instance(Invitation), new_instance(Invitation)
    first.raw["x"] = 1
    assert second.raw == {}  # callable defaults are never shared between instances
    assert new_instance(Invitation, candidate=candidate).candidate is candidate


def test_insert_checks_related_objects_as_the_orm_does():
    interview = make_interview()
    first, second = bulk_insert_rows([Candidate(email=f"r{i}@example.com", normalised_email=f"r{i}-{uid()}@example.com")
                                      for i in range(2)])
    with pytest.raises(ValueError, match="unsaved related object 'candidate'"):
        bulk_insert_rows([Invitation(candidate=Candidate(email="x@example.com"), interview=interview)])
    saved_later = Candidate(email="l@example.com", normalised_email=f"l-{uid()}@example.com")
    through_object = Invitation(candidate=saved_later, interview=interview)  # assigned while unsaved
    bulk_insert_rows([saved_later])
    moved = Invitation(candidate=first, interview=interview)
    moved.candidate_id = second.pk  # a key set afterwards wins over the object
    bulk_insert_rows([through_object, moved])
    assert through_object.candidate_id == saved_later.pk  # the empty key took the object's
    assert Invitation.objects.get(pk=through_object.pk).candidate_id == saved_later.pk
    assert Invitation.objects.get(pk=moved.pk).candidate_id == second.pk
    assert moved.candidate == second


TRICKY_TEXT = ['a"b', "c\\d", None, "NULL", "", "x,y", "{z}", "é ü 😀", "it's", " padded "]


def test_pg_array_writes_postgresqls_array_literal_and_leaves_other_lists_to_the_driver():
    from decimal import Decimal

    from psycopg.types.json import Jsonb

    from recruiting.services.upserts._bulk import pg_array

    assert pg_array(['a"b', "c\\d", None, "NULL"]) == '{"a\\"b","c\\\\d",NULL,"NULL"}'
    assert pg_array([1, -2, None]) == "{1,-2,NULL}" and pg_array([True, False]) == "{t,f}"
    when = dt.datetime(2026, 5, 1, 12, 30, 15, 250, tzinfo=dt.timezone.utc)
    assert pg_array([when]) == '{"2026-05-01T12:30:15.000250+00:00"}'
    assert pg_array([Jsonb({"q": 'say "hi"'})]) == '{"{\\"q\\": \\"say \\\\\\"hi\\\\\\"\\"}"}'
    assert pg_array([]) == "{}"
    assert pg_array([BulkInviteRow.State.SENT, None]) == '{"sent",NULL}'  # choices are text too
    for other in ([Decimal("1.5")], [dt.date(2026, 5, 1)], [when.replace(tzinfo=None)], ["a", 1.5]):
        assert pg_array(other) is other  # psycopg adapts what this does not know


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's array literal: CI runs it")
def test_pg_array_literals_come_back_from_postgresql_as_they_went_in():
    from psycopg.types.json import Jsonb

    from recruiting.services.upserts._bulk import pg_array

    when = dt.datetime(2026, 5, 1, 12, 30, 15, 250, tzinfo=dt.timezone.utc)
    with connection.cursor() as cursor:
        cursor.execute("SELECT unnest(%s::text[])", [pg_array(TRICKY_TEXT)])
        assert [row[0] for row in cursor.fetchall()] == TRICKY_TEXT
        cursor.execute("SELECT unnest(%s::bigint[]), unnest(%s::boolean[]), unnest(%s::timestamptz[])",
                       [pg_array([1, None, 3]), pg_array([True, None, False]), pg_array([when, None, when])])
        assert cursor.fetchall() == [(1, True, when), (None, None, None), (3, False, when)]
        cursor.execute("SELECT unnest(%s::jsonb[])", [pg_array([Jsonb({"a": 'q"uote', "b": "back\\slash"}), None])])
        got = [row[0] for row in cursor.fetchall()]  # Django's cursors load jsonb as its text
        assert [json.loads(v) if isinstance(v, str) else v for v in got] == [{"a": 'q"uote', "b": "back\\slash"}, None]


def test_bulk_writes_store_awkward_text_exactly():
    people = bulk_insert_rows([Candidate(email=f"x{i}@example.com", normalised_email=f"x{i}-{uid()}@example.com",
                                         name=text or "") for i, text in enumerate(TRICKY_TEXT)])
    for person, text in zip(people, TRICKY_TEXT):
        person.external_id = (text or "")[::-1]
    bulk_update_rows(people, ["external_id"])
    stored = {c.pk: (c.name, c.external_id) for c in Candidate.objects.filter(pk__in=[p.pk for p in people])}
    assert [stored[p.pk] for p in people] == [(text or "", (text or "")[::-1]) for text in TRICKY_TEXT]
