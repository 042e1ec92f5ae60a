"""A real HTTP server standing in for an upstream service, with one path per behaviour to test."""

import json
import sys
import threading
import time
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit


class UpstreamServer(ThreadingHTTPServer):
    """Serves on 127.0.0.1 (a port of the OS's choosing) in a thread; remembers what it received."""

    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server_address[1]}"
        self.received: list[dict] = []
        self.hits: Counter[str] = Counter()
        self.lock = threading.Lock()
        self.thread = threading.Thread(target=self.serve_forever, daemon=True)
        self.thread.start()

    def handle_error(self, request, client_address):
        if not isinstance(sys.exc_info()[1], OSError):  # a client hanging up early is expected
            super().handle_error(request, client_address)

    def stop(self) -> None:
        self.shutdown()
        self.server_close()


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True  # headers and body go out at once (no delayed-ACK stalls)
    server: UpstreamServer

    def log_message(self, format, *args):  # quiet
        pass

    def do_GET(self):
        self.route()

    do_POST = do_PUT = do_PATCH = do_DELETE = do_GET

    def route(self):
        parts = urlsplit(self.path)
        query = {key: values[0] for key, values in parse_qs(parts.query).items()}
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        seen = {"method": self.command, "path": parts.path, "query": query, "headers": dict(self.headers)}
        seen["body"] = json.loads(body) if body else None
        key = self.headers.get("X-Test-Key", "") + parts.path
        with self.server.lock:
            self.server.received.append(seen)
            self.server.hits[key] += 1
            hit = self.server.hits[key]
        name = parts.path.rsplit("/", 1)[-1]
        getattr(self, f"answer_{name.replace('-', '_')}", self.answer_envelope)(seen, query, hit)

    def send(self, status, body: bytes, content_type="application/json", headers=None):
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("X-Request-ID", "upstream-" + (self.headers.get("X-Request-ID") or "none"))
        for header, value in (headers or {}).items():
            self.send_header(header, value)
        self.end_headers()
        self.wfile.write(body)

    def answer_envelope(self, seen, query, hit):
        meta = {"request_id": self.headers.get("X-Request-ID"), "server": self.server.url}
        self.send(200, json.dumps({"data": seen, "meta": meta}).encode())

    def answer_plain(self, seen, query, hit):
        self.send(200, json.dumps({"hello": "world", "data": 1}).encode())

    def answer_empty(self, seen, query, hit):
        self.send_response(204)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def answer_html(self, seen, query, hit):
        self.send(200, b"<html><body>Welcome to nginx</body></html>", "text/html")

    def answer_invalid_json(self, seen, query, hit):
        self.send(200, b'{"data": [1, 2', "application/json")

    def answer_problem(self, seen, query, hit):
        status = int(query.get("status", "404"))
        problem = {
            "type": "https://example.com/problems/not_found",
            "title": "Not found",
            "status": status,
            "detail": "No user 42.",
            "code": query.get("code", "not_found"),
            "request_id": "upstream-problem-id",
        }
        self.send(status, json.dumps(problem).encode(), "application/problem+json")

    def answer_error_html(self, seen, query, hit):
        self.send(int(query.get("status", "502")), b"<html>Bad gateway</html>", "text/html")

    def answer_flaky(self, seen, query, hit):
        """503 (with ``Retry-After`` when asked) for the first ``fails`` calls of a key, then 200."""
        if hit <= int(query.get("fails", "1")):
            headers = {"Retry-After": query["retry_after"]} if "retry_after" in query else None
            self.send(503, b'{"code": "service_unavailable"}', "application/problem+json", headers)
        else:
            self.answer_envelope(seen, query, hit)

    def answer_slow(self, seen, query, hit):
        time.sleep(float(query.get("seconds", "1")))
        self.answer_envelope(seen, query, hit)

    def answer_loop(self, seen, query, hit):
        self.send(302, b"", headers={"Location": self.path})

    def answer_huge(self, seen, query, hit):
        """A body of 2 GB announced by Content-Length, or endless when ``?chunked=1``."""
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        chunked = query.get("chunked") == "1"
        if chunked:
            self.send_header("Transfer-Encoding", "chunked")
        else:
            self.send_header("Content-Length", str(2**31))
        self.end_headers()
        chunk = b"[" + b"1," * 32768
        try:
            while True:
                self.wfile.write(b"%x\r\n%s\r\n" % (len(chunk), chunk) if chunked else chunk)
        except OSError:
            pass  # the client hung up: that is the point
