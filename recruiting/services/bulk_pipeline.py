"""Several requests in flight while one thread does every database write: the bulk engine's loop.

A bulk job's requests wait on the network; its writes (a chunk's outcomes, the next claim) cost CPU
and, on SQLite, take turns on the one writer lock. When each sender thread also wrote its own
outcomes, a request could only start once its thread had written the last one, and the writes of
five threads queued behind each other. Here sender threads only make requests; the calling thread
records what came back *and* claims what is sent next in one transaction (``step``), while the
senders work through chunks claimed ahead. So a sender never waits on the database, the outcomes of
chunks that finish together share one transaction, and the job uses one database connection per
process for its rows. The senders' API call log rows are written by the calling thread too, those
of the requests that ended meanwhile in one INSERT before each step (``mojito.calllog.buffered``).

Nothing here knows about bulk invites: the engine in ``recruiting.services.candidates`` supplies
``step`` and ``request``.
"""

from __future__ import annotations

import logging
import queue
import threading
from collections.abc import Callable
from typing import Any

from django.db import connections

from mojito.calllog import CallLogBuffer, buffered

logger = logging.getLogger(__name__)

_STOP = object()

Step = Callable[[list[tuple[Any, Any]], int], list]
"""``step(done, wanted)``: record ``done`` ([(chunk, outcome)]) and claim up to ``wanted`` chunks,
in one transaction -> the chunks claimed ([] when nothing is left to claim)."""


def pipeline_run(*, step: Step, request: Callable[[Any], Any], workers: int, ahead: int | None = None,
                 name: str = "bulk") -> None:
    """Send every chunk ``step`` claims with ``workers`` requests in flight, until nothing is left.

    ``request(chunk)`` makes the request and returns its outcome (an expected failure included); an
    exception it raises is logged as a bug and becomes the outcome (``step`` decides what it means
    for the chunk's rows). Up to ``ahead`` chunks (default
    twice ``workers``) are claimed at a time, so a sender finds its next chunk waiting. An exception
    from ``step`` stops the senders (each finishes the request it is making) and is raised; chunks
    claimed but not recorded stay claimed, for the lease to hand them back.
    """
    capacity = max(workers, ahead or 2 * workers)
    todo: queue.SimpleQueue = queue.SimpleQueue()
    finished: queue.SimpleQueue = queue.SimpleQueue()
    calls = CallLogBuffer()
    threads = [threading.Thread(target=_sender, args=(request, todo, finished, calls), name=f"{name}-sender-{i}",
                                daemon=True) for i in range(workers)]
    for thread in threads:
        thread.start()
    outstanding = 0
    try:
        chunks = step([], capacity)
        while True:
            for chunk in chunks:
                todo.put(chunk)
            outstanding += len(chunks)
            if not outstanding:
                return
            done = [finished.get()]
            while True:  # everything else that finished meanwhile goes into the same transaction
                try:
                    done.append(finished.get_nowait())
                except queue.Empty:
                    break
            outstanding -= len(done)
            calls.flush()  # before the outcomes: a recorded outcome's call is in the log
            chunks = step(done, capacity - outstanding)
    finally:
        while True:  # chunks not started are not sent
            try:
                todo.get_nowait()
            except queue.Empty:
                break
        for _ in threads:
            todo.put(_STOP)
        for thread in threads:
            thread.join()
        calls.flush()


def pipeline_run_inline(*, step: Step, request: Callable[[Any], Any]) -> None:
    """The same loop with one request at a time, in this thread (inside a transaction, or where
    other connections cannot see this one's rows)."""
    done: list = []
    while chunks := step(done, 1):
        done = [(chunk, _outcome(request, chunk)) for chunk in chunks]


def _outcome(request, chunk):
    try:
        return request(chunk)
    except Exception as exc:  # handed to step, which records it on the chunk's rows
        logger.exception("bulk request failed unexpectedly")
        return exc


def _sender(request, todo: queue.SimpleQueue, finished: queue.SimpleQueue, calls: CallLogBuffer) -> None:
    try:
        with buffered(calls):  # the calling thread writes the API call log's rows, before each step
            while (chunk := todo.get()) is not _STOP:
                finished.put((chunk, _outcome(request, chunk)))
    finally:
        connections.close_all()
