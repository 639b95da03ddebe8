"""manage.py serve: the one-process demo server, run for real in a subprocess."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
pytestmark = pytest.mark.slow


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _get(url: str) -> tuple[int, str]:
    with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 - a local test server
        return response.status, response.read().decode()


@pytest.mark.skipif(bool(os.environ.get("DATABASE_URL")), reason="runs the embedded default (SQLite) only")
def test_serve_answers_and_prints_the_demo_accounts(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL", "CIVICGRID_TESTING"}}
    env.update(
        DJANGO_SETTINGS_MODULE="civicgrid.settings",
        CIVICGRID_DATA_DIR=str(tmp_path),
        CIVICGRID_STATIC_ROOT=str(tmp_path / "static"),
        CIVICGRID_JOBS_IMMEDIATE="",
        CIVICGRID_DEBUG="0",
        PYTHONUNBUFFERED="1",
    )
    # As scripts/demo does: DEBUG is off, so pages need the collected static files.
    for args in (
        ["migrate", "-v0"],
        ["collectstatic", "--noinput", "-v0"],
        ["generate_demo", "--scale", "small", "-v0"],
    ):
        done = subprocess.run(
            [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
        )
        assert done.returncode == 0, done.stderr
    port = _free_port()
    server = subprocess.Popen(
        [sys.executable, "manage.py", "serve", "--port", str(port)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                status, login = _get(f"http://127.0.0.1:{port}/accounts/login/")
                break
            except OSError:
                assert server.poll() is None, server.stdout.read() if server.stdout else ""
                assert time.monotonic() < deadline, "the server did not answer within 20 s"
                time.sleep(0.2)
        assert status == 200 and "登录" in login
        assert _get(f"http://127.0.0.1:{port}/healthz") == (200, '{"status": "ok"}')
    finally:
        server.terminate()
        output, _ = server.communicate(timeout=15)
    assert f"http://127.0.0.1:{port}/" in output
    assert "Demo@2026" in output
    for username in ("admin", "jiedao", "jiedao2", "shuji", "wanggeyuan", "minjing"):
        assert username in output
    assert "后台任务" in output
    assert server.returncode == 0
