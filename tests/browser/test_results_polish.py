"""The results list and a result page as a recruiter sees them at desktop and phone widths, with
seed_demo-like data (attempts taken over weeks, re-scored at JobMojito just now)."""

import datetime as dt
import os

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = os.environ.get("RESULTS_SCREENSHOTS")  # a folder: save the pages as PNGs to look at


def seed():
    from django.utils import timezone

    from recruiting.models import TranscriptRow
    from tests.recruiting.conftest import make_candidate, make_interview, make_invitation
    from tests.recruiting.views.results.conftest import failed, scored

    now = timezone.now()
    interview = make_interview(name="Support Engineer")
    made = []
    for i, (name, days, make) in enumerate((("Ada Lovelace", 1, scored), ("Grace Hopper", 6, scored),
                                            ("Alan Turing", 19, failed))):
        taken = now - dt.timedelta(days=days)
        invitation = make_invitation(interview=interview, candidate=make_candidate(
            name=name, email=f"{name.split()[0].lower()}@example.com"))
        made.append(make(invitation=invitation, remote_created_at=taken, remote_updated_at=now, started_at=taken,
                         ended_at=taken + dt.timedelta(minutes=11), score=None if make is failed else 8.0 - i))
    for position, (is_answer, question, answer) in enumerate((
            (False, "Tell us about a hard customer problem you solved.", ""),
            (True, "Tell us about a hard customer problem you solved.", "A billing export that failed nightly."),
            (False, "How do you keep calm with angry users?", ""),
            (True, "How do you keep calm with angry users?", "I listen first and repeat the problem back."))):
        TranscriptRow.objects.create(result=made[0], position=position, is_answer=is_answer, question=question,
                                     answer=answer, score=7.0 if is_answer else None,
                                     ai_analysis_recruiter="Specific and measurable." if is_answer else "")
    return made


def shoot(page, name):
    if SHOTS:
        page.screenshot(path=os.path.join(SHOTS, f"{name}.png"), full_page=True)


def test_list_detail_and_overview_at_desktop_and_phone_width(recruiter_page):
    page = recruiter_page
    ada, _, alan = seed()
    for width in (1280, 390):
        page.set_viewport_size({"width": width, "height": 900})
        page.goto(page.live_url + "/results/")
        first_row = page.locator("tbody tr").first
        assert "Ada Lovelace" in first_row.inner_text()
        phone_line = first_row.locator(".sub.show-phone")
        assert phone_line.is_visible() is (width == 390), f"phone-only line at {width}px"
        if width == 1280:
            assert "just now" not in page.locator("tbody").inner_text()
            assert page.locator("tbody tr").nth(1).locator("td.nowrap time").inner_text().endswith("ago")
        shoot(page, f"results-list-{width}")

        page.goto(page.live_url + f"/results/{ada.pk}/")
        transcript = page.locator("ol.transcript")
        assert transcript.locator("li").count() == 2
        assert transcript.inner_text().count("How do you keep calm with angry users?") == 1
        shoot(page, f"result-scored-{width}")

        page.goto(page.live_url + f"/results/{alan.pk}/")
        banner = page.locator("#failed-attempt").inner_text()
        assert "This attempt did not complete." in banner and "abandoned the interview before finishing" in banner
        shoot(page, f"result-failed-{width}")

        page.goto(page.live_url + "/")
        assert "just now" not in page.locator("#recent-h").locator("xpath=../..").locator("tbody").inner_text()
        shoot(page, f"overview-{width}")
