"""``bulk_update_rows`` / ``bulk_insert_rows``: one statement for many rows, without the ORM's
per-row cost.

Django's ``QuerySet.bulk_update`` builds a ``Case(When(pk=..., then=Value(...)))`` expression per
row and field and resolves each one; for a chunk of 50 rows and 7 fields that is most of a
chunk's CPU time. This writes the same statement directly::

    UPDATE t SET f = CASE id WHEN %s THEN %s ... ELSE f END, ... WHERE id IN (%s, ...)

Values go through each field's ``get_db_prep_save`` (as the ORM would save them). On PostgreSQL
both statements take one array per column instead (``unnest(%s::type[], ...)``): a statement of a
few dozen characters and parameters whatever the row count, where a VALUES list or a CASE per row
cost the driver more time composing the statement than the server took to run it.
"""

from __future__ import annotations

import datetime as dt
import json
from functools import lru_cache
from operator import attrgetter

from django.db import connections, router
from django.db.models import (BigIntegerField, BooleanField, CharField, DateTimeField, ForeignKey,
                              IntegerField, JSONField, SmallIntegerField, TextField, signals)
from django.db.models.base import ModelState
from django.db.models.fields import AutoFieldMixin
from django.utils import timezone
from psycopg.types.json import Jsonb


BATCH = 200
INSERT_BATCH = 500
ARRAY_BATCH = 5000  # rows per INSERT ... SELECT FROM unnest on PostgreSQL
SELECT_BATCH = 5000  # values per IN list (SQLite; PostgreSQL takes one array)
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
    if connection.vendor == "postgresql":
        return _update_unnest(objs, fields, model, connection)
    if connection.vendor == "sqlite" and connection.Database.sqlite_version_info >= (3, 33):
        return _update_from_values(objs, fields, model, connection)
    quote = connection.ops.quote_name
    pk = model._meta.pk
    columns, params = [], []
    for name in fields:
        field = model._meta.get_field(name)
        whens = []
        prepare = db_value(field, connection)
        for obj in objs:
            whens.append("WHEN %s THEN %s")
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


def _update_from_values(objs: list, fields: list[str], model, connection) -> int:
    """``UPDATE t SET f = v.columnN ... FROM (VALUES (id, f, ...), ...) AS v WHERE t.id = v.column1``
    (SQLite 3.33+): one row of values per object, where a CASE per field made SQLite compare every
    id with every other."""
    quote = connection.ops.quote_name
    pk = model._meta.pk
    table = quote(model._meta.db_table)
    columns = [model._meta.get_field(name) for name in fields]
    prepare_pk = db_value(pk, connection)
    plan = [(field.attname, db_value(field, connection)) for field in columns]
    params = []
    for obj in objs:
        params.append(prepare_pk(obj.pk))
        params.extend(prepare(getattr(obj, attname)) for attname, prepare in plan)
    row = f"({', '.join(['%s'] * (len(columns) + 1))})"
    sql = (f"UPDATE {table} SET {', '.join(f'{quote(f.column)} = v.column{i + 2}' for i, f in enumerate(columns))} "
           f"FROM (VALUES {', '.join([row] * len(objs))}) AS v WHERE {table}.{quote(pk.column)} = v.column1")
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.rowcount


def pg_array(values: list):
    """An array parameter for PostgreSQL as its array literal (``{"a","b",NULL}``), built with str
    methods: Django's cursors bind on the client, where psycopg quotes each element of a list with
    two regular expressions (10,000 strings: 9 ms this way, 55 ms that way). Text (choices' values
    included), integers, booleans, aware datetimes, JSON (psycopg's ``Jsonb``) and NULL; a list
    holding anything else is returned as it is, for psycopg to adapt."""
    out = []
    append = out.append
    for value in values:
        kind = type(value)
        if value is None:
            append("NULL")
        elif kind is bool:
            append("t" if value else "f")
        elif kind is int:
            append(str(value))
        elif isinstance(value, str):  # str itself, or a subclass such as a TextChoices member
            append(_array_element(value))
        elif kind is dt.datetime and value.tzinfo is not None:
            append('"' + value.isoformat() + '"')
        elif kind is Jsonb:
            append(_array_element((value.dumps or json.dumps)(value.obj)))
        else:
            return values
    return "{" + ",".join(out) + "}"


def _array_element(text: str) -> str:
    """``text`` as a quoted element of an array literal (backslashes and double quotes escaped)."""
    return '"' + str.replace(str.replace(text, "\\", "\\\\"), '"', '\\"') + '"'


def _update_unnest(objs: list, fields: list[str], model, connection) -> int:
    """``UPDATE t SET f = v.f ... FROM unnest(ids, values of f, ...) v WHERE t.id = v.id`` (PostgreSQL)."""
    quote = connection.ops.quote_name
    pk = model._meta.pk
    table = quote(model._meta.db_table)
    columns = [model._meta.get_field(name) for name in fields]
    arrays = [[pk.get_db_prep_value(obj.pk, connection) for obj in objs]]
    for field in columns:
        prepare = db_value(field, connection)
        arrays.append([prepare(getattr(obj, field.attname)) for obj in objs])
    names = [quote(f"v_{i}") for i in range(len(columns) + 1)]
    types = [pk.cast_db_type(connection)] + [field.cast_db_type(connection) for field in columns]
    arrays = [pg_array(values) for values in arrays]
    sql = (f"UPDATE {table} SET {', '.join(f'{quote(f.column)} = v.{n}' for f, n in zip(columns, names[1:]))} "
           f"FROM unnest({', '.join(f'%s::{t}[]' for t in types)}) AS v({', '.join(names)}) "
           f"WHERE {table}.{quote(pk.column)} = v.{names[0]}")
    with connection.cursor() as cursor:
        cursor.execute(sql, arrays)
        return cursor.rowcount


def bulk_insert_rows(objs: list, *, using: str | None = None) -> list:
    """INSERT new instances of one model (auto primary key) and set their ``pk``: one statement per
    500 rows (5,000 on PostgreSQL). What ``QuerySet.bulk_create`` does for such rows, without its per-value compiler work:
    each field's ``pre_save`` (``auto_now``), ``get_db_prep_save``, and the ids from ``RETURNING``
    (PostgreSQL, SQLite 3.35+), in the order of the VALUES rows. No signals, as bulk_create."""
    if not objs:
        return objs
    model = type(objs[0])
    alias = using or router.db_for_write(model)
    connection = connections[alias]
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    batch = _insert_batch(connection, fields, objs)
    for start in range(0, len(objs), batch):
        _insert(objs[start:start + batch], model, fields, connection)
    return objs


def bulk_insert_values(model, rows: list[dict], *, using: str | None = None) -> int:
    """INSERT ``rows`` (``{field name or attname: value}``) of ``model`` without building instances
    and without reading their ids back: for many new rows nobody needs as objects (a CSV's lines).
    A field a row leaves out takes its default; ``auto_now`` / ``auto_now_add`` fields one
    timestamp. Values go through each field's conversion, as ``bulk_insert_rows``. -> rows written."""
    if not rows:
        return 0
    alias = using or router.db_for_write(model)
    connection = connections[alias]
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    now = timezone.now()
    vendor = connection.vendor
    prepared = [db_value(field, connection) for field in fields]
    plans: dict = {}  # the rows' key sets (a file's rows share one) -> how to build a row's values
    values = []
    for row in rows:
        keys = frozenset(row)
        plan = plans.get(keys)
        if plan is None:
            plan = plans[keys] = _values_plan(fields, prepared, keys, now, vendor)
        template, given, called = plan
        out = template.copy()
        for i, key, relation, exact, prepare in given:
            value = row[key]
            if relation and value is not None:
                value = value.pk
            out[i] = value if exact is not None and (value is None or type(value) is exact) else prepare(value)
        for i, field, prepare in called:
            out[i] = prepare(field.get_default())
        values.append(out)
    batch = _insert_batch(connection, fields, values)
    for start in range(0, len(values), batch):
        _execute_insert(model, fields, values[start:start + batch], connection, returning=False)
    return len(values)


def _values_plan(fields: list, prepared: list, keys: frozenset, now, vendor: str) -> tuple[list, list, list]:
    """For rows with ``keys``: (the values of a row before its own: stamps and constant defaults,
    [(index, key, is a relation, the type passed as is or None, conversion)] of the values a row
    gives, [(index, field, conversion)] of the callable defaults called per row)."""
    template, given, called = [], [], []
    for i, (field, prepare) in enumerate(zip(fields, prepared)):
        kind = _kind(field, vendor)
        exact = _PASS_THROUGH.get(kind)
        if _stamped_now(field):
            template.append(prepare(now))
            continue
        template.append(None)
        if field.name in keys:
            given.append((i, field.name, field.is_relation, exact, prepare))
        elif field.attname in keys:
            given.append((i, field.attname, False, exact, prepare))
        elif field.has_default() and callable(field.default):  # dict, list, uuid4, ...: one per row
            called.append((i, field, prepare))
        else:
            template[i] = prepare(field.get_default())
    return template, given, called


def _insert_batch(connection, fields: list, rows: list) -> int:
    """Rows per INSERT: 5,000 on PostgreSQL (one parameter per column), else as many as the
    backend says its bound parameters allow, at most 500."""
    if connection.vendor == "postgresql":
        return ARRAY_BATCH
    return max(1, min(INSERT_BATCH, MAX_PARAMS // len(fields), connection.ops.bulk_batch_size(fields, rows)))


def _execute_insert(model, fields: list, rows: list[list], connection, *, returning: bool) -> list:
    """One INSERT of ``rows`` (each a list of database values, in ``fields`` order) -> the new ids
    (in row order) when ``returning``."""
    quote = connection.ops.quote_name
    pk = model._meta.pk
    table, names = quote(model._meta.db_table), ", ".join(quote(f.column) for f in fields)
    back = f" RETURNING {quote(pk.column)}" if returning else ""
    if connection.vendor == "postgresql":
        # One array per column; unnest yields the rows in order, and RETURNING follows the rows
        # inserted (as Django's own bulk_create relies on).
        types = ", ".join(f"%s::{field.cast_db_type(connection)}[]" for field in fields)
        sql = f"INSERT INTO {table} ({names}) SELECT * FROM unnest({types}){back}"
        params = [pg_array(list(column)) for column in zip(*rows)]
    else:
        row = f"({', '.join(['%s'] * len(fields))})"
        sql = f"INSERT INTO {table} ({names}) VALUES {', '.join([row] * len(rows))}{back}"
        params = [value for values in rows for value in values]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [r[0] for r in cursor.fetchall()] if returning else []


def _insert(objs: list, model, fields: list, connection) -> None:
    # auto_now / auto_now_add: one timestamp for the statement's rows (as a database's now() would
    # be), converted once; every other value through its field's conversion. The values are read
    # with one attrgetter per row; a text, integer or boolean value of its own type is stored as is.
    now = timezone.now()
    stamps, checks, converts = [], [], []
    for i, field in enumerate(fields):
        prepare = db_value(field, connection)
        exact = _PASS_THROUGH.get(_kind(field, connection.vendor))
        if _stamped_now(field):
            stamps.append((i, field.attname, prepare(now)))
        elif exact is not None:
            checks.append((i, exact, prepare))
        else:
            converts.append((i, prepare))
    read = attrgetter(*[f.attname for f in fields])
    check_related = _related_check(model)
    rows = []
    for obj in objs:
        check_related(obj)
        values = list(read(obj)) if len(fields) > 1 else [read(obj)]
        for i, attname, stamp in stamps:
            setattr(obj, attname, now)
            values[i] = stamp
        for i, exact, prepare in checks:
            value = values[i]
            if value is not None and type(value) is not exact:
                values[i] = prepare(value)
        for i, prepare in converts:
            values[i] = prepare(values[i])
        rows.append(values)
    ids = _execute_insert(model, fields, rows, connection, returning=True)
    if len(ids) != len(objs):
        raise RuntimeError(f"INSERT into {model._meta.db_table} returned {len(ids)} ids for {len(objs)} rows")
    for obj, pk_value in zip(objs, ids):
        obj.pk = pk_value
        obj._state.adding, obj._state.db = False, connection.alias


@lru_cache(maxsize=None)
def _related_check(model):
    """``obj -> None``: what ``Model._prepare_related_fields_for_save`` does before an insert, for
    the model's foreign keys only (an unsaved related object is an error; an empty key takes the
    object's; a key set to another row afterwards wins and the cached object is dropped). Django's
    own method for a model with generic relations."""
    if model._meta.private_fields:
        return lambda obj: obj._prepare_related_fields_for_save(operation_name="bulk_insert_rows")
    keys = [(f, f.name, f.attname, f.target_field.attname) for f in model._meta.concrete_fields if f.is_relation]

    def check(obj):
        cache = obj._state.fields_cache
        for field, name, attname, target in keys:
            related = cache.get(name)
            if related is None:
                continue
            if related.pk is None:
                raise ValueError(f"bulk_insert_rows() prohibited to prevent data loss due to unsaved related "
                                 f"object '{name}'.")
            value, current = getattr(related, target), obj.__dict__.get(attname)
            if current in field.empty_values:
                obj.__dict__[attname] = value
            elif current != value:  # a key set after the object wins, as Django has it
                del cache[name]

    return check


def claim_rows(model, where: dict, *, order_by: str, limit: int, set_values: dict, increment: str | None = None,
               only: tuple[str, ...] | None = None, using: str | None = None) -> list:
    """Move up to ``limit`` rows matching ``where`` (``{field attname: value}``, equalities), the
    first by ``order_by``, to ``set_values`` (``increment`` += 1), and return them as instances, in
    one statement: ``UPDATE ... WHERE pk IN (SELECT ... LIMIT n) RETURNING *``. On PostgreSQL the
    inner SELECT takes the rows ``FOR UPDATE SKIP LOCKED``, so concurrent claimers each get other
    rows; SQLite runs it under the write lock of the caller's transaction. The instances come in no
    particular order. Where ``can_claim_rows`` (SQLite 3.35+, PostgreSQL).

    ``only`` (attnames): as ``QuerySet.only``, the other columns are not read back (they load on
    first access); the instances carry ``set_values`` as given and ``increment`` as stored, so a
    job reading its rows' text does not convert every row's timestamps."""
    if not where or not set_values:
        raise ValueError("claim_rows needs the rows to match (where) and what to set on them (set_values).")
    alias = using or router.db_for_write(model)
    connection = connections[alias]
    if not can_claim_rows(connection):
        raise NotImplementedError(f"claim_rows needs UPDATE ... RETURNING, which {connection.vendor} lacks here.")
    quote = connection.ops.quote_name
    meta = model._meta
    table, pk = quote(meta.db_table), quote(meta.pk.column)
    fields = list(meta.concrete_fields)
    filters, params = _equalities(model, where, connection)
    assignments, set_params = _equalities(model, set_values, connection)
    if increment:
        column = quote(_field_by_attname(model, increment).column)
        assignments.append(f"{column} = {column} + 1")
    pick = (f"SELECT {pk} FROM {table} WHERE {' AND '.join(filters)} "
            f"ORDER BY {quote(_field_by_attname(model, order_by).column)} LIMIT %s")
    if only is not None:
        known = {_field_by_attname(model, name).attname for name in set_values}
        wanted = {meta.pk.attname, *(_field_by_attname(model, name).attname for name in only)}
        if increment:
            wanted.add(_field_by_attname(model, increment).attname)
        fields = [f for f in fields if f.attname in wanted - known]
    returning = ", ".join(f"{table}.{quote(f.column)}" for f in fields)
    if connection.vendor == "postgresql":
        sql = (f"WITH picked AS ({pick} FOR UPDATE SKIP LOCKED) UPDATE {table} SET {', '.join(assignments)} "
               f"FROM picked WHERE {table}.{pk} = picked.{pk} RETURNING {returning}")
        values = params + [limit] + set_params
    else:
        sql = f"UPDATE {table} SET {', '.join(assignments)} WHERE {pk} IN ({pick}) RETURNING {returning}"
        values = set_params + params + [limit]
    with connection.cursor() as cursor:
        cursor.execute(sql, values)
        raw = cursor.fetchall()
    claimed = instances_from_db(model, fields, raw, connection)
    if only is not None:  # what was set is known: not read back
        given = {_field_by_attname(model, name).attname: value for name, value in set_values.items()}
        for obj in claimed:
            obj.__dict__.update(given)
    return claimed


def increment_row(model, pk, increments: dict[str, int], *, set_values: dict | None = None,
                  using: str | None = None) -> int:
    """``UPDATE t SET c = c + n, ..., f = v WHERE id = pk`` -> rows changed (0 or 1): what
    ``filter(pk=pk).update(c=F("c") + n, f=v)`` does, without the ORM compiling its expressions
    every time (a bulk job moves its counters at every step)."""
    if not increments:
        raise ValueError("increment_row needs at least one column to add to.")
    alias = using or router.db_for_write(model)
    connection = connections[alias]
    quote = connection.ops.quote_name
    meta = model._meta
    assignments, params = [], []
    for name, amount in increments.items():
        column = quote(_field_by_attname(model, name).column)
        assignments.append(f"{column} = {column} + %s")
        params.append(int(amount))
    sets, set_params = _equalities(model, set_values or {}, connection)
    sql = (f"UPDATE {quote(meta.db_table)} SET {', '.join(assignments + sets)} "
           f"WHERE {quote(meta.pk.column)} = %s")
    with connection.cursor() as cursor:
        cursor.execute(sql, params + set_params + [db_value(meta.pk, connection)(pk)])
        return cursor.rowcount


def can_claim_rows(connection) -> bool:
    """Whether ``claim_rows`` works on ``connection``: SQLite with RETURNING (3.35+), or PostgreSQL."""
    return connection.vendor in ("sqlite", "postgresql") and connection.features.can_return_columns_from_insert


def _equalities(model, values: dict, connection) -> tuple[list[str], list]:
    """``{attname: value}`` -> (["column = %s", ...], the values as the database takes them)."""
    quote = connection.ops.quote_name
    sql, params = [], []
    for attname, value in values.items():
        field = _field_by_attname(model, attname)
        sql.append(f"{quote(field.column)} = %s")
        params.append(db_value(field, connection)(value))
    return sql, params


def select_rows(model, where: dict, *, within: tuple[str, list], lock: bool = False,
                using: str | None = None) -> list:
    """The rows of ``model`` whose ``within`` column (attname, values) is one of the values and whose
    ``where`` columns equal theirs, as instances: ``SELECT ... WHERE c IN (...)`` (``= ANY(array)``
    on PostgreSQL, one parameter), ``FOR UPDATE`` when ``lock`` and the database has it. What
    ``filter(c__in=values)`` returns, without the ORM compiling a lookup per value."""
    alias = using or router.db_for_write(model)
    connection = connections[alias]
    quote = connection.ops.quote_name
    fields = list(model._meta.concrete_fields)
    table = quote(model._meta.db_table)
    column, values = within
    field = _field_by_attname(model, column)
    prepare = db_value(field, connection)
    values = list(dict.fromkeys(prepare(v) for v in values))
    if not values:
        return []
    filters, params = _equalities(model, where, connection)
    names = ", ".join(f"{table}.{quote(f.column)}" for f in fields)
    suffix = " FOR UPDATE" if lock and connection.features.has_select_for_update else ""
    out = []
    batches = [values] if connection.vendor == "postgresql" else [
        values[start:start + SELECT_BATCH] for start in range(0, len(values), SELECT_BATCH)]
    for batch in batches:
        if connection.vendor == "postgresql":
            member = f"{quote(field.column)} = ANY(%s::{field.cast_db_type(connection)}[])"
            batch_params = [pg_array(batch)]
        else:
            member = f"{quote(field.column)} IN ({', '.join(['%s'] * len(batch))})"
            batch_params = batch
        sql = f"SELECT {names} FROM {table} WHERE {' AND '.join([*filters, member])}{suffix}"
        with connection.cursor() as cursor:
            cursor.execute(sql, params + batch_params)
            out += instances_from_db(model, fields, cursor.fetchall(), connection)
    return out


def instances_from_db(model, fields: list, rows: list, connection) -> list:
    """Instances of ``model`` from database rows (values in ``fields`` order), each value through
    the converters the ORM would apply (datetimes from SQLite's text, JSON, ...), without
    ``Model.__init__`` per row (the plain ``from_db`` when something listens to init signals)."""
    converters = []
    for i, field in enumerate(fields):
        col = field.get_col(model._meta.db_table)
        funcs = [*connection.ops.get_db_converters(col), *col.get_db_converters(connection)]
        if funcs:
            converters.append((i, funcs, col))
    attnames = [f.attname for f in fields]
    plain = _constructor_can_be_skipped(model)
    out = []
    for raw in rows:
        values = list(raw)
        for i, funcs, col in converters:
            for convert in funcs:
                values[i] = convert(values[i], col, connection)
        if plain:
            obj = model.__new__(model)
            obj.__dict__.update(zip(attnames, values))
            obj._state = ModelState()
            obj._state.adding, obj._state.db = False, connection.alias
        else:
            obj = model.from_db(connection.alias, attnames, values)
        out.append(obj)
    return out


def _constructor_can_be_skipped(model) -> bool:
    """Whether instances may be built without ``Model.__init__``: nothing listens to its signals."""
    return not (signals.pre_init.has_listeners(model) or signals.post_init.has_listeners(model))


@lru_cache(maxsize=None)
def _field_by_attname(model, attname: str):
    for field in model._meta.concrete_fields:
        if attname in (field.attname, field.name):
            return field
    raise ValueError(f"{model.__name__} has no column {attname!r}")


def new_instance(model, **attrs):
    """``model(**attrs)`` for the many new rows of a bulk upsert, at a fraction of ``Model.__init__``'s
    cost: a copy of a default instance's attributes (callable defaults called afresh), then ``attrs``
    set through their descriptors. The plain constructor whenever something listens to the model's
    init signals. ``instance_maker`` for a loop of them."""
    return instance_maker(model)(**attrs)


def instance_maker(model):
    """``make(**attrs) -> new instance`` as ``new_instance``, with what depends only on the model
    (its defaults, its keys, whether init signals are listened to) looked up once, for a loop."""
    if not _constructor_can_be_skipped(model):
        return model
    values, per_row = _prototype(model)
    keys = _foreign_keys(model)
    new, state = model.__new__, ModelState

    def make(**attrs):
        obj = new(model)
        obj.__dict__.update(values)
        for field in per_row:
            obj.__dict__[field.attname] = field.get_default()
        obj._state = state()
        for name, value in attrs.items():
            key = keys.get(name)
            if key is not None and type(value) is key[1] and value._state.db is not None:
                # what the descriptor does for a saved object of this database, without its router checks
                obj.__dict__[key[0]] = getattr(value, key[2])
                obj._state.fields_cache[name] = value
                if obj._state.db is None:
                    obj._state.db = value._state.db
            else:
                setattr(obj, name, value)
        return obj

    return make


@lru_cache(maxsize=None)
def _foreign_keys(model) -> dict:
    """{name: (attname, related model, the related model's key attname)} of the many-to-one keys."""
    return {f.name: (f.attname, f.related_model, f.target_field.attname) for f in model._meta.concrete_fields
            if f.many_to_one and not f.one_to_one}


@lru_cache(maxsize=None)
def _prototype(model) -> tuple[dict, tuple]:
    blank = model()
    values = {name: value for name, value in blank.__dict__.items() if name != "_state"}
    per_row = tuple(f for f in model._meta.concrete_fields if f.has_default() and callable(f.default))
    return values, per_row


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
        seen: dict = {}  # a statement's rows share their timestamps (sent_at, updated_at, ...): convert each once

        def datetime_value(value):
            if value is None:
                return adapt(value)
            if isinstance(value, dt.datetime) and value.tzinfo:
                try:
                    return seen[value]
                except KeyError:
                    seen[value] = converted = adapt(value)
                    return converted
            return general(value)

        return datetime_value
    if kind in _PASS_THROUGH:
        exact = _PASS_THROUGH[kind]
        return lambda value: value if value is None or type(value) is exact else general(value)
    return general


_PASS_THROUGH = {"int": int, "text": str, "bool": bool}


@lru_cache(maxsize=None)
def _stamped_now(field) -> bool:
    """A DateTimeField whose pre_save on insert is Django's ``auto_now`` / ``auto_now_add`` stamp."""
    return (isinstance(field, DateTimeField) and (field.auto_now or field.auto_now_add)
            and type(field).pre_save is DateTimeField.pre_save)


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
