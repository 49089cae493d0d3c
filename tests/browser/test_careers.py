"""The candidate pages in Chromium: an employer's careers page on another origin embeds the job
page with the snippet; a candidate applies with a résumé file, a real Celery worker pre-screens it
against the sandbox, and the decision page (still inside the employer's page) shows the interview
in an iframe signed with mojito/embed.py, which the sandbox verifies before showing it."""

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

import pytest
from django.test import RequestFactory

from mojito import embed
from recruiting.models import Application
from recruiting.management.commands.careers_demo_site import demo_page
from recruiting.templatetags.careers import embed_snippet
from tests.support.careers import REJECTED_RESUME, make_page, pdf_with_text

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


class HostPage(BaseHTTPRequestHandler):
    """An employer's careers site: one page with our snippet pasted into it."""

    html = b""

    def do_GET(self):
        body = type(self).html
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


def serve_host(snippet: str = "", *, html: str = ""):
    handler = type("Host", (HostPage,), {"html": (html or (
        "<!doctype html><html lang='en'><head><meta charset='utf-8'><title>Acme careers</title></head>"
        f"<body><h1>Careers at Acme</h1>{snippet}</body></html>")).encode()})
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    return httpd, f"http://127.0.0.1:{httpd.server_address[1]}"


@pytest.fixture
def careers_page(live_server, live_sandbox, settings):
    """The demo careers site of `make run` (careers_demo_site), embedding /jobs/ on its own origin."""
    settings.MOJITO_EMBED_BASE_URL = live_sandbox.server.url
    page = make_page(embedded=True)
    httpd, origin = serve_host(html=demo_page(live_server.url))
    settings.EMBED_ALLOWED_ORIGINS = [origin]
    yield page, origin
    httpd.shutdown()


def apply_in_frame(browser_page, origin, tmp_path, resume_lines, email):
    browser_page.goto(origin + "/")
    frame = browser_page.frame_locator("iframe[data-jobmojito-careers]")
    frame.get_by_role("link", name="View the job Backend engineer").click()
    frame.locator("h1", has_text="Backend engineer").wait_for()
    frame.get_by_role("link", name="Apply for this job").click()
    frame.get_by_label("Full name").fill("Ada Lovelace")
    frame.get_by_label("Email").fill(email)
    frame.get_by_label("Country").fill("GB")
    resume = tmp_path / "resume.pdf"
    resume.write_bytes(pdf_with_text(*resume_lines))
    frame.get_by_label("Résumé file").set_input_files(str(resume))
    frame.get_by_label("I have read the notice above").check()
    frame.get_by_role("button", name="Send my application").click()
    return frame


def test_a_candidate_applies_and_takes_the_interview_inside_the_employers_page(
        page, careers_page, live_worker, live_sandbox, tmp_path):
    career_page, origin = careers_page
    frame = apply_in_frame(page, origin, tmp_path, [
        "Backend engineer with 10 years of experience",
        "Python and Django systems, APIs, PostgreSQL and testing."], "ada@example.com")

    frame.locator("h2", has_text="you can take the interview now").wait_for(timeout=45_000)
    # Still inside the employer's page, and the frame was resized to its content (postMessage).
    assert page.url.startswith(origin)
    host_iframe = page.locator("iframe[data-jobmojito-careers]")
    page.wait_for_function("document.querySelector('iframe[data-jobmojito-careers]').dataset.height > 0")
    assert int(host_iframe.get_attribute("data-height")) > 600

    interview_iframe = frame.locator("iframe[title^='Interview']")
    src = interview_iframe.get_attribute("src")
    assert src.startswith(live_sandbox.server.url + "/embed?")
    query = {k: v[0] for k, v in parse_qs(urlsplit(src).query).items()}
    key = live_sandbox.state.embeds[query["embed_id"]]["embed_signing_key"]
    assert embed.verify(query["embed_id"], query["name"], query["email"], query["signature"], key) == (
        "Ada Lovelace", "ada@example.com")

    # The sandbox verified the signature and shows the interview; the candidate answers and submits.
    interview = frame.frame_locator("iframe[title^='Interview']")
    interview.locator("h1", has_text="Backend engineer").wait_for()
    assert "Welcome, Ada Lovelace" in interview.locator("main").inner_text()
    for box in interview.locator("textarea").all():
        box.fill("I built a payments API in Django with full test coverage and on-call runbooks.")
    interview.locator("button[value=submit]").click()
    interview.locator("h1", has_text="Thank you").wait_for()
    application = Application.objects.get()
    assert application.decision == "ai_accept" and application.state == "decided"
    assert application.resume_file_name == "resume.pdf"
    results = [r for r in live_sandbox.state.results.values() if r.get("candidate_email") == "ada@example.com"]
    assert results and results[-1]["status"] in ("draft", "active")
    assert not [m for m in page.console_messages if m.type == "error"], [m.text for m in page.console_messages]


def test_a_resume_the_sandbox_rejects_gets_the_polite_message(page, careers_page, live_worker, tmp_path):
    _, origin = careers_page
    frame = apply_in_frame(page, origin, tmp_path, [REJECTED_RESUME], "baker@example.com")

    frame.locator("h2", has_text="Thank you for applying").wait_for(timeout=45_000)
    assert frame.locator("iframe").count() == 0
    assert Application.objects.get().decision == "ai_reject"


def test_a_site_that_is_not_allowed_cannot_frame_the_pages(page, live_server, careers_page, settings):
    career_page, allowed = careers_page
    url = f"{live_server.url}/jobs/{career_page.slug}/?embed=1"
    request = RequestFactory().get("/", HTTP_HOST=live_server.url.split("://", 1)[1])
    httpd, other = serve_host(embed_snippet(request, career_page))  # the interview page's snippet
    try:
        responses = []
        page.on("response", lambda r: responses.append(r) if r.url == url else None)
        page.goto(other + "/")
        page.wait_for_timeout(1500)
        assert responses, "the browser did not even ask for the framed page"
        csp = responses[0].headers["content-security-policy"]
        ancestors = next(d for d in csp.split(";") if "frame-ancestors" in d)
        assert allowed in ancestors and other not in ancestors
        framed = [f for f in page.frames if f != page.main_frame]
        assert framed and all(f.url != url or f.locator("h1").count() == 0 for f in framed)
        assert all("Backend engineer" not in (f.content() if f.url.startswith("http") else "") for f in framed)
    finally:
        httpd.shutdown()
