"""What a taken interview costs in JobMojito credits (API reference section 6.1).

    cost = (base format of the template + add-ons) x duration multiplier of the configured max_duration

Creating an interview is free; the cost is charged per interview a candidate takes. Forms show it
next to each template so a recruiter sees what a modality costs before choosing it.

This is the one credit table: the sandbox (mojito/sandbox/credits.py) charges its ledger from it.
"""

from __future__ import annotations

from mojito.vocabulary import AvatarTemplateType

BASE_CREDITS = {
    AvatarTemplateType.OFFLINE_HEYGEN: 0.35,
    AvatarTemplateType.OFFLINE_ELAI: 0.35,
    AvatarTemplateType.OFFLINE_SYNTHESIA: 0.35,
    AvatarTemplateType.INTERACTIVE_ELEVENLABS: 1.0,
    AvatarTemplateType.INTERACTIVE_HEYGEN: 2.5,
}
DEFAULT_BASE_CREDITS = 2.5  # an unknown template type is priced like the dearest format
EARLY_STOP_CREDITS = 1.5  # an interactive avatar with early-stop scoring (result_scoring.early_stop)
RECORDING_ADDON = {"audio_all": 0.1, "audio_first_5_answers": 0.1, "video_all": 0.25, "video_first_5_answers": 0.25}
FULL_SESSION_ADDON = {"audio_all": 0.2, "video_all": 0.4}
DEFAULT_MAX_DURATION = 1200
PRE_SCREENING_CREDITS = 0.25  # per résumé pre-screened
TRANSLATION_CREDITS = 0.1  # per result report translated into another language


def duration_multiplier(max_duration: int | float | None) -> int:
    seconds = max_duration or DEFAULT_MAX_DURATION
    for limit, factor in ((1200, 1), (1800, 2), (2700, 3), (3600, 4)):
        if seconds <= limit:
            return factor
    return 5


def base_credits(template_type: str | None, *, early_stop: bool = False) -> float:
    """The base format's credits; early stop makes the (default) interactive avatar cheaper."""
    if early_stop and (template_type or AvatarTemplateType.INTERACTIVE_HEYGEN) == AvatarTemplateType.INTERACTIVE_HEYGEN:
        return EARLY_STOP_CREDITS
    return BASE_CREDITS.get(template_type or "", DEFAULT_BASE_CREDITS)


def interview_credits(template_type: str | None, *, max_duration: int | float | None = None,
                      recording: str | None = None, recording_full_session: str | None = None,
                      early_stop: bool = False) -> float:
    """Credits one taken interview costs with this template and these settings."""
    addons = RECORDING_ADDON.get(recording or "", 0.0) + FULL_SESSION_ADDON.get(recording_full_session or "", 0.0)
    return round((base_credits(template_type, early_stop=early_stop) + addons) * duration_multiplier(max_duration), 4)


def format_credits(amount: float) -> str:
    """"2.5 credits", "1 credit", "0.35 credits"."""
    text = f"{amount:.2f}".rstrip("0").rstrip(".")
    return f"{text} credit" if text == "1" else f"{text} credits"
