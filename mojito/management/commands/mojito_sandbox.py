"""``python manage.py mojito_sandbox --port 8765``: run the JobMojito sandbox as an HTTP server."""

from __future__ import annotations

import signal
import threading
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from mojito.sandbox.faults import LATENCY_MODELS, latency_model


def _fault_rate(value: str) -> float:
    import argparse

    try:
        rate = float(value)
    except ValueError:
        raise argparse.ArgumentTypeError("must be a number between 0 and 1") from None
    if not 0 <= rate <= 1:
        raise argparse.ArgumentTypeError("must be between 0 and 1")
    return rate


def _non_negative(value: str) -> int:
    import argparse

    try:
        number = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError("must be a whole number of milliseconds") from None
    if number < 0:
        raise argparse.ArgumentTypeError("must be >= 0")
    return number


class Command(BaseCommand):
    help = "Serve the JobMojito sandbox (API under /functions/v1, candidate pages, /sandbox/ overview)."

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1", help="interface to listen on (default 127.0.0.1)")
        parser.add_argument("--port", type=int, default=getattr(settings, "MOJITO_SANDBOX_PORT", 8765))
        parser.add_argument("--token", action="append", dest="tokens", metavar="T",
                            help="accepted bearer token (repeatable; default settings.MOJITO_API_TOKEN)")
        parser.add_argument("--webhook-url", action="append", dest="webhook_urls", default=[], metavar="URL")
        parser.add_argument("--webhook-header", action="append", dest="webhook_headers", default=[],
                            metavar="'Name: value'")
        parser.add_argument("--latency-ms", type=_non_negative, default=None, help="added to every API request")
        parser.add_argument("--row-latency-ms", type=_non_negative, default=None,
                            help="added per row of register-users / invite-users")
        parser.add_argument("--latency-model", choices=sorted(LATENCY_MODELS), default="none",
                            help="named latency settings (jobmojito: 40 ms per request + 1 ms per row); "
                                 "--latency-ms / --row-latency-ms override its parts")
        parser.add_argument("--fault-rate", type=_fault_rate, default=0.0, help="share of API requests that fail (0-1)")
        parser.add_argument("--state-file", default="var/sandbox-state.json")
        parser.add_argument("--base-url", default=None,
                            help="public origin for the links the sandbox hands out (default http://<host>:<port>)")

    def handle(self, *args, **options):
        from mojito.sandbox import Sandbox
        from mojito.sandbox.server import SandboxServer

        headers = {}
        for raw in options["webhook_headers"]:
            name, sep, value = raw.partition(":")
            if not sep or not name.strip():
                raise CommandError(f"--webhook-header must look like 'Name: value', got {raw!r}")
            headers[name.strip()] = value.strip()
        for url in options["webhook_urls"]:
            if not url.startswith(("http://", "https://")):
                raise CommandError(f"--webhook-url must be an http(s) URL, got {url!r}")
        tokens = options["tokens"] or [settings.MOJITO_API_TOKEN]
        host, port = options["host"], options["port"]
        state_file = Path(options["state_file"]) if options["state_file"] else None
        link_host = "127.0.0.1" if host in ("", "0.0.0.0", "::") else host
        base_url = (options["base_url"] or f"http://{link_host}:{port}").rstrip("/")
        latency = latency_model(options["latency_model"])
        for key in ("latency_ms", "row_latency_ms"):
            if options[key] is not None:
                latency[key] = options[key]
        sandbox = Sandbox(tokens=tokens, base_url=base_url, state_file=state_file,
                          webhook_urls=list(options["webhook_urls"]), webhook_headers=headers,
                          fault_rate=options["fault_rate"], **latency)
        try:
            server = SandboxServer(sandbox, host, port)
        except OSError as exc:
            sandbox.close()
            raise CommandError(f"cannot listen on {host}:{port}: {exc}") from exc
        if port == 0 and not options["base_url"]:
            sandbox.state.config.base_url = f"http://{link_host}:{server.port}"
        base = sandbox.state.config.base_url
        self.stdout.write(f"JobMojito sandbox listening on {base}")
        self.stdout.write(f"  API        {base}/functions/v1/<endpoint>  (tokens: {len(tokens)})")
        self.stdout.write(f"  overview   {base}/sandbox/")
        self.stdout.write(f"  ping       {base}/sandbox/api/ping")
        self.stdout.write(f"  webhooks   {', '.join(options['webhook_urls']) or 'none configured (recorded as skipped)'}")
        self.stdout.write(f"  state file {state_file or 'none (in memory)'}")
        self.stdout.flush()
        stopping = threading.Event()
        for sig in (signal.SIGTERM, signal.SIGINT):
            signal.signal(sig, lambda *_: stopping.set())
        server.start()
        try:
            while not stopping.wait(0.5):
                pass
        finally:
            server.stop()
            sandbox.close()
            self.stdout.write("JobMojito sandbox stopped.")
