"""A recruiter bulk-invites a CSV in Chromium: the preview flags the bad rows, a REAL Celery worker
sends the rest while the progress bar fills, the error file is downloaded, and rows that failed
while JobMojito was down are retried once it is back.

Needs PostgreSQL (the worker is a second process on the test database) and Redis, as CI has.
Set SCREENSHOTS_DIR to keep screenshots of each page at 1280 and 390 px wide.
"""

import csv
import io
import os
from pathlib import Path

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True), pytest.mark.timeout(240)]

SIX_ROWS = ("name,email,external_id\n"
            "Ana Souza,ana.souza@example.com,ATS-1\n"
            "Tom Becker,tom.becker@example.com,ATS-2\n"
            "Broken Row,tom.becker(at)example.com,ATS-3\n"
            "Li Wei,li.wei@example.com,ATS-4\n"
            "Ana Souza again,Ana.Souza@example.com,ATS-5\n"
            "Sam Lee,sam.lee@example.com,ATS-6\n")
THREE_ROWS = "Maya Patel,maya.patel@example.com\nJon Berg,jon.berg@example.com\nEva Diaz,eva.diaz@example.com\n"


def shoot(page, name):
    folder = os.environ.get("SCREENSHOTS_DIR")
    if not folder:
        return
    Path(folder).mkdir(parents=True, exist_ok=True)
    for width in (1280, 390):
        page.set_viewport_size({"width": width, "height": 900})
        page.screenshot(path=f"{folder}/{name}-{width}.png", full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})


def wait_until_done(page, timeout=120_000):
    page.wait_for_selector('#ledger[data-done="yes"]', timeout=timeout)


def count(page, name):
    return int(page.locator(f'[data-count="{name}"]').inner_text())


def upload_and_preview(page, interview, text, file_name):
    page.goto(f"{page.live_url}/interviews/{interview.pk}/invite/")
    page.set_input_files("#id_csv-file", files=[{"name": file_name, "mimeType": "text/csv", "buffer": text.encode()}])
    page.click("text=Check the file")
    page.wait_for_selector("h1:has-text('Check the upload before sending')")


@pytest.fixture
def interview(live_sandbox):
    from mojito.sandbox.seed import TEMPLATE_IDS
    from recruiting.services.interviews import interview_create_from_questions

    return interview_create_from_questions(
        name="Customer Support Lead", location="Lisbon", interview_template_id=TEMPLATE_IDS["interactive_heygen"],
        description="Lead our support team.", questions=["How do you handle an angry customer?"], status="active")


def test_bulk_invite_preview_send_errors_and_retry(recruiter_page, live_worker, live_sandbox, interview, tmp_path):
    from recruiting.models import BulkInvite, BulkInviteRow

    page = recruiter_page
    upload_and_preview(page, interview, SIX_ROWS, "support-candidates.csv")

    # The preview flags the bad email and the duplicate, and counts the good rows; nothing is sent.
    assert page.locator("#count-good").inner_text() == "4"
    flagged = page.locator("#flagged-rows tbody tr")
    assert flagged.count() == 2
    assert "is not a valid email address" in page.locator('#flagged-rows tr[data-state="invalid"]').inner_text()
    assert "duplicate of line 2" in page.locator('#flagged-rows tr[data-state="duplicate"]').inner_text()
    assert page.locator("#good-rows tbody tr").count() == 4
    assert "400 of 400 this period" in page.locator("#allowance + dl").inner_text()
    assert not [c for c in live_sandbox.state.api_calls if c["endpoint"] == "job-interview-register-users"]
    shoot(page, "preview")

    page.check("input[name=delivery][value=links]")
    page.click("text=Send 4 invitations")
    page.wait_for_selector("h1:has-text('Bulk invite to Customer Support Lead')")
    shoot(page, "ledger-started")

    # The worker process sends; htmx polling updates the bar until it is done.
    wait_until_done(page)
    assert (count(page, "sent"), count(page, "failed"), count(page, "invalid"), count(page, "duplicate"),
            count(page, "remaining")) == (4, 0, 1, 1, 0)
    assert page.locator("#progress-title").inner_text() == "Finished"
    assert page.locator('#bulk-rows tr[data-state="sent"] .copy-field input').count() == 4
    shoot(page, "ledger-done")

    with page.expect_download() as download_info:
        page.click("#errors-csv")
    path = tmp_path / "errors.csv"
    download_info.value.save_as(path)
    rows = list(csv.reader(io.StringIO(path.read_text())))
    assert rows[0] == ["line", "name", "email", "external_id", "reason"]
    assert [r[:4] for r in rows[1:]] == [["4", "Broken Row", "tom.becker(at)example.com", "ATS-3"],
                                         ["6", "Ana Souza again", "Ana.Souza@example.com", "ATS-5"]]

    # JobMojito goes down: the rows fail (after the engine's attempts), then it is back and they are retried.
    live_sandbox.state.config.fault_rate, live_sandbox.state.config.fault_kinds = 1.0, ("503",)
    upload_and_preview(page, interview, THREE_ROWS, "more.csv")
    page.click("text=Send 3 invitations")
    wait_until_done(page)
    assert count(page, "failed") == 3 and count(page, "sent") == 0
    shoot(page, "ledger-failed")
    live_sandbox.state.config.fault_rate = 0.0

    page.click("#retry-failed")
    page.wait_for_selector("text=Sending the 3 failed rows again")
    wait_until_done(page)
    assert (count(page, "sent"), count(page, "failed"), count(page, "remaining")) == (3, 0, 0)
    second = BulkInvite.objects.latest("pk")
    assert second.status == "completed" and BulkInviteRow.objects.filter(bulk=second, state="sent").count() == 3
    emails = [p["email"] for p in live_sandbox.state.profiles.values()]
    assert sorted(emails) == sorted(["ana.souza@example.com", "tom.becker@example.com", "li.wei@example.com",
                                     "sam.lee@example.com", "maya.patel@example.com", "jon.berg@example.com",
                                     "eva.diaz@example.com"])

    page.goto(f"{page.live_url}/bulk-invites/")
    assert page.locator("table tbody tr").count() == 2
    shoot(page, "bulk-list")
    page.goto(f"{page.live_url}/interviews/{interview.pk}/invite/")
    shoot(page, "invite")
