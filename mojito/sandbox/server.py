"""Serve a Sandbox over HTTP (``python manage.py mojito_sandbox``, the demo, end-to-end tests).

A threading wsgiref server, quiet by default. The state is saved after every write request and on
shutdown (when the Sandbox has a state file). ``faults.DropConnection`` raised by the app makes the
server close the socket without writing a response.
"""

from __future__ import annotations

import logging
import socket
import sys
import threading
from socketserver import ThreadingMixIn
from wsgiref.handlers import SimpleHandler
from wsgiref.simple_server import ServerHandler, WSGIRequestHandler, WSGIServer, make_server

from mojito.sandbox.faults import DropConnection
from mojito.sandbox.state import persist

logger = logging.getLogger("mojito.sandbox.server")


class _Dropped(Exception):
    pass


class _ServerHandler(ServerHandler):
    def handle_error(self):
        if isinstance(sys.exc_info()[1], DropConnection):
            raise _Dropped()
        super().handle_error()

    def log_exception(self, exc_info):
        logger.error("sandbox request failed", exc_info=exc_info)

    def close(self):
        if self.status is None:  # dropped before any response: nothing to log (wsgiref would crash on it)
            SimpleHandler.close(self)
        else:
            super().close()


class _RequestHandler(WSGIRequestHandler):
    def log_message(self, format, *args):  # quiet: one debug line per request
        logger.debug("%s - %s", self.address_string(), format % args)

    def handle(self):
        """As WSGIRequestHandler.handle, but a dropped connection gets no response at all."""
        self.raw_requestline = self.rfile.readline(65537)
        if len(self.raw_requestline) > 65536:
            self.requestline = self.request_version = self.command = ""
            self.send_error(414)
            return
        if not self.parse_request():
            return
        handler = _ServerHandler(self.rfile, self.wfile, self.get_stderr(), self.get_environ(),
                                 multithread=True)
        handler.request_handler = self
        try:
            handler.run(self.server.get_app())
        except _Dropped:
            self.close_connection = True
            try:
                self.connection.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass


class ThreadingWSGIServer(ThreadingMixIn, WSGIServer):
    daemon_threads = True
    allow_reuse_address = True


class SandboxServer:
    """``SandboxServer(sandbox, host, port)``; ``start()`` serves in a daemon thread, ``stop()``."""

    def __init__(self, sandbox, host: str = "127.0.0.1", port: int = 0):
        self.sandbox = sandbox
        self.httpd = make_server(host, port, self._app, server_class=ThreadingWSGIServer,
                                 handler_class=_RequestHandler)
        self.host, self.port = self.httpd.server_address[:2]
        self.thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    def _app(self, environ, start_response):
        result = self.sandbox.app(environ, start_response)
        # the API app saves after its own writes; save after every other write request here
        if (environ.get("REQUEST_METHOD") not in ("GET", "HEAD", "OPTIONS")
                and not environ.get("PATH_INFO", "").startswith("/functions/v1/")):
            save(self.sandbox)
        return result

    def start(self) -> "SandboxServer":
        self.thread = threading.Thread(target=self.httpd.serve_forever, kwargs={"poll_interval": 0.1},
                                       name="sandbox-server", daemon=True)
        self.thread.start()
        return self

    def serve_forever(self) -> None:
        self.httpd.serve_forever(poll_interval=0.2)

    def stop(self) -> None:
        if self.thread is not None:
            self.httpd.shutdown()
            self.thread.join(timeout=5)
        self.httpd.server_close()
        save(self.sandbox)

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()


def save(sandbox) -> None:
    persist(sandbox)


def free_port(host: str = "127.0.0.1") -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind((host, 0))
        return s.getsockname()[1]


def serve_in_thread(sandbox, host: str = "127.0.0.1", port: int = 0) -> SandboxServer:
    """Start a server for ``sandbox`` on a free port; the sandbox's base_url is pointed at it."""
    server = SandboxServer(sandbox, host, port)
    sandbox.state.config.base_url = server.url
    return server.start()
