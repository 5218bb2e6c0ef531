"""A real local HTTP server standing in for Crossref and PubMed, so no test touches the internet.

The ``sources`` fixture (root conftest.py) starts it and points the settings at it."""

from __future__ import annotations

import json
import threading
import urllib.parse
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Reply:
    status: int = 200
    body: object = None  # a dict/list is sent as JSON, a str as is
    headers: dict = field(default_factory=dict)
    delay: float = 0.0  # hold the answer this long at most: the client's timeout is what is tested


class FakeSources:
    """Routes request paths to queued replies (the last one repeats) and records every request."""

    def __init__(self):
        self.routes: dict[str, list[Reply]] = {}
        self.requests: list[dict] = []
        self.lock = threading.Lock()
        self.base_url = ""
        self.stopped = threading.Event()  # set when the test ends: a held answer is let go at once

    def crossref(self, doi: str, *replies: Reply) -> str:
        path = "/crossref/works/" + urllib.parse.quote(doi, safe="")
        self.routes[path] = list(replies)
        return path

    def pubmed(self, pmid: str, *replies: Reply) -> str:
        path = "/pubmed/esummary.fcgi?" + urllib.parse.urlencode({"db": "pubmed", "id": pmid, "retmode": "json"})
        self.routes[path] = list(replies)
        return path

    def paths(self) -> list[str]:
        return [request["path"] for request in self.requests]

    def next_reply(self, path: str) -> Reply:
        with self.lock:
            replies = self.routes.get(path)
            if not replies:
                return Reply(404, "Resource not found.")
            return replies.pop(0) if len(replies) > 1 else replies[0]


def make_handler(sources: FakeSources):
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 (http.server's name)
            with sources.lock:
                sources.requests.append({"path": self.path, "user_agent": self.headers.get("User-Agent", "")})
            reply = sources.next_reply(self.path)
            if reply.delay:
                sources.stopped.wait(reply.delay)  # a slow source, not a sleeping test: stopping ends the wait
            body = reply.body if isinstance(reply.body, str) else json.dumps(reply.body)
            payload = body.encode("utf-8")
            try:
                self.send_response(reply.status)
                content_type = "application/json" if not isinstance(reply.body, str) else "text/plain"
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(payload)))
                for name, value in reply.headers.items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(payload)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client gave up (the timeout tests)

        def log_message(self, format, *args):  # quiet
            pass

    return Handler


class QuietServer(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address):
        pass


def start(settings):
    """Starts the fake sources and points ``settings`` at them; returns (fake, stop)."""
    fake = FakeSources()
    server = QuietServer(("127.0.0.1", 0), make_handler(fake))
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    fake.base_url = f"http://127.0.0.1:{server.server_address[1]}"
    settings.CROSSREF_API_URL = f"{fake.base_url}/crossref"
    settings.PUBMED_EUTILS_URL = f"{fake.base_url}/pubmed"
    settings.VERIFICATION_TIMEOUT = 2
    settings.VERIFICATION_RETRIES = 2
    settings.VERIFICATION_USER_AGENT = "Apothecary/test (mailto:test@localhost)"

    def stop():
        fake.stopped.set()
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)

    return fake, stop
