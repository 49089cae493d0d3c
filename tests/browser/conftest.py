"""Playwright driving Debian's Chromium (never a downloaded browser), and the live pieces the
dashboard's browser tests share:

    page                 a fresh browser page; on failure a screenshot and the HTML are saved
                         under var/test-artifacts/<test name>.{png,html}
    live_sandbox         the JobMojito sandbox served over HTTP (so Chromium can open the interview
                         links it mints); the app's client talks to it; webhooks go to live_server
    recruiter_page       ``page`` logged in to live_server as a staff recruiter
    live_worker          a REAL Celery worker process (Redis broker, the test database, the sandbox
                         over HTTP); in CI a missing Redis or database a second process can open fails
"""

import os
import shutil
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parents[2] / "var" / "test-artifacts"
SANDBOX_TOKEN = "browser-sandbox-token"


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    report = yield
    setattr(item, f"rep_{report.when}", report)
    return report


@pytest.fixture(scope="session")
def browser():
    if not shutil.which(CHROMIUM) and not os.path.exists(CHROMIUM):
        if os.environ.get("CI"):
            pytest.fail(f"Chromium not found at {CHROMIUM}; .ci/run installs Debian's chromium")
        pytest.skip(f"Chromium not found at {CHROMIUM}: install it with `apt-get install -y chromium`")
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # live_server + sync Playwright
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-background-networking", "--disable-component-update",
                  "--disable-gpu", "--no-first-run", "--disable-sync"],
        )
        yield browser
        browser.close()


def _save_artifacts(request, page) -> None:
    report = getattr(request.node, "rep_call", None)
    if report is None or not report.failed:
        return
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    stem = ARTIFACTS / request.node.nodeid.replace("/", "_").replace("::", "__")
    try:
        page.screenshot(path=f"{stem}.png", full_page=True)
        Path(f"{stem}.html").write_text(page.content())
        print(f"\nBrowser artifacts: {stem}.png, {stem}.html")
    except Exception as exc:  # noqa: BLE001 - the test already failed; say why artifacts are missing
        print(f"\nCould not save browser artifacts: {exc}")


@pytest.fixture
def page(browser, request):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.console_messages = []
    page.on("console", lambda msg: page.console_messages.append(msg))
    yield page
    _save_artifacts(request, page)
    context.close()


@pytest.fixture
def live_sandbox(live_server, settings):
    """The sandbox over HTTP in a thread; this process's client (and live_server's) reaches it in-process,
    and the sandbox delivers webhooks to live_server with the configured secret header."""
    from mojito.sandbox import Sandbox
    from mojito.sandbox.server import serve_in_thread
    from recruiting.services import client as client_service

    sandbox = Sandbox(tokens=[SANDBOX_TOKEN, settings.MOJITO_API_TOKEN],
                      webhook_urls=[f"{live_server.url}/mojito/webhooks/"],
                      webhook_headers={settings.MOJITO_WEBHOOK_HEADER: settings.MOJITO_WEBHOOK_SECRETS[0]})
    server = serve_in_thread(sandbox)
    sandbox.server = server
    client_service.use_transport(sandbox.transport())
    try:
        yield sandbox
    finally:
        client_service.reset_client()
        server.stop()
        sandbox.close()


@pytest.fixture
def recruiter(django_user_model):
    return django_user_model.objects.create_user("recruiter", "recruiter@example.com", "a-long-demo-password",
                                                 is_staff=True)


@pytest.fixture
def recruiter_page(page, live_server, recruiter, settings):
    """``page`` with a logged-in recruiter session for live_server (no login form round trip)."""
    from django.test import Client

    client = Client()
    client.force_login(recruiter)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    page.context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": cookie.value,
                               "url": live_server.url}])
    page.live_url = live_server.url
    return page


@pytest.fixture
def live_worker(live_sandbox, tmp_path):
    """Start a real Celery worker for this test's database, reaching the live sandbox over HTTP."""
    from tests.recruiting.test_worker_e2e import KEY_PREFIX, REDIS_URL, Worker, publishing_to, worker_database_url
    from tests.support.redis import require_redis

    redis_url = require_redis(REDIS_URL)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTEST_", "COV_"))}
    env.update({
        "DJANGO_SETTINGS_MODULE": "recruiting.settings",
        "DJANGO_DEBUG": "true",
        "DATABASE_URL": worker_database_url(),
        "REDIS_URL": redis_url,
        "CELERY_BROKER_KEY_PREFIX": KEY_PREFIX,
        "MOJITO_API_BASE_URL": f"{live_sandbox.server.url}/functions/v1",
        "MOJITO_API_TOKEN": SANDBOX_TOKEN,
        "MOJITO_MAX_ATTEMPTS": "2",
        "PYTHONUNBUFFERED": "1",
    })
    worker = Worker(env, tmp_path / "worker.log")
    try:
        with publishing_to(redis_url):
            yield worker.wait_ready()
    finally:
        worker.stop()
