"""The README's commands, run as written against the built binary (a README that drifts fails the build).

Every ```sh block is a terminal of the walkthrough (fence commands that cannot run here, such as the
15-minute `scripts/package`, as ```bash). Each is run line by line in order with its own environment (`export` lines
carry over within the block). `hookline serve` and `hookline listen` keep running, as they would in a
terminal: the test starts them, waits for their `listening on` line and goes on with the next line.
Every other line must exit 0. What the test changes, and why:

* `swift build -c release` is not run (scripts/test already built the same sources); instead the
  working folder (a fresh temporary one) gets `.build/release/hookline`, a link to the binary under
  test, so the README's `export PATH="$PWD/.build/release:$PATH"` finds it.
* Ports 8400 and 9000 become free ports (HOOKLINE_PORT for `serve`, the port in URLs and `--port`),
  so the test never collides with a server already running on the machine.

Then it checks what a reader is promised: the banner names the dashboard, `hookline listen` prints
both messages with a verified signature, and Ctrl-C (SIGINT) logs draining and stopped.
The other code blocks are a reference with placeholders (`msg_...`): for those, every `hookline`
verb must exist and every `--option` must appear in that verb's `--help`.
"""

from __future__ import annotations

import os
import re
import shlex
import signal
import socket
import subprocess
import threading
from pathlib import Path
from typing import Dict, List, Optional

import pytest

from conftest import REPO_ROOT

README = REPO_ROOT / "README.md"
LINE_DEADLINE_S = 60.0
FENCE = re.compile(r"^```(\w*)\n(.*?)^```", re.M | re.S)


def blocks(language: str) -> List[List[str]]:
    """The README's fenced blocks in `language` ("" for plain ones), as lists of command lines."""
    text = README.read_text()
    found = []
    for lang, body in FENCE.findall(text):
        if lang == language:
            found.append([line for line in body.splitlines() if line.strip() and not line.lstrip().startswith("#")])
    return found


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Background:
    """A long-running README command (serve, listen); its output is read line by line on a thread."""

    def __init__(self, line: str, env: Dict[str, str], cwd: Path):
        self.line = line
        self.proc = subprocess.Popen(
            ["bash", "-c", f"exec {line}"], env=env, cwd=cwd, stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, start_new_session=True)
        self.lines: List[str] = []
        self.cond = threading.Condition()
        self.eof = False
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self):
        for raw in iter(self.proc.stdout.readline, b""):
            with self.cond:
                self.lines.append(raw.decode("utf-8", "replace").rstrip("\n"))
                self.cond.notify_all()
        with self.cond:
            self.eof = True
            self.cond.notify_all()

    def wait_for(self, pattern: str, count: int = 1, timeout: float = LINE_DEADLINE_S) -> List[str]:
        """Blocks until `count` lines match `pattern` (regex); fails the test with the output otherwise."""
        regex = re.compile(pattern)
        with self.cond:
            ok = self.cond.wait_for(lambda: len([l for l in self.lines if regex.search(l)]) >= count or self.eof, timeout)
            matched = [l for l in self.lines if regex.search(l)]
            if not ok or len(matched) < count:
                pytest.fail(f"`{self.line}` printed {len(matched)} line(s) matching {pattern!r}, expected {count}:\n" + self.output())
            return matched

    def output(self) -> str:
        with self.cond:
            return "\n".join(self.lines)

    def stop(self, sig=signal.SIGTERM) -> Optional[int]:
        if self.proc.poll() is None:
            self.proc.send_signal(sig)
        try:
            return self.proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(timeout=5)
            return None


def test_readme_walkthrough_runs_as_written(hookline_bin: Path, tmp_path: Path):
    terminals = blocks("sh")
    assert len(terminals) == 3, (
        f"expected the README's three walkthrough terminals (serve, listen, send) as ```sh blocks, found {len(terminals)}; "
        "fence other shell commands as ```bash")
    assert terminals[0][0].split("#")[0].strip() == "swift build -c release", terminals[0][0]
    release = tmp_path / ".build" / "release"
    release.mkdir(parents=True)
    (release / "hookline").symlink_to(hookline_bin)

    serve_port, listen_port = free_port(), free_port()
    base = {k: v for k, v in os.environ.items() if not k.startswith("HOOKLINE_")}
    base["HOOKLINE_PORT"] = str(serve_port)
    base["HOOKLINE_SERVER"] = f"http://127.0.0.1:{serve_port}"  # the CLI's default is :8400
    base["PWD"] = str(tmp_path)

    def adapt(line: str) -> str:
        line = line.replace("127.0.0.1:8400", f"127.0.0.1:{serve_port}")
        return line.replace("127.0.0.1:9000", f"127.0.0.1:{listen_port}").replace("--port 9000", f"--port {listen_port}")

    running: Dict[str, Background] = {}
    try:
        for terminal in terminals:
            env = dict(base)
            for raw in terminal:
                line = adapt(raw.split("  #")[0].strip())
                if line == "swift build -c release":
                    continue
                if line.startswith(("hookline serve", "hookline listen")):
                    verb = line.split()[1]
                    running[verb] = Background(line, env, tmp_path)
                    running[verb].wait_for(r"^listening on http://")
                    continue
                if line.startswith("export "):
                    done = subprocess.run(["bash", "-c", f"{line} && env -0"], env=env, cwd=tmp_path, capture_output=True, timeout=LINE_DEADLINE_S)
                    assert done.returncode == 0, f"`{raw}` failed: {done.stderr.decode()}"
                    env = dict(item.split("=", 1) for item in done.stdout.decode().split("\0") if "=" in item)
                    continue
                done = subprocess.run(["bash", "-c", line], env=env, cwd=tmp_path, capture_output=True, timeout=LINE_DEADLINE_S)
                assert done.returncode == 0, f"`{raw}` exited {done.returncode}:\n{done.stdout.decode()}\n{done.stderr.decode()}"

        serve, listen = running["serve"], running["listen"]
        assert serve.wait_for(r"^console: http://127\.0\.0\.1:\d+/")
        received = listen.wait_for(r"POST /hooks msg_\S+ signature ok", count=2)
        assert any('{"id":1}' in line for line in received) and any('{"id":2}' in line for line in received), received

        assert serve.stop(signal.SIGINT) == 0, serve.output()
        serve.wait_for(r"shutting down: draining")
        stopped = serve.wait_for(r"\bstopped\b")[0]
        assert "drain_ms=" in stopped and "left_due=" in stopped, stopped
    finally:
        for process in running.values():
            process.stop()


def test_readme_reference_commands_exist(hookline_bin: Path):
    checked = 0
    for block in blocks(""):
        for line in block:
            words = shlex.split(line.split("  #")[0], posix=True) if line.startswith("hookline ") else []
            if not words:
                continue
            if words[1].startswith("--"):
                done = subprocess.run([str(hookline_bin)] + words[1:], capture_output=True, timeout=30)
                assert done.returncode == 0, f"`{line}` exited {done.returncode}: {done.stderr.decode()}"
                checked += 1
                continue
            verb = [words[1]]
            if len(words) > 2 and not words[2].startswith("-"):
                nested = subprocess.run([str(hookline_bin), words[1], words[2], "--help"], capture_output=True, timeout=30)
                if nested.returncode == 0 and b"USAGE: hookline " + f"{words[1]} {words[2]}".encode() in nested.stdout:
                    verb.append(words[2])
            help_text = subprocess.run([str(hookline_bin), *verb, "--help"], capture_output=True, timeout=30)
            assert help_text.returncode == 0, f"`hookline {' '.join(verb)}` does not exist (README line: {line})"
            for option in [w.split("=")[0] for w in words if w.startswith("--")]:
                assert option.encode() in help_text.stdout, f"`hookline {' '.join(verb)}` has no {option} (README line: {line})"
            checked += 1
    assert checked >= 15, f"only {checked} README reference commands checked"
