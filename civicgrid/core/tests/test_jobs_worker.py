"""The production job path: a job enqueued by the web process runs in a
separate ``run_huey`` worker process, through Redis (and, embedded, through
the SQLite queue file). Runs real processes against a file database."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
pytestmark = pytest.mark.slow

ENQUEUE = """
from civicgrid.areas.models import Area
from civicgrid.areas.tasks import rebuild_map_features
ring = [[120.6, 31.3], [120.61, 31.3], [120.61, 31.31], [120.6, 31.31], [120.6, 31.3]]
square = {"type": "Polygon", "coordinates": [ring]}
Area.objects.create(code="320508", name="姑苏区", level="district", boundary=square)
result = rebuild_map_features.enqueue(area_codes=["320508"])
print("ENQUEUED", result.id, result.status)
"""

CHECK = """
from civicgrid.areas.models import Area
print("FEATURE", bool(Area.objects.get(code="320508").map_feature))
"""


def _redis_available() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=1):
            return True
    except OSError:
        return False


def _env(tmp_path: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL", "CIVICGRID_TESTING"}}
    env.update(
        DJANGO_SETTINGS_MODULE="civicgrid.settings",
        CIVICGRID_DATA_DIR=str(tmp_path),
        CIVICGRID_JOBS_IMMEDIATE="",
        **extra,
    )
    return env


def _manage(env: dict[str, str], *args: str) -> str:
    out = subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert out.returncode == 0, out.stderr
    return out.stdout


def _run_job_in_worker(env: dict[str, str]) -> None:
    _manage(env, "migrate", "-v0")
    assert "ENQUEUED" in _manage(env, "shell", "-c", ENQUEUE)
    # Nothing ran yet: no worker is consuming the queue.
    assert "FEATURE False" in _manage(env, "shell", "-c", CHECK)
    worker = subprocess.Popen(
        [sys.executable, "manage.py", "run_huey", "--workers", "1", "--worker-type", "thread"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if "FEATURE True" in _manage(env, "shell", "-c", CHECK):
                return
            time.sleep(0.5)
        pytest.fail("the worker did not run the job within 30 s")
    finally:
        worker.terminate()
        worker.wait(timeout=10)


@pytest.mark.skipif(not _redis_available(), reason="Redis is not running on 127.0.0.1:6379")
def test_job_enqueued_by_web_runs_on_a_redis_backed_worker(tmp_path):
    queue_db = 1 + uuid.uuid4().int % 14  # a Redis database of its own
    _run_job_in_worker(_env(tmp_path, REDIS_URL=f"redis://127.0.0.1:6379/{queue_db}"))


def test_job_enqueued_by_web_runs_on_the_embedded_sqlite_queue(tmp_path):
    _run_job_in_worker(_env(tmp_path))
