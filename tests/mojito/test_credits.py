"""The one credit table (API reference 6.1), which the app shows and the sandbox charges."""

import pytest

from mojito import credits
from mojito.sandbox import credits as sandbox_credits


def test_interview_credits_follow_section_6():
    assert credits.interview_credits("interactive_heygen") == 2.5
    assert credits.interview_credits("interactive_elevenlabs", max_duration=1800) == 2.0
    assert credits.interview_credits("offline_elai", max_duration=2700) == pytest.approx(1.05)
    assert credits.interview_credits("interactive_heygen", recording="video_all", recording_full_session="audio_all",
                                     max_duration=3600) == pytest.approx(11.8)
    assert credits.interview_credits(None) == credits.DEFAULT_BASE_CREDITS == 2.5


def test_early_stop_lowers_only_the_interactive_avatar():
    assert credits.interview_credits("interactive_heygen", early_stop=True, max_duration=3600) == 6.0
    assert credits.interview_credits("", early_stop=True) == 1.5  # an unknown template is the interactive avatar
    assert credits.interview_credits("interactive_elevenlabs", early_stop=True) == 1.0
    assert credits.interview_credits("offline_heygen", early_stop=True) == 0.35


def test_format_credits_says_the_unit():
    assert [credits.format_credits(x) for x in (1.0, 2.5, 0.35, 6.0)] == ["1 credit", "2.5 credits", "0.35 credits",
                                                                           "6 credits"]


@pytest.mark.parametrize("definition", [
    {"interview_template_type": "interactive_heygen", "max_duration": 1200},
    {"interview_template_type": "interactive_heygen", "result_scoring": {"early_stop": True}, "max_duration": 1800},
    {"interview_template_type": "interactive_elevenlabs", "recording": "audio_all", "max_duration": 4800},
    {"interview_template_type": "offline_synthesia", "recording_full_session": "video_all"},
    {"result_scoring": None, "recording": "video_first_5_answers"},
])
def test_the_sandbox_charges_what_the_app_shows(definition):
    scoring = definition.get("result_scoring") or {}
    assert sandbox_credits.interview_cost(definition) == credits.interview_credits(
        definition.get("interview_template_type"), max_duration=definition.get("max_duration"),
        recording=definition.get("recording"), recording_full_session=definition.get("recording_full_session"),
        early_stop=bool(scoring.get("early_stop")))


def test_the_sandbox_has_no_table_of_its_own(monkeypatch):
    """Change a price in mojito.credits and the sandbox charges the new price: there is one table."""
    monkeypatch.setitem(credits.BASE_CREDITS, "offline_heygen", 0.5)
    monkeypatch.setitem(credits.RECORDING_ADDON, "audio_all", 0.3)
    assert sandbox_credits.interview_cost({"interview_template_type": "offline_heygen", "recording": "audio_all"}) == 0.8
    assert sandbox_credits.PRE_SCREENING_COST == credits.PRE_SCREENING_CREDITS == 0.25
    assert sandbox_credits.TRANSLATION_COST == credits.TRANSLATION_CREDITS == 0.1
    for name in ("BASE_COST", "EARLY_STOP_COST", "RECORDING_ADDON", "FULL_SESSION_ADDON", "duration_multiplier"):
        assert not hasattr(sandbox_credits, name)


@pytest.mark.django_db
def test_the_bulk_invite_estimate_uses_the_same_table():
    from recruiting.models import Interview
    from recruiting.selectors.invitations import interview_credit_cost

    interview = Interview.objects.create(mojito_id="iv-cost", name="Cost", template_type="interactive_heygen",
                                         max_duration=1800, raw={"result_scoring": {"early_stop": True},
                                                                 "recording": "audio_all"})
    assert interview_credit_cost(interview) == credits.interview_credits(
        "interactive_heygen", max_duration=1800, recording="audio_all", early_stop=True) == 3.2
