"""Request throughput on the production server shape: gunicorn with two
worker processes, an authenticated, scoped API list against a view that
never touches the database, driven by the same client in the same run."""

from __future__ import annotations

import http.client
import os
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

from bench.harness import Context, Result, percentile

ROOT = Path(__file__).resolve().parent.parent
CONCURRENCY = 8
DURATION_S = 10.0


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _load(port: int, path: str, headers: dict[str, str]) -> tuple[float, list[float], int]:
    """(requests per second, latencies in ms, errors) for DURATION_S seconds."""
    samples: list[float] = []
    errors = 0
    lock = threading.Lock()
    stop_at = time.monotonic() + DURATION_S

    def worker() -> None:
        nonlocal errors
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        local, bad = [], 0
        while time.monotonic() < stop_at:
            start = time.perf_counter()
            try:
                conn.request("GET", path, headers=headers)
                response = conn.getresponse()
                response.read()
                if response.status != 200:
                    bad += 1
            except (OSError, http.client.HTTPException):
                bad += 1
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
            local.append((time.perf_counter() - start) * 1000)
        with lock:
            samples.extend(local)
            errors += bad

    threads = [threading.Thread(target=worker) for _ in range(CONCURRENCY)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return len(samples) / DURATION_S, samples, errors


def run(ctx: Context) -> list[Result]:
    from civicgrid.accounts.api_auth import issue_token
    from civicgrid.accounts.models import User
    from civicgrid.areas.models import Area

    if not Area.objects.exists():
        from django.core.management import call_command

        call_command("generate_demo", scale="default", seed=2026, verbosity=0)
    _token, plain = issue_token(user=User.objects.get(username="admin"), name="bench")
    port = _free_port()
    env = dict(os.environ, CIVICGRID_DEBUG="0", DATABASE_URL=ctx.database_url)
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "civicgrid.wsgi", "-w", "2", "--threads", "4", "-b", f"127.0.0.1:{port}"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.1)
        auth = {"Authorization": f"Bearer {plain}"}
        base_rps, _base_lat, base_err = _load(port, "/ping", {})
        rps, lat, err = _load(port, "/api/v1/areas/?level=community", auth)
    finally:
        server.terminate()
        server.wait(timeout=10)
    p99 = percentile(lat, 99)
    return [
        Result(
            benchmark="api_area_list_rps",
            scale=ctx.scale,
            n=Area.objects.count(),
            unit="req/s",
            ours=rps,
            baseline=base_rps,
            baseline_name="no-database view",
            higher_is_better=True,
            target="≥ 50% of baseline, p99 < 250 ms, 0 errors",
            target_met=rps >= 0.5 * base_rps and p99 < 250 and err == 0 and base_err == 0,
            notes=f"p99 {p99:.0f} ms, errors {err}, gunicorn 2 workers × 4 threads, {CONCURRENCY} clients",
        )
    ]
