"""The bulk engine's loop: requests in sender threads, every write (record + claim) in the caller's thread."""

import threading
import time

import pytest

from recruiting.services.bulk_pipeline import pipeline_run, pipeline_run_inline


class Chunks:
    """A job of ``n`` chunks; ``step`` records what the pipeline hands back and claims the next ones."""

    def __init__(self, n: int):
        self.pending = list(range(n))
        self.recorded: dict[int, object] = {}
        self.steps: list[tuple[int, int]] = []  # (chunks recorded, chunks asked for)
        self.outstanding = 0
        self.max_outstanding = 0
        self.step_threads = set()

    def step(self, done, wanted):
        self.step_threads.add(threading.get_ident())
        for chunk, outcome in done:
            assert chunk not in self.recorded, "a chunk is recorded once"
            self.recorded[chunk] = outcome
        self.outstanding -= len(done)
        self.steps.append((len(done), wanted))
        claimed, self.pending = self.pending[:wanted], self.pending[wanted:]
        self.outstanding += len(claimed)
        self.max_outstanding = max(self.max_outstanding, self.outstanding)
        return claimed


def test_every_chunk_is_requested_once_and_recorded_in_the_callers_thread():
    job, requested, threads = Chunks(40), [], set()
    lock = threading.Lock()

    def request(chunk):
        with lock:
            requested.append(chunk)
            threads.add(threading.get_ident())
        time.sleep(0.002)
        return f"answer {chunk}"

    pipeline_run(step=job.step, request=request, workers=4)
    assert sorted(requested) == list(range(40))
    assert job.recorded == {i: f"answer {i}" for i in range(40)}
    assert job.step_threads == {threading.get_ident()}  # writes never happen in a sender
    assert threading.get_ident() not in threads and len(threads) > 1
    assert job.max_outstanding <= 8  # claimed ahead: twice the senders at most
    assert job.outstanding == 0


def test_chunks_that_finish_together_are_recorded_in_one_step():
    job = Chunks(12)
    release = threading.Event()

    def request(chunk):
        release.wait(5)
        return chunk

    def slow_step(done, wanted):  # while a step writes, the other senders' answers pile up
        time.sleep(0.05)
        return job.step(done, wanted)

    timer = threading.Timer(0.2, release.set)  # all four senders finish at about the same moment
    timer.start()
    pipeline_run(step=slow_step, request=request, workers=4, ahead=4)
    timer.cancel()
    assert len(job.recorded) == 12
    assert max(done for done, _ in job.steps) > 1
    assert len(job.steps) < 1 + 12


def test_an_exception_from_a_request_becomes_that_chunks_outcome():
    job = Chunks(6)

    def request(chunk):
        if chunk == 3:
            raise RuntimeError("boom")
        return "ok"

    pipeline_run(step=job.step, request=request, workers=2)
    assert isinstance(job.recorded[3], RuntimeError) and str(job.recorded[3]) == "boom"
    assert [job.recorded[i] for i in (0, 1, 2, 4, 5)] == ["ok"] * 5


def test_an_exception_from_step_stops_the_senders_and_is_raised():
    calls = []

    def step(done, wanted):
        if done:
            raise ValueError("the database is gone")
        return list(range(wanted))

    def request(chunk):
        calls.append(chunk)
        time.sleep(0.2)
        return chunk

    before = threading.active_count()
    with pytest.raises(ValueError, match="the database is gone"):
        pipeline_run(step=step, request=request, workers=2, ahead=6)
    assert threading.active_count() == before  # every sender thread has ended
    assert len(calls) <= 4  # the chunks still waiting for a sender were not sent (2 in flight, 2 taken next)


def test_the_inline_loop_records_each_chunk_before_claiming_the_next():
    job = Chunks(5)
    pipeline_run_inline(step=job.step, request=lambda chunk: chunk * 10)
    assert job.recorded == {i: i * 10 for i in range(5)}
    assert job.steps == [(0, 1)] + [(1, 1)] * 5
    assert job.max_outstanding == 1


def test_the_senders_api_call_log_is_written_by_the_callers_thread_before_each_step(monkeypatch):
    from mojito import calllog

    written = []  # (thread, calls) of every write of the call log
    monkeypatch.setattr(calllog, "_write", lambda calls: written.append((threading.get_ident(), len(calls))))
    job = Chunks(20)
    step = job.step

    def logged_first(done, wanted):  # every chunk recorded here has had its call written already
        assert sum(n for _, n in written) >= len(job.recorded) + len(done)
        return step(done, wanted)

    job.step = logged_first

    def request(chunk):
        calllog.record_call(calllog.CallOutcome(endpoint="job-interview-register-users", method="POST",
                                                status_code=200, attempts=1, ok=True))
        time.sleep(0.002)
        return chunk

    pipeline_run(step=job.step, request=request, workers=4)
    assert sum(n for _, n in written) == 20  # one row per request, none lost or written twice
    assert {thread for thread, _ in written} == {threading.get_ident()}
    assert len(written) <= len(job.steps)  # at most one write per step (and one at the end)
    calllog.record_call(calllog.CallOutcome(endpoint="merchant-status", method="GET"))
    assert written[-1] == (threading.get_ident(), 1)  # the caller's own calls are written at once again
