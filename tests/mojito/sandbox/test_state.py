"""SandboxState lookups: by email and by person, indexed, equal to a scan of the tables."""

from mojito.sandbox.state import SandboxState, new_id


def _profile(state, email):
    profile = {"id": new_id(), "email": email}
    state.profiles[profile["id"]] = profile
    return profile


def _enrolment(state, profile, **kw):
    enrolment = {"id": new_id(), "profile_id": profile["id"], "interview_id": None, "position_id": None,
                 "status": "active", **kw}
    state.enrolments[enrolment["id"]] = enrolment
    return enrolment


def test_profile_by_email_sees_rows_added_after_earlier_lookups():
    state = SandboxState()
    assert state.profile_by_email("a@example.com") is None
    a = _profile(state, "a@example.com")
    assert state.profile_by_email(" A@Example.com ") is a
    b = _profile(state, "b@example.com")
    assert state.profile_by_email("b@example.com") is b and state.profile_by_email("a@example.com") is a
    assert state.profile_by_email("c@example.com") is None


def test_a_table_replaced_by_load_is_indexed_afresh():
    state = SandboxState()
    _profile(state, "a@example.com")
    assert state.profile_by_email("a@example.com") is not None
    state.profiles = {"x": {"id": "x", "email": "x@example.com"}}  # what load() does
    assert state.profile_by_email("a@example.com") is None
    assert state.profile_by_email("x@example.com")["id"] == "x"


def test_find_enrolment_returns_the_oldest_live_match():
    state = SandboxState()
    person, other = _profile(state, "p@example.com"), _profile(state, "o@example.com")
    gone = _enrolment(state, person, interview_id="i1", status="deleted")
    assert state.find_enrolment(person["id"], interview_id="i1") is None
    first = _enrolment(state, person, interview_id="i1")
    _enrolment(state, person, interview_id="i1")
    in_position = _enrolment(state, person, position_id="p1")
    _enrolment(state, other, interview_id="i1")
    assert state.find_enrolment(person["id"], interview_id="i1") is first
    assert state.find_enrolment(person["id"], position_id="p1") is in_position
    assert state.find_enrolment(person["id"], interview_id="i2") is None
    gone["status"] = "active"  # a status change is seen at once (checked on the live record)
    assert state.find_enrolment(person["id"], interview_id="i1") is gone
