"""Fixtures for the Svix SDK compatibility suite.

`server` runs the real `hookline` binary on a free port with a throw-away data directory;
`receiver` is a real HTTP server that plays the customer's webhook endpoint.
Every wait in this suite is bounded by a deadline; nothing sleeps blindly.
"""

from __future__ import annotations

import http.server
import json
import os
import re
import signal
import subprocess
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Dict, List, Optional

import pytest
import requests

REPO_ROOT = Path(__file__).resolve().parent.parent
API_KEY = "test-admin-key"
STARTUP_DEADLINE_S = 60.0
HEALTH_DEADLINE_S = 30.0
SHUTDOWN_DEADLINE_S = 20.0
LISTENING_RE = re.compile(r"listening on (http://[^\s\"']+)")


def wait_until(predicate: Callable[[], object], timeout: float, interval: float = 0.05, what: str = "condition"):
    """Polls `predicate` until it returns something truthy; returns that value. Fails after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    last_exc: Optional[BaseException] = None
    while True:
        try:
            value = predicate()
            if value:
                return value
        except Exception as exc:  # keep polling; report the last error if we time out
            last_exc = exc
        if time.monotonic() >= deadline:
            msg = f"timed out after {timeout}s waiting for {what}"
            if last_exc is not None:
                msg += f" (last error: {last_exc!r})"
            pytest.fail(msg)
        time.sleep(interval)


# --------------------------------------------------------------------------------------------
# hookline server
# --------------------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def hookline_bin() -> Path:
    raw = os.environ.get("HOOKLINE_BIN", ".build/debug/hookline")
    path = Path(raw)
    if not path.is_absolute():
        path = REPO_ROOT / path
    return path.resolve()


class HooklineProcess:
    """A running `hookline serve`; its combined stdout/stderr is collected by a reader thread."""

    def __init__(self, proc: subprocess.Popen, api_key: str):
        self.proc = proc
        self.api_key = api_key
        self.url: Optional[str] = None
        self._lines: List[str] = []
        self._cond = threading.Condition()
        self._eof = False
        self._reader = threading.Thread(target=self._read, name="hookline-stdout", daemon=True)
        self._reader.start()

    def _read(self) -> None:
        assert self.proc.stdout is not None
        for raw in iter(self.proc.stdout.readline, b""):
            line = raw.decode("utf-8", errors="replace").rstrip("\r\n")
            with self._cond:
                self._lines.append(line)
                self._cond.notify_all()
        with self._cond:
            self._eof = True
            self._cond.notify_all()

    def wait_for_listening_url(self, timeout: float) -> str:
        deadline = time.monotonic() + timeout
        seen = 0
        with self._cond:
            while True:
                while seen < len(self._lines):
                    m = LISTENING_RE.search(self._lines[seen])
                    seen += 1
                    if m:
                        return m.group(1).rstrip("/")
                if self._eof:
                    raise RuntimeError(
                        f"hookline exited (code {self.proc.poll()}) before printing 'listening on http://'"
                        f"\n--- output ---\n{self.output()}"
                    )
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise RuntimeError(
                        f"hookline did not print 'listening on http://' within {timeout}s"
                        f"\n--- output ---\n{self.output()}"
                    )
                self._cond.wait(remaining)

    def output(self, tail: int = 200) -> str:
        with self._cond:
            return "\n".join(self._lines[-tail:])

    def wait_eof(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        with self._cond:
            while not self._eof:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    return
                self._cond.wait(remaining)


@dataclass
class ServerInfo:
    url: str
    api_key: str
    data_dir: Path
    process: HooklineProcess = field(repr=False)

    def auth_headers(self, token: Optional[str] = None) -> Dict[str, str]:
        return {"Authorization": f"Bearer {token if token is not None else self.api_key}"}


def _stop(proc: subprocess.Popen) -> Optional[int]:
    """SIGTERM, wait up to SHUTDOWN_DEADLINE_S, then SIGKILL. Returns the exit code after SIGTERM, or None if it had to be killed."""
    if proc.poll() is not None:
        return proc.returncode
    proc.send_signal(signal.SIGTERM)
    try:
        return proc.wait(timeout=SHUTDOWN_DEADLINE_S)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(timeout=10)
        return None


@pytest.fixture
def server(hookline_bin: Path, tmp_path: Path, request):
    if not hookline_bin.is_file():
        pytest.fail(f"hookline binary not found at {hookline_bin} (set HOOKLINE_BIN or run `swift build` first)")

    data_dir = tmp_path / "hookline-data"
    data_dir.mkdir()
    cmd = [
        str(hookline_bin),
        "serve",
        "--host", "127.0.0.1",
        "--port", "0",
        "--data-dir", str(data_dir),
        "--api-key", API_KEY,
        "--allow-network", "127.0.0.0/8",
        "--retry-schedule", "100ms,200ms,300ms",
        "--log-level", "warning",
    ]
    proc = subprocess.Popen(
        cmd,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,  # scan both streams for the banner; keep everything for failure reports
        cwd=str(tmp_path),
    )
    hp = HooklineProcess(proc, API_KEY)
    request.node._hookline_process = hp
    try:
        url = hp.wait_for_listening_url(STARTUP_DEADLINE_S)
        hp.url = url

        def healthy() -> bool:
            if proc.poll() is not None:
                raise RuntimeError(f"hookline exited with code {proc.returncode}")
            try:
                r = requests.get(f"{url}/api/v1/health", headers={"Authorization": f"Bearer {API_KEY}"}, timeout=2)
            except requests.RequestException:
                return False
            return r.status_code == 200

        deadline = time.monotonic() + HEALTH_DEADLINE_S
        while not healthy():
            if time.monotonic() >= deadline:
                raise RuntimeError(f"GET {url}/api/v1/health did not return 200 within {HEALTH_DEADLINE_S}s")
            time.sleep(0.05)
    except Exception as exc:
        _stop(proc)
        hp.wait_eof(5)
        pytest.fail(f"could not start hookline: {exc}\n--- output ---\n{hp.output()}", pytrace=False)
    except BaseException:
        _stop(proc)
        raise

    yield ServerInfo(url=url, api_key=API_KEY, data_dir=data_dir, process=hp)

    code = _stop(proc)
    hp.wait_eof(5)
    assert code is not None, (
        f"hookline did not exit within {SHUTDOWN_DEADLINE_S}s of SIGTERM and was killed\n--- output ---\n{hp.output()}"
    )
    assert code == 0, f"hookline exited with code {code} (expected 0 after SIGTERM)\n--- output ---\n{hp.output()}"


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    hp = getattr(item, "_hookline_process", None)
    if hp is not None and report.failed:
        report.sections.append((f"hookline output ({report.when})", hp.output()))


# --------------------------------------------------------------------------------------------
# webhook receiver
# --------------------------------------------------------------------------------------------


@dataclass
class Receipt:
    path: str
    headers: Dict[str, str]  # lowercased names
    body: bytes
    status: int  # what the receiver answered

    def json(self):
        return json.loads(self.body)


class Receiver:
    def __init__(self) -> None:
        self._cond = threading.Condition()
        self._receipts: List[Receipt] = []
        self._fail_remaining = 0
        receiver = self

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format, *args):  # keep test output quiet
                pass

            def _read_body(self) -> bytes:
                if "chunked" in self.headers.get("Transfer-Encoding", "").lower():
                    chunks = []
                    while True:
                        size_line = self.rfile.readline().strip()
                        size = int(size_line.split(b";", 1)[0], 16)
                        if size == 0:
                            while self.rfile.readline() not in (b"\r\n", b"\n", b""):
                                pass  # trailers
                            break
                        chunks.append(self.rfile.read(size))
                        self.rfile.readline()  # CRLF after each chunk
                    return b"".join(chunks)
                length = int(self.headers.get("Content-Length", "0") or "0")
                return self.rfile.read(length) if length > 0 else b""

            def _reply(self, status: int, body: bytes) -> None:
                self.send_response(status)
                self.send_header("Content-Type", "text/plain")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def do_POST(self):
                body = self._read_body()
                headers = {k.lower(): v for k, v in self.headers.items()}
                with receiver._cond:
                    if receiver._fail_remaining > 0:
                        receiver._fail_remaining -= 1
                        status, reply = 500, b"fail"
                    else:
                        status, reply = 200, b"ok"
                    receiver._receipts.append(Receipt(self.path, headers, body, status))
                    receiver._cond.notify_all()
                self._reply(status, reply)

            def _not_allowed(self):
                self._reply(405, b"method not allowed")

            do_GET = do_PUT = do_PATCH = do_DELETE = _not_allowed

        self._httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._httpd.daemon_threads = True
        host, port = self._httpd.server_address[:2]
        self.url = f"http://{host}:{port}"
        self._thread = threading.Thread(target=self._httpd.serve_forever, name="receiver", daemon=True)
        self._thread.start()

    def fail_first(self, n: int) -> None:
        """Answer the next `n` POSTs with 500."""
        with self._cond:
            self._fail_remaining = n

    @property
    def receipts(self) -> List[Receipt]:
        with self._cond:
            return list(self._receipts)

    def wait_for(self, count: int, timeout: float = 10.0) -> List[Receipt]:
        """Blocks until at least `count` POSTs have arrived; fails the test after `timeout` seconds."""
        deadline = time.monotonic() + timeout
        with self._cond:
            while len(self._receipts) < count:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    pytest.fail(
                        f"receiver got {len(self._receipts)} request(s), expected {count} within {timeout}s"
                    )
                self._cond.wait(remaining)
            return list(self._receipts)

    def close(self) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join(timeout=5)


@pytest.fixture
def receiver():
    r = Receiver()
    try:
        yield r
    finally:
        r.close()
