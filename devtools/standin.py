"""What every local stand-in for an online service shares (Pageviews, PetScan, Lift Wing): a threaded HTTP server on
127.0.0.1 in a background thread, forced failures for retry tests, and running alone for the demo.

Each stand-in only says how it answers a request (``reply``); the real client code then talks HTTP to it, so the
tests exercise the same requests, status codes and bodies as against the real service. ``fail_next`` holds status
codes to give instead of the real answer, first in first out (e.g. ``[429, 503]``); a 429 carries ``Retry-After: 0``
as the real services send a Retry-After, so the clients' waits are exercised without slowing the tests.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from email.message import Message
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any, Self


@dataclass(frozen=True)
class Reply:
    """A response: status, Content-Type (None: an empty body without one), body and any further headers."""

    status: int
    content_type: str | None
    body: bytes
    headers: dict[str, str] = field(default_factory=dict)


class StandInServer:
    """The server and its thread; subclasses define ``reply`` and the path ``prefix`` of their base URL."""

    name = "stand-in"
    prefix = ""

    def __init__(self, port: int = 0) -> None:
        self.fail_next: list[int] = []
        self._lock = threading.Lock()
        self._httpd = ThreadingHTTPServer(("127.0.0.1", port), _handler_for(self))
        self._httpd.daemon_threads = True
        self._thread: threading.Thread | None = None

    @property
    def base_url(self) -> str:
        host, port = self._httpd.server_address[:2]
        return f"http://{host!s}:{port}{self.prefix}"

    def start(self) -> Self:
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05}, name=f"{self.name}-server", daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()
        if self._thread:
            self._thread.join(timeout=5)

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        self.stop()

    def forced(self) -> int | None:
        """The next forced status, if a test asked for one."""
        with self._lock:
            return self.fail_next.pop(0) if self.fail_next else None

    def reply(self, method: str, path: str, headers: Message, body: bytes) -> Reply:
        """The answer to one request; it also records the request where the stand-in keeps a log of them."""
        raise NotImplementedError

    def serve_until_interrupted(self, banner: str) -> None:
        """Run alone (``python -m devtools.<stand-in>``) until Ctrl-C, e.g. beside the demo."""
        self.start()
        print(f"{self.name}: {banner} at {self.base_url}", flush=True)
        try:
            threading.Event().wait()
        except KeyboardInterrupt:
            self.stop()


def _handler_for(server: StandInServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def _answer(self, method: str) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else b""
            reply = server.reply(method, self.path, self.headers, body)
            self.send_response(reply.status)
            if reply.content_type is not None:
                self.send_header("Content-Type", reply.content_type)
            for name, value in reply.headers.items():
                self.send_header(name, value)
            if reply.status == 429:
                self.send_header("Retry-After", "0")
            self.send_header("Content-Length", str(len(reply.body)))
            self.end_headers()
            self.wfile.write(reply.body)

        def do_GET(self) -> None:
            self._answer("GET")

        def do_POST(self) -> None:
            self._answer("POST")

        def log_message(self, format: str, *args: Any) -> None:
            pass

    return Handler
