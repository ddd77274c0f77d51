"""A LibreTranslate-compatible HTTP server on 127.0.0.1 for tests and the benchmark.

It answers ``POST /translate`` like LibreTranslate does (parameters in the
query string, a form body or a JSON body; answer ``{"translatedText": ...}``)
and ``GET /languages``, so deep-translator's real ``LibreTranslator`` can
talk to it. Faults are injected per request:

- ``latency``: seconds every request takes;
- ``script``: actions for the next requests, in order (``"ok"``, ``"429"``,
  ``"500"``, ``"503"``, ``"403"``, ``"404"``, ``"hang"``, ``"badjson"``,
  ``"empty"``); when it runs out, requests succeed;
- ``per_text``: an action for every request whose text contains a substring;
- ``translate``: how a text is "translated" (default: ``"<target>: " + text``);
- ``api_key``: when set, any other key gets 403.

Every request is counted (``requests``), its text kept (``texts``) and its
request-line target logged (``urls``) as a server's access log would.

``loopback`` and ``QuietHandler`` are the scaffolding every test server here
shares (the chat server of test_llm.py, the per-provider ones of test_providers.py).
"""

from __future__ import annotations

import json
import socket
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

LANGUAGES = [
    {"code": "en", "name": "English", "targets": ["en", "es"]},
    {"code": "es", "name": "Spanish", "targets": ["en", "es"]},
]


def fake_translate(text: str, source: str, target: str) -> str:
    return f"{target}: {text}"


@dataclass
class LibreServer:
    latency: float = 0.0
    hang_seconds: float = 3.0
    script: list[str] = field(default_factory=list)
    per_text: dict[str, str] = field(default_factory=dict)
    translate: Callable[[str, str, str], str] = fake_translate
    api_key: str | None = None
    retry_after: str | None = None
    requests: int = 0
    texts: list[str] = field(default_factory=list)
    #: The request line's target of every request (path and query string), as a server log keeps it.
    urls: list[str] = field(default_factory=list)
    in_flight: int = 0
    max_in_flight: int = 0
    url: str = ""
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def next_action(self, text: str) -> str:
        with self._lock:
            self.requests += 1
            self.texts.append(text)
            self.in_flight += 1
            self.max_in_flight = max(self.max_in_flight, self.in_flight)
            for needle, action in self.per_text.items():
                if needle in text:
                    return action
            return self.script.pop(0) if self.script else "ok"

    def done(self) -> None:
        with self._lock:
            self.in_flight -= 1


class QuietHandler(BaseHTTPRequestHandler):
    """A kept-alive HTTP/1.1 handler that logs nothing and sends each answer whole."""

    protocol_version = "HTTP/1.1"
    # As LibreTranslate's server (waitress) does: without it, a kept-alive connection waits
    # for the client's delayed ACK (40 ms) between the headers and the body of each answer.
    disable_nagle_algorithm = True

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - silence the test output
        pass

    def _send(self, status: int, body: bytes, content_type: str = "application/json", headers: dict[str, str] | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        try:
            self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            pass


@contextmanager
def loopback(handler: type[BaseHTTPRequestHandler]) -> Iterator[str]:
    """Serve ``handler`` from a thread on a free port of 127.0.0.1; yields ``http://127.0.0.1:PORT``."""
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join(timeout=5)


def _handler(server: LibreServer) -> type[BaseHTTPRequestHandler]:
    class Handler(QuietHandler):
        def _json(self, status: int, data: object, headers: dict[str, str] | None = None) -> None:
            self._send(status, json.dumps(data).encode(), headers=headers)

        def do_GET(self) -> None:  # noqa: N802
            server.urls.append(self.path)
            if urlsplit(self.path).path.rstrip("/") == "/languages":
                self._json(200, LANGUAGES)
            else:
                self._json(404, {"error": "Not Found"})

        def do_POST(self) -> None:  # noqa: N802
            server.urls.append(self.path)
            parts = urlsplit(self.path)
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length) if length else b""
            params = {k: v[0] for k, v in parse_qs(parts.query).items()}
            if raw:
                if (self.headers.get("Content-Type") or "").startswith("application/json"):
                    params.update(json.loads(raw))
                else:
                    params.update({k: v[0] for k, v in parse_qs(raw.decode()).items()})
            if parts.path.rstrip("/") != "/translate":
                self._json(404, {"error": "Not Found"})
                return
            text = str(params.get("q", ""))
            action = server.next_action(text)
            try:
                if server.latency:
                    time.sleep(server.latency)
                if server.api_key is not None and params.get("api_key") != server.api_key:
                    self._json(403, {"error": "Invalid API key"})
                elif action == "ok":
                    translated = server.translate(text, str(params.get("source")), str(params.get("target")))
                    self._json(200, {"translatedText": translated})
                elif action == "hang":
                    time.sleep(server.hang_seconds)
                    self._json(200, {"translatedText": server.translate(text, str(params.get("source")), str(params.get("target")))})
                elif action == "badjson":
                    self._send(200, b'{"translatedText": "unterminated')
                elif action == "empty":
                    self._json(200, {})
                elif action == "429":
                    headers = {"Retry-After": server.retry_after} if server.retry_after else None
                    self._json(429, {"error": "Slowdown: 1 per 1 second"}, headers)
                else:
                    self._json(int(action), {"error": f"injected {action}"})
            finally:
                server.done()

    return Handler


@contextmanager
def libre_server(**options: object) -> Iterator[LibreServer]:
    """Start the server in a thread on a free port; ``.url`` ends with '/' as deep-translator needs."""
    state = LibreServer(**options)  # type: ignore[arg-type]
    with loopback(_handler(state)) as address:
        state.url = address + "/"
        yield state


@contextmanager
def trickling_server(seconds: int = 30) -> Iterator[str]:
    """Sends its headers at once, then one byte of body per second (for at most ``seconds``)."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(16)
    stop = threading.Event()

    def serve(connection: socket.socket) -> None:
        with connection:
            connection.recv(65536)
            connection.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n")
            for _ in range(seconds):
                if stop.wait(1):
                    return
                try:
                    connection.sendall(b" ")
                except OSError:
                    return

    def accept() -> None:
        while not stop.is_set():
            try:
                connection, _ = listener.accept()
            except OSError:
                return
            threading.Thread(target=serve, args=(connection,), daemon=True).start()

    threading.Thread(target=accept, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{listener.getsockname()[1]}/"
    finally:
        stop.set()
        listener.close()


# ---------------------------------------------------------------------------
# Shared by the drafts, review and providers tests.

SMALL_FAQ = """\
kind: faq
title: Questions
items:
  - id: where
    question: Where do we meet?
    answer: |
      We meet online at https://example.org/meet every {weekday}.

      Write to admin@example.org with **any** questions.
  - id: who
    question: Who can join?
    answer: |
      Anyone who supports Interrupting Criminalization can join.
values:
  weekday: Tuesday
"""

SMALL_CONFIG = """\
source_locale: en
locales: [en, es]
glossary:
  do_not_translate: [Interrupting Criminalization]
"""


def small_project(make_project, config_extra: str = "") -> Path:
    """A one-FAQ project with its catalogs created by ``update``."""
    from conftest import invoke

    root = make_project({"faq/small.yaml": SMALL_FAQ}, SMALL_CONFIG + config_extra)
    result = invoke(root, "update")
    assert result.exit_code == 0, result.output
    return root


def po_path(root: Path) -> Path:
    return root / "catalogs" / "es" / "LC_MESSAGES" / "faq" / "small.po"
