"""The OCSP responder: one HTTP server on 127.0.0.1, in a thread of this process.

Each certificate's AIA names its own path (http://127.0.0.1:PORT/KEY), so the responder knows
which scenario a POST belongs to without parsing it: it answers with that scenario's DER (HTTP 200)
or with an HTTP status, and counts the requests per path. A scenario whose responder is "down"
names a port nothing listens on instead (a refused connection, so soft-fail is immediate).
"""

from __future__ import annotations

import threading
from collections import Counter
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Answer:
    """HTTP 200 with body, or another status with no body."""

    body: bytes | None = None
    status: int = 200


class Responder:
    def __init__(self) -> None:
        self.answers: dict[str, Answer] = {}
        self.requests: Counter[str] = Counter()
        self._lock = threading.Lock()
        responder = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                self.rfile.read(length)
                responder._answer(self)

            def do_GET(self) -> None:
                responder._answer(self)

            def log_message(self, format: str, *args) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, name="ocsp-responder", daemon=True)

    def start(self) -> None:
        self.thread.start()

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def url(self, key: str) -> str:
        return f"http://127.0.0.1:{self.port}/{key}"

    def set(self, key: str, answer: Answer) -> None:
        with self._lock:
            self.answers[key] = answer

    def count(self, key: str) -> int:
        with self._lock:
            return self.requests[key]

    def _answer(self, handler: BaseHTTPRequestHandler) -> None:
        key = handler.path.strip("/")
        with self._lock:
            self.requests[key] += 1
            answer = self.answers.get(key, Answer(status=404))
        handler.send_response(answer.status)
        if answer.body is not None:
            handler.send_header("Content-Type", "application/ocsp-response")
            handler.send_header("Content-Length", str(len(answer.body)))
            handler.end_headers()
            handler.wfile.write(answer.body)
        else:
            handler.send_header("Content-Length", "0")
            handler.end_headers()
