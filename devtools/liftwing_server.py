"""A local stand-in for Lift Wing's language-agnostic ``articlequality`` model, for tests and the demo.

    with LiftWingServer({1234: 0.42}) as server:
        LiftWingClient(server.base_url).score(1234, "en")   # 0.42

It answers ``POST /service/lw/inference/v1/models/articlequality:predict`` with a JSON body ``{"rev_id": N,
"lang": "xx"}`` as the real service does: 200 ``{"model_name": "articlequality", "model_version": "1", "wiki_db":
"xxwiki", "revision_id": N, "score": S}`` for a revision it has a score for; 400 ``{"error": ...}`` for a body
without an integer ``rev_id`` or a ``lang``, and for a revision it does not know (the real service then cannot read
the revision from the wiki); 404 for another model or path; 405 for a GET. ``requests`` records what was asked.

Run alone (e.g. for the demo): ``python -m devtools.liftwing_server --port 8193 scores.json`` where scores.json is
``{"1234": 0.42}``.
"""

from __future__ import annotations

import argparse
import json
import threading
from collections.abc import Mapping
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any

PREFIX = "/service/lw/inference/v1"
ROUTE = f"{PREFIX}/models/articlequality:predict"


class LiftWingServer:
    """The articlequality endpoint over ``scores[rev_id]``, on 127.0.0.1 in a background thread."""

    def __init__(self, scores: Mapping[int, float] | None = None, port: int = 0) -> None:
        self.scores: dict[int, float] = dict(scores or {})
        self.requests: list[dict[str, Any]] = []
        self.fail_next: list[int] = []
        self._lock = threading.Lock()
        self._httpd = ThreadingHTTPServer(("127.0.0.1", port), self._handler())
        self._httpd.daemon_threads = True
        self._thread: threading.Thread | None = None

    @property
    def base_url(self) -> str:
        host, port = self._httpd.server_address[:2]
        return f"http://{host!s}:{port}{PREFIX}"

    def start(self) -> LiftWingServer:
        self._thread = threading.Thread(target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05},
                                        name="liftwing-server", daemon=True)  # fmt: skip
        self._thread.start()
        return self

    def stop(self) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()
        if self._thread:
            self._thread.join(timeout=5)

    def __enter__(self) -> LiftWingServer:
        return self.start()

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        self.stop()

    def answer(self, path: str, body: bytes) -> tuple[int, dict[str, Any]]:
        if path != ROUTE:
            return 404, {"error": f"Model or route not found: {path}"}
        try:
            data = json.loads(body or b"{}")
        except ValueError:
            return 400, {"error": "Unrecognized request format: Expecting value"}
        rev_id = data.get("rev_id") if isinstance(data, dict) else None
        lang = data.get("lang") if isinstance(data, dict) else None
        if not isinstance(rev_id, int) or isinstance(rev_id, bool) or not isinstance(lang, str) or not lang:
            return 400, {"error": "Expected both 'rev_id' (an integer) and 'lang' in the request body."}
        with self._lock:
            score = self.scores.get(rev_id)
        if score is None:
            detail = f"The MW API does not have any info related to the rev-id provided as input ({rev_id})."
            return 400, {"error": detail}
        return 200, {"model_name": "articlequality", "model_version": "1", "wiki_db": f"{lang}wiki",
                     "revision_id": rev_id, "score": score}  # fmt: skip

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def _send(self, status: int, body: dict[str, Any]) -> None:
                payload = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                if status == 429:
                    self.send_header("Retry-After", "0")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length) if length else b""
                status, body = server.answer(self.path, raw)
                with server._lock:
                    forced = server.fail_next.pop(0) if server.fail_next else None
                    if forced is not None:
                        status, body = forced, {"error": "forced by the test"}
                    server.requests.append({"path": self.path, "body": raw.decode(errors="replace"), "status": status,
                                            "user_agent": self.headers.get("User-Agent", "")})  # fmt: skip
                self._send(status, body)

            def do_GET(self) -> None:
                self._send(405, {"error": "Method Not Allowed"})

            def log_message(self, format: str, *args: Any) -> None:
                pass

        return Handler


def main() -> None:
    parser = argparse.ArgumentParser(description="Serve articlequality scores from a JSON file like Lift Wing.")
    parser.add_argument("scores", help='JSON: {"<revision id>": <score 0..1>}')
    parser.add_argument("--port", type=int, default=8193)
    args = parser.parse_args()
    with open(args.scores, encoding="utf-8") as source:
        scores = {int(rev_id): float(score) for rev_id, score in json.load(source).items()}
    server = LiftWingServer(scores, port=args.port).start()
    print(f"liftwing: serving {len(scores)} scores at {server.base_url}", flush=True)
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        server.stop()


if __name__ == "__main__":
    main()
