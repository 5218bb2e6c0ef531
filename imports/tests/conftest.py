"""The import tests' fixtures."""

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import SimpleNamespace

import pytest


@pytest.fixture
def web(settings):
    """A local web server: ``web.pages[path] = (status, content type, body, seconds to wait, headers)``;
    ``web.drips[path] = seconds`` sends that page's body one byte at a time, this long apart."""
    pages: dict[str, tuple] = {}
    drips: dict[str, float] = {}
    requests: list[dict] = []
    stopped = threading.Event()  # set when the test ends: a held or dripping answer stops at once

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 (http.server's name)
            requests.append({"path": self.path, "user_agent": self.headers.get("User-Agent", "")})
            status, content_type, body, delay, headers = pages.get(self.path, (404, "text/plain", b"Not here", 0, {}))
            stopped.wait(delay)  # a slow server, not a sleeping test: the fetcher's deadline is what is tested
            try:
                self.send_response(status)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(body)))
                for name, value in headers.items():
                    self.send_header(name, value)
                self.end_headers()
                if self.path in drips:
                    for byte in body:
                        self.wfile.write(bytes([byte]))
                        self.wfile.flush()
                        if stopped.wait(drips[self.path]):
                            break
                else:
                    self.wfile.write(body)
            except (BrokenPipeError, ConnectionResetError):
                pass

        def log_message(self, format, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    settings.ARTICLE_IMPORT_ALLOW_PRIVATE_HOSTS = True  # the server is on this machine
    settings.ARTICLE_IMPORT_TIMEOUT = 1
    base = f"http://127.0.0.1:{server.server_address[1]}"
    try:
        yield SimpleNamespace(pages=pages, drips=drips, requests=requests, url=lambda path: base + path)
    finally:
        stopped.set()
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
