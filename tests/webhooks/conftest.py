"""A real HTTP receiver on 127.0.0.1 (a thread of the test process) and helpers."""

from __future__ import annotations

import re
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from partner_center.webhooks import services

README = Path(__file__).resolve().parents[2] / "README.md"


class Receiver:
    """Records every request; answers the statuses queued in `answers` (then 200)."""

    def __init__(self):
        self.requests: list[dict] = []
        self.answers: list[int] = []
        self.lock = threading.Lock()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 - http.server's name
                length = int(self.headers.get("Content-Length", "0"))
                body = self.rfile.read(length)
                with receiver.lock:
                    receiver.requests.append(
                        {"path": self.path, "headers": dict(self.headers), "body": body}
                    )
                    status = receiver.answers.pop(0) if receiver.answers else 200
                payload = b'{"ok": true}' if status < 400 else b"boom " * 400
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}/hooks/pc"


@pytest.fixture
def receiver():
    rec = Receiver()
    rec.thread.start()
    yield rec
    rec.server.shutdown()
    rec.server.server_close()


@pytest.fixture
def verify_snippet():
    """The README's verification function, executed as it is printed there."""
    text = README.read_text(encoding="utf-8")
    block = re.search(
        r"<!-- webhook-verify:start -->\s*```python\n(.*?)```\s*<!-- webhook-verify:end -->",
        text,
        re.S,
    )
    assert block, "the README's webhook verification snippet is missing"
    namespace: dict = {}
    exec(block.group(1), namespace)  # noqa: S102 - our own README's code, tested as printed
    return namespace["verify_pc_signature"]


@pytest.fixture
def endpoint_of():
    def make(user, url, **kwargs):
        endpoint, secret = services.endpoint_create(
            actor=user, partner=user.partner, url=url, **kwargs
        )
        return endpoint, secret

    return make


@pytest.fixture
def api_client():
    """api_client(user) -> a DRF test client authenticated as that user."""
    from tests.helpers import api_client as make

    return make
