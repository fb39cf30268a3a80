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
from collections.abc import Mapping
from email.message import Message
from typing import Any

from devtools.standin import Reply, StandInServer

PREFIX = "/service/lw/inference/v1"
ROUTE = f"{PREFIX}/models/articlequality:predict"


class LiftWingServer(StandInServer):
    """The articlequality endpoint over ``scores[rev_id]``, on 127.0.0.1 in a background thread."""

    name = "liftwing"
    prefix = PREFIX

    def __init__(self, scores: Mapping[int, float] | None = None, port: int = 0) -> None:
        super().__init__(port)
        self.scores: dict[int, float] = dict(scores or {})
        self.requests: list[dict[str, Any]] = []

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

    def reply(self, method: str, path: str, headers: Message, body: bytes) -> Reply:
        if method != "POST":
            return _json(405, {"error": "Method Not Allowed"})
        status, answer = self.answer(path, body)
        forced = self.forced()
        if forced is not None:
            status, answer = forced, {"error": "forced by the test"}
        with self._lock:
            self.requests.append({"path": path, "body": body.decode(errors="replace"), "status": status,
                                  "user_agent": headers.get("User-Agent", "")})  # fmt: skip
        return _json(status, answer)


def _json(status: int, body: dict[str, Any]) -> Reply:
    return Reply(status, "application/json", json.dumps(body).encode())


def main() -> None:
    parser = argparse.ArgumentParser(description="Serve articlequality scores from a JSON file like Lift Wing.")
    parser.add_argument("scores", help='JSON: {"<revision id>": <score 0..1>}')
    parser.add_argument("--port", type=int, default=8193)
    args = parser.parse_args()
    with open(args.scores, encoding="utf-8") as source:
        scores = {int(rev_id): float(score) for rev_id, score in json.load(source).items()}
    LiftWingServer(scores, port=args.port).serve_until_interrupted(f"serving {len(scores)} scores")


if __name__ == "__main__":
    main()
