"""``manage.py careers_demo_site --port 8001 --app-url http://127.0.0.1:8000``: a small employer
careers site on its own origin that embeds the app's /jobs/ with the ready-to-copy snippet (what
an employer pastes into their site). `make run` starts it; its origin is in the dev
EMBED_ALLOWED_ORIGINS. A demo only: plain HTML from the standard library's HTTP server."""

from __future__ import annotations

import html
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from django.core.management.base import BaseCommand
from django.urls import reverse

from recruiting.templatetags.careers import snippet_for

STYLE = ("body{font-family:Georgia,serif;margin:0;color:#222;background:#faf7f2}"
         "header{background:#23395d;color:#fff;padding:1.2rem 1.5rem}header h1{margin:0;font-size:1.6rem}"
         "main{max-width:60rem;margin:0 auto;padding:1.5rem}iframe{border:0;width:100%;background:#fff;"
         "border-radius:8px;box-shadow:0 1px 4px rgba(0,0,0,.12)}footer{color:#666;padding:1.5rem;text-align:center}")


def demo_page(app_url: str) -> str:
    snippet = snippet_for(app_url.rstrip("/"), reverse("careers:jobs"), title="Open positions at Acme")
    return ("<!doctype html><html lang='en'><head><meta charset='utf-8'>"
            "<meta name='viewport' content='width=device-width, initial-scale=1'>"
            f"<title>Careers at Acme</title><style>{STYLE}</style></head><body>"
            "<header><h1>Acme · Careers</h1></header><main>"
            "<p>Join us! Pick a position below, apply, and take your interview right here.</p>"
            f"{snippet}"
            "<details><summary>The snippet this page pasted</summary><pre>"
            f"{html.escape(snippet)}</pre></details></main>"
            "<footer>A demo employer site on its own origin, embedding the recruiter app.</footer></body></html>")


class Command(BaseCommand):
    help = "Serve a demo employer careers page (its own origin) that embeds the app's candidate pages."

    def add_arguments(self, parser):
        parser.add_argument("--port", type=int, default=8001)
        parser.add_argument("--app-url", default="http://127.0.0.1:8000")

    def handle(self, *args, port, app_url, **options):
        body = demo_page(app_url).encode()

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                if self.path not in ("/", "/index.html"):
                    self.send_error(404)
                    return
                self.send_response(200)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
        self.stdout.write(f"Demo careers site on http://127.0.0.1:{port}/ embedding {app_url}/jobs/")
        try:
            server.serve_forever()
        except KeyboardInterrupt:
            pass
        finally:
            server.server_close()
