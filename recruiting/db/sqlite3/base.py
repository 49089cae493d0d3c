"""SQLite with writers queued on an OS lock instead of SQLite's busy back-off.

SQLite has one writer per database file. When a second connection wants to write it gets
SQLITE_BUSY and the busy handler sleeps and retries, in steps that grow to 100 ms; with several
processes writing (gunicorn workers storing webhooks, a Celery worker and its bulk-invite helpers)
most of a request's time becomes those sleeps, and a writer can lose every race until its timeout.

This backend takes an exclusive ``flock`` on ``<database>.writelock`` before each write: at the
start of a transaction (``BEGIN IMMEDIATE``, which is when SQLite takes its write lock), and around
each writing statement outside a transaction (autocommit). It releases it at commit, rollback or
close. The kernel hands the lock to the next waiter the moment it is free, in order, so writers
queue instead of polling; reads (WAL) never wait. The database's own locking and ``timeout``
stay in place behind it (a process not using this backend is still safe). An in-memory database
(the test database) has no file to lock and works as Django's backend does.
"""

from __future__ import annotations

import fcntl
import os

from django.db.backends.sqlite3 import base

WRITE_STATEMENTS = ("INSERT", "UPDATE", "DELETE", "REPLACE")


class DatabaseWrapper(base.DatabaseWrapper):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._write_lock_fd: int | None = None
        self._write_lock_held = False
        self._cursor_factory = None

    # --- the lock ---------------------------------------------------------------------------

    def _lock_path(self) -> str | None:
        if self.is_in_memory_db():
            return None
        return f"{self.settings_dict['NAME']}.writelock"

    def acquire_write_lock(self) -> None:
        if self._write_lock_held:
            return
        path = self._lock_path()
        if path is None:
            return
        if self._write_lock_fd is None:
            self._write_lock_fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
        fcntl.flock(self._write_lock_fd, fcntl.LOCK_EX)
        self._write_lock_held = True

    def release_write_lock(self) -> None:
        if self._write_lock_held and self._write_lock_fd is not None:
            fcntl.flock(self._write_lock_fd, fcntl.LOCK_UN)
        self._write_lock_held = False

    # --- where SQLite takes and drops its write lock ----------------------------------------

    def _start_transaction_under_autocommit(self):
        self.acquire_write_lock()
        try:
            super()._start_transaction_under_autocommit()
        except BaseException:
            self.release_write_lock()
            raise

    def _commit(self):
        try:
            return super()._commit()
        finally:
            self.release_write_lock()

    def _rollback(self):
        try:
            return super()._rollback()
        finally:
            self.release_write_lock()

    def _close(self):
        try:
            return super()._close()
        finally:
            self.release_write_lock()
            if self._write_lock_fd is not None:
                os.close(self._write_lock_fd)
                self._write_lock_fd = None

    def create_cursor(self, name=None):
        if self._cursor_factory is None:
            self._cursor_factory = _cursor_class(self)
        return self.connection.cursor(factory=self._cursor_factory)


def _cursor_class(wrapper: DatabaseWrapper):
    class LockingCursor(base.SQLiteCursorWrapper):
        """A writing statement outside a transaction holds the write lock while it runs."""

        def execute(self, query, params=None):
            if wrapper._write_lock_held or wrapper.in_atomic_block or not _writes(query):
                return super().execute(query, params)
            wrapper.acquire_write_lock()
            try:
                return super().execute(query, params)
            finally:
                wrapper.release_write_lock()

        def executemany(self, query, param_list):
            if wrapper._write_lock_held or wrapper.in_atomic_block or not _writes(query):
                return super().executemany(query, param_list)
            wrapper.acquire_write_lock()
            try:
                return super().executemany(query, param_list)
            finally:
                wrapper.release_write_lock()

    return LockingCursor


def _writes(query: str) -> bool:
    return query.lstrip()[:7].upper().startswith(WRITE_STATEMENTS)
