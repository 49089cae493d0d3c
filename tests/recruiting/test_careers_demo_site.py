"""manage.py careers_demo_site: the demo employer site `make run` serves on its own origin."""

import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from django.conf import settings

from recruiting.management.commands.careers_demo_site import demo_page

BASE_DIR = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_the_demo_page_embeds_the_jobs_list_with_the_snippet():
    html = demo_page("http://127.0.0.1:8000")
    assert '<iframe src="http://127.0.0.1:8000/jobs/?embed=1"' in html
    assert 'allow="camera; microphone; fullscreen; autoplay"' in html and "data-jobmojito-careers" in html
    assert '<script src="http://127.0.0.1:8000/static/js/careers-embed.js" async></script>' in html


def test_its_origin_is_allowed_in_development():
    assert f"http://127.0.0.1:{settings.DEMO_CAREERS_PORT}" in settings.EMBED_ALLOWED_ORIGINS


def test_make_run_starts_it_and_prints_its_url():
    script = (BASE_DIR / "bin" / "run-demo").read_text()
    assert "manage.py careers_demo_site --port" in script and 'Careers:  http://127.0.0.1:$CAREERS_PORT/' in script


def test_it_serves_the_page_over_http():
    port = free_port()
    process = subprocess.Popen([sys.executable, "manage.py", "careers_demo_site", "--port", str(port),
                                "--app-url", "http://127.0.0.1:9"], cwd=BASE_DIR,
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                body = urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=1).read().decode()
                break
            except OSError:
                if time.monotonic() > deadline or process.poll() is not None:
                    raise
                time.sleep(0.2)
        assert "Careers at Acme" in body and "http://127.0.0.1:9/jobs/?embed=1" in body
    finally:
        process.terminate()
        process.wait(timeout=10)
