"""A person takes an interview as the candidate in a real browser, on the sandbox's own page,
and the recruiter's webhook receiver gets the result."""

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from mojito.sandbox import Sandbox
from mojito.sandbox.server import serve_in_thread

pytestmark = pytest.mark.browser


class Receiver(BaseHTTPRequestHandler):
    received: list = []

    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        Receiver.received.append((dict(self.headers), json.loads(body)))
        self.send_response(200)
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def receiver():
    Receiver.received = []
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Receiver)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/hook"
    httpd.shutdown()


def test_candidate_takes_the_interview_in_chromium(page, receiver):
    sandbox = Sandbox(tokens=["browser-token"], webhook_urls=[receiver],
                      webhook_headers={"X-Mojito-Webhook-Secret": "s3cret"})
    server = serve_in_thread(sandbox)
    try:
        client = sandbox.client()
        template = client.list_avatars(type="interactive_heygen").data[0]["id"]
        created = client.create_interview_from_questions(
            name="Support Engineer", location="Remote", interview_template_id=template,
            mojito_language_code="en", description="Help customers with our product.",
            status="active", type="interview", visibility="merchant_invite",
            questions=[{"question": "Tell us about a hard customer problem you solved."},
                       {"question": "Which tool do you prefer?", "is_multiple_choice": True,
                        "question_alternatives": ["Zendesk", "Freshdesk"]}],
        )
        row = client.register_users_for_interview(created["interview_def_set_id"],
                                                  [{"name": "Ada Lovelace", "email": "ada@example.com"}])[0]
        assert row.ok, row.error

        page.goto(row.interview_url)
        assert page.locator("h1").inner_text() == "Support Engineer"
        page.locator("textarea").first.fill("I rebuilt a failing import for a customer in 2 days; 40% fewer tickets.")
        page.check("input[type=radio][value=Zendesk]")
        page.click("button[value=submit]")
        assert "Thank you" in page.locator("h1").inner_text()

        sandbox.wait_for_webhooks(timeout=15)
        payloads = [p for _, p in Receiver.received]
        statuses = [(p["status"], p["interview_status"], p["processing_status"]) for p in payloads]
        assert ("draft", "completed", "new") in statuses  # interview_collected
        assert ("active", "completed", "completed") in statuses  # interview_result
        assert all(h.get("X-Mojito-Webhook-Secret") == "s3cret" for h, _ in Receiver.received)
        result = [p for p in payloads if p["status"] == "active"][-1]
        assert result["candidate_email"] == "ada@example.com" and result["score"] is not None

        page.goto(sandbox.base_url + "/sandbox/")
        assert page.locator("text=ada@example.com").first.is_visible()
    finally:
        server.stop()
        sandbox.close()
