"""merchant-result-list keeps a list's filtered, sorted rows while nothing changed: the pages of
one list are slices, and any change (a result added, a field set, an interview deleted) is seen on
the very next page."""

from __future__ import annotations

import json

import pytest

from mojito.sandbox.api import results as results_api
from mojito.sandbox.api.prescreening import new_enrolment, upsert_candidate
from mojito.sandbox.state import ResultRecord, ResultTable, SandboxState
from tests.mojito.sandbox.test_contract import api, create_interview


@pytest.fixture
def client(sb):
    return api(sb)


@pytest.fixture
def passes(monkeypatch):
    """How many times a list filtered and sorted every result."""
    calls = []
    original = results_api._filter_and_sort

    def counting(*args):
        calls.append(1)
        return original(*args)

    monkeypatch.setattr(results_api, "_filter_and_sort", counting)
    return calls


def _results(sb, interview_id: str, n: int) -> list[str]:
    state = sb.state
    ids = []
    with state.lock:
        for i in range(n):
            profile = upsert_candidate(state, email=f"snap{i}-{interview_id[:4]}@example.com", name=f"Snap {i}")
            enrolment = new_enrolment(state, profile, interview_id=interview_id)
            ids.append(state.add_result(enrolment["id"], status="active", coach_status="completed",
                                        processing_status="completed", score=float(i % 5))["id"])
    return ids


def _page(client, offset: int, **params) -> dict:
    params = {"limit": 10, "offset": offset, "order_by": "updated_at_newest", **params}
    return client.get("/merchant-result-list", params=params).json()


def _all_ids(client, **params) -> list[str]:
    ids, offset = [], 0
    while True:
        page = _page(client, offset, **params)
        ids += [row["interview_result_id"] for row in page["data"]]
        if not page["pagination"]["has_more"]:
            return ids
        offset += 10


def test_the_pages_of_one_list_filter_and_sort_once(sb, client, passes):
    interview_id = create_interview(client)
    made = _results(sb, interview_id, 35)
    listed = _all_ids(client, interview_id=interview_id)
    assert sorted(listed) == sorted(made) and len(passes) == 1
    assert _all_ids(client, interview_id=interview_id, tab="completed") == listed and len(passes) == 2


def test_a_change_between_pages_is_seen_on_the_next_page(sb, client, passes):
    interview_id = create_interview(client)
    made = _results(sb, interview_id, 25)
    first = _page(client, 0, interview_id=interview_id)
    assert first["pagination"]["total"] == 25
    sb.state.results[made[0]]["status"] = "archived"  # a field set in place
    assert _page(client, 10, interview_id=interview_id, tab="archived-interview")["pagination"]["total"] == 1
    more = _results(sb, interview_id, 1)  # a result added
    assert _page(client, 10, interview_id=interview_id)["pagination"]["total"] == 26
    sb.state.results[more[0]].update(score=None, updated_at="2000-01-01T00:00:00Z")  # update()
    last = _page(client, 20, interview_id=interview_id)
    assert last["data"][-1]["interview_result_id"] == more[0]
    del sb.state.results[more[0]]  # a result removed
    assert _page(client, 0, interview_id=interview_id)["pagination"]["total"] == 25
    sb.state.interviews[interview_id]["status"] = "deleted"  # its interview deleted
    assert _page(client, 0, interview_id=interview_id)["pagination"]["total"] == 0
    assert len(passes) == 6


def test_a_record_that_does_not_count_its_changes_turns_the_snapshot_off(sb, client, passes):
    interview_id = create_interview(client)
    made = _results(sb, interview_id, 3)
    plain = dict(sb.state.results[made[0]], id="plain-result")
    sb.state.results["plain-result"] = plain  # a plain dict: its changes cannot be seen
    assert _page(client, 0, interview_id=interview_id)["pagination"]["total"] == 4
    plain["type"] = "public_avatar"
    assert _page(client, 0, interview_id=interview_id)["pagination"]["total"] == 3
    assert len(passes) == 2 and not sb.state.results.revisions.tracked


def test_records_stay_plain_data_for_the_state_file_and_copies(tmp_path):
    state = SandboxState(state_file=tmp_path / "state.json")
    assert isinstance(state.results, ResultTable)
    state.results["r-1"] = state.results.record({"id": "r-1", "status": "draft"})
    state.save()
    assert json.loads((tmp_path / "state.json").read_text())["results"] == {"r-1": {"id": "r-1", "status": "draft"}}
    loaded = SandboxState(state_file=tmp_path / "state.json")
    assert loaded.load() and isinstance(loaded.results, ResultTable)
    assert isinstance(loaded.results["r-1"], ResultRecord) and loaded.results.revisions.tracked
    import copy
    import pickle

    assert type(copy.deepcopy(loaded.results["r-1"])) is dict
    assert pickle.loads(pickle.dumps(loaded.results)) == {"r-1": {"id": "r-1", "status": "draft"}}
