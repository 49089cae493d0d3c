"""Serve a Sandbox over HTTP (``python manage.py mojito_sandbox``, the demo, end-to-end tests).

A threading wsgiref server speaking HTTP/1.1 with keep-alive, as the real API does: a client's
pooled connection serves request after request (no connect, no new server thread per request).
Quiet by default. The state is saved after every write request and on shutdown (when the Sandbox
has a state file). ``faults.DropConnection`` raised by the app makes the server close the socket
without writing a response. ``stop()`` also closes the connections kept open, so a stopped
sandbox answers nothing more.
"""

from __future__ import annotations

import io
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
    framed = False
    request_handler = None

    def handle_error(self):
        if isinstance(sys.exc_info()[1], DropConnection):
            raise _Dropped()
        super().handle_error()

    def log_exception(self, exc_info):
        logger.error("sandbox request failed", exc_info=exc_info)

    def cleanup_headers(self):
        super().cleanup_headers()
        if self.request_handler.close_connection:  # the client is told, not left to find out
            self.headers["Connection"] = "close"

    def close(self):
        # wsgiref forgets the headers on close: whether the answer was framed is kept for keep-alive
        self.framed = self.headers is not None and "Content-Length" in self.headers
        if self.status is None:  # dropped before any response: nothing to log (wsgiref would crash on it)
            SimpleHandler.close(self)
        else:
            super().close()


class _RequestHandler(WSGIRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive unless the client says "Connection: close"
    timeout = 60  # an idle kept-alive connection is closed after this many seconds
    # wsgiref writes the status line, headers and body apart: with Nagle's algorithm the last part
    # of a kept-alive answer would wait for the client's delayed ACK (40 ms)
    disable_nagle_algorithm = True

    def log_message(self, format, *args):  # quiet: one debug line per request
        logger.debug("%s - %s", self.address_string(), format % args)

    def handle(self):
        """Requests one after the other on this connection, until one of them closes it."""
        self.server.track(self.connection)
        try:
            self.close_connection = True
            self.handle_one_request()
            while not self.close_connection:
                self.handle_one_request()
        finally:
            self.server.untrack(self.connection)

    def handle_one_request(self):
        """As WSGIRequestHandler.handle, for one request of a kept-alive connection; a dropped
        connection gets no response at all."""
        try:
            self.raw_requestline = self.rfile.readline(65537)
        except (TimeoutError, OSError):
            self.close_connection = True
            return
        if not self.raw_requestline:
            self.close_connection = True
            return
        if len(self.raw_requestline) > 65536:
            self.requestline = self.request_version = self.command = ""
            self.send_error(414)
            self.close_connection = True
            return
        if not self.parse_request():
            self.close_connection = True
            return
        length = self.headers.get("Content-Length")
        if self.headers.get("Transfer-Encoding") or (length is not None and not length.isdigit()):
            # a body that no length frames (chunked): the app reads it as it comes, then the connection closes
            body_stream, self.close_connection = self.rfile, True
        else:  # the whole body (or none), so the next request starts where this one ends
            body_stream = io.BytesIO(self.rfile.read(int(length)) if length else b"")
        handler = _ServerHandler(body_stream, self.wfile, self.get_stderr(), self.get_environ(),
                                 multithread=True)
        handler.http_version = "1.1"
        handler.request_handler = self
        try:
            handler.run(self.server.get_app())
        except _Dropped:
            self.close_connection = True
            try:
                self.connection.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            return
        if not handler.framed:
            self.close_connection = True  # nothing frames the answer but the end of the connection
        try:
            self.wfile.flush()
        except OSError:
            self.close_connection = True


class ThreadingWSGIServer(ThreadingMixIn, WSGIServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, *args, **kwargs):
        self._connections: set = set()
        self._connections_lock = threading.Lock()
        super().__init__(*args, **kwargs)

    def track(self, connection) -> None:
        with self._connections_lock:
            self._connections.add(connection)

    def untrack(self, connection) -> None:
        with self._connections_lock:
            self._connections.discard(connection)

    def server_close(self) -> None:
        super().server_close()
        with self._connections_lock:
            open_connections, self._connections = list(self._connections), set()
        for connection in open_connections:  # kept-alive connections end with the server
            try:
                connection.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass


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
