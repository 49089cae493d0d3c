"""Property test: any mix of nulls and unknown keys in a 200 body parses (reliability.md 1.5 check 10)."""

from __future__ import annotations

import copy

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mojito.client import Page
from tests.mojito.test_client_samples import CALLS, SAMPLES, Recorder, make_client

json_scalars = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False, allow_infinity=False), st.text(max_size=5))
json_values = st.recursive(json_scalars, lambda inner: st.one_of(st.lists(inner, max_size=3),
                                                                 st.dictionaries(st.text(max_size=5), inner,
                                                                                 max_size=3)),
                           max_leaves=6)
unknown_keys = st.dictionaries(st.text(min_size=1, max_size=8).map(lambda k: f"zz_{k}"), json_values, max_size=3)


def _mutate(value, data):
    """Null a random subset of the fields of ``value`` (and of its rows), add unknown keys."""
    if isinstance(value, dict):
        out = {k: (None if data.draw(st.booleans()) else _mutate(v, data)) for k, v in value.items()}
        out.update(data.draw(unknown_keys))
        return out
    if isinstance(value, list):
        return [_mutate(v, data) if isinstance(v, (dict, list)) else v for v in value]
    return value


@pytest.mark.parametrize("endpoint", sorted(set(SAMPLES) - {"job-interview-token"}))
@settings(max_examples=25, deadline=None)
@given(data=st.data())
def test_nulls_and_unknown_keys_anywhere_parse(endpoint, data):
    body = _mutate(copy.deepcopy(SAMPLES[endpoint]), data)
    out = CALLS[endpoint](make_client(Recorder(body)))
    if isinstance(out, Page):
        assert all(isinstance(row, dict) for row in out.data)
        assert isinstance(out.total, int) and isinstance(out.has_more, bool)
    elif isinstance(out, list):
        assert len(out) == len(body)
        assert all(isinstance(row.ok, bool) for row in out)
        assert all(row.ok or row.error for row in out)
    else:
        assert isinstance(out, dict)
