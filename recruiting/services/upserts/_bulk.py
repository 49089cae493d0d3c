"""``bulk_update_rows`` / ``bulk_insert_rows``: one statement for many rows, without the ORM's
per-row cost.

Django's ``QuerySet.bulk_update`` builds a ``Case(When(pk=..., then=Value(...)))`` expression per
row and field and resolves each one; for a chunk of 50 rows and 7 fields that is most of a
chunk's CPU time. This writes the same statement directly::

    UPDATE t SET f = CASE id WHEN %s THEN %s ... ELSE f END, ... WHERE id IN (%s, ...)

Values go through each field's ``get_db_prep_save`` (as the ORM would save them); on PostgreSQL
each value is cast to the column's type (a CASE of untyped parameters would be text).
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

from django.db import connections, router
from django.db.models import (BigIntegerField, BooleanField, CharField, DateTimeField, ForeignKey,
                              IntegerField, JSONField, SmallIntegerField, TextField)
from django.db.models.fields import AutoFieldMixin


BATCH = 200
INSERT_BATCH = 500
MAX_PARAMS = 30_000  # below SQLite's 32,766 and PostgreSQL's 65,535 bound parameters


def bulk_update_rows(objs: list, fields: list[str], *, using: str | None = None) -> int:
    """UPDATE ``fields`` of every saved instance in ``objs`` (one model): one statement per 200 rows."""
    objs = [obj for obj in objs if obj.pk is not None]
    if not objs or not fields:
        return 0
    return sum(_update(objs[start:start + BATCH], fields, using) for start in range(0, len(objs), BATCH))


def _update(objs: list, fields: list[str], using: str | None) -> int:
    model = type(objs[0])
    alias = using or router.db_for_write(model)
    connection = connections[alias]
    quote = connection.ops.quote_name
    pk = model._meta.pk
    cast = connection.vendor == "postgresql"
    columns, params = [], []
    for name in fields:
        field = model._meta.get_field(name)
        placeholder = f"CAST(%s AS {field.db_type(connection)})" if cast else "%s"
        key = f"CAST(%s AS {pk.db_type(connection)})" if cast else "%s"
        whens = []
        prepare = db_value(field, connection)
        for obj in objs:
            whens.append(f"WHEN {key} THEN {placeholder}")
            params.append(pk.get_db_prep_value(obj.pk, connection))
            params.append(prepare(getattr(obj, field.attname)))
        column = quote(field.column)
        columns.append(f"{column} = CASE {quote(pk.column)} {' '.join(whens)} ELSE {column} END")
    ids = [pk.get_db_prep_value(obj.pk, connection) for obj in objs]
    sql = (f"UPDATE {quote(model._meta.db_table)} SET {', '.join(columns)} "
           f"WHERE {quote(pk.column)} IN ({', '.join(['%s'] * len(ids))})")
    with connection.cursor() as cursor:
        cursor.execute(sql, params + ids)
        return cursor.rowcount


def bulk_insert_rows(objs: list, *, using: str | None = None) -> list:
    """INSERT new instances of one model (auto primary key) and set their ``pk``: one statement per
    500 rows. What ``QuerySet.bulk_create`` does for such rows, without its per-value compiler work:
    each field's ``pre_save`` (``auto_now``), ``get_db_prep_save``, and the ids from ``RETURNING``
    (PostgreSQL, SQLite 3.35+), in the order of the VALUES rows. No signals, as bulk_create."""
    if not objs:
        return objs
    model = type(objs[0])
    alias = using or router.db_for_write(model)
    connection = connections[alias]
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    batch = max(1, min(INSERT_BATCH, MAX_PARAMS // len(fields), connection.ops.bulk_batch_size(fields, objs)))
    for start in range(0, len(objs), batch):
        _insert(objs[start:start + batch], model, fields, connection)
    return objs


def _insert(objs: list, model, fields: list, connection) -> None:
    quote = connection.ops.quote_name
    pk = model._meta.pk
    params = []
    prepared = [(field, db_value(field, connection), isinstance(field, DateTimeField)) for field in fields]
    for obj in objs:
        obj._prepare_related_fields_for_save(operation_name="bulk_insert_rows")
        for field, prepare, stamped in prepared:
            params.append(prepare(field.pre_save(obj, add=True) if stamped else getattr(obj, field.attname)))
    row = f"({', '.join(['%s'] * len(fields))})"
    sql = (f"INSERT INTO {quote(model._meta.db_table)} ({', '.join(quote(f.column) for f in fields)}) "
           f"VALUES {', '.join([row] * len(objs))} RETURNING {quote(pk.column)}")
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        ids = [r[0] for r in cursor.fetchall()]
    if len(ids) != len(objs):
        raise RuntimeError(f"INSERT into {model._meta.db_table} returned {len(ids)} ids for {len(objs)} rows")
    for obj, pk_value in zip(objs, ids):
        obj.pk = pk_value
        obj._state.adding, obj._state.db = False, connection.alias


# Field classes whose ``get_db_prep_save`` returns a value of the right Python type unchanged.
_TEXT = (CharField, TextField)
_INTEGER = (IntegerField, SmallIntegerField, BigIntegerField)


def db_value(field, connection):
    """``value -> field.get_db_prep_save(value, connection)``, short-cut where that is the identity.

    Text, integer and boolean columns (and foreign keys to integer keys) pass a value of their own
    type, or None, through unchanged; aware datetimes go straight to the backend's adapter; anything
    else (JSON, decimals, a str in an integer column, ...) takes the field's own path. Only the kind
    of each field is cached: the function uses the ``connection`` it is given (each thread has its own)."""
    kind = _kind(field, connection.vendor)

    def general(value):
        return field.get_db_prep_save(value, connection)

    if kind == "datetime":
        adapt = connection.ops.adapt_datetimefield_value
        return lambda value: (adapt(value) if value is None or (isinstance(value, dt.datetime) and value.tzinfo)
                              else general(value))
    if kind in _PASS_THROUGH:
        exact = _PASS_THROUGH[kind]
        return lambda value: value if value is None or type(value) is exact else general(value)
    return general


_PASS_THROUGH = {"int": int, "text": str, "bool": bool}


@lru_cache(maxsize=None)
def _kind(field, vendor: str) -> str:
    """"int", "text", "bool", "datetime" or "general" (the field's own path)."""
    target = field.target_field if isinstance(field, ForeignKey) else field
    if isinstance(target, AutoFieldMixin):
        # an auto key takes any int as is on these backends (validate_autopk_value is the identity)
        return "int" if vendor in ("sqlite", "postgresql") else "general"
    if isinstance(field, JSONField) or not _plain(target):
        return "general"  # JSON, or a field class of its own (an encrypted field, say)
    if isinstance(target, _TEXT):
        return "text"
    if isinstance(target, BooleanField):
        return "bool"
    if isinstance(target, _INTEGER):
        return "int"
    if isinstance(target, DateTimeField):
        return "datetime"
    return "general"


def _plain(field) -> bool:
    """Whether ``field``'s class converts values as Django's own field classes do."""
    cls = type(field)
    base = next((b for b in (*_TEXT, BooleanField, *_INTEGER, DateTimeField) if isinstance(field, b)), None)
    if base is None:
        return False
    return all(getattr(cls, name) is getattr(base, name)
               for name in ("get_prep_value", "get_db_prep_value", "get_db_prep_save", "to_python"))
