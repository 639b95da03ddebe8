"""The benchmark harness: every figure is reported beside a raw baseline
measured in the same run on the same data, and the ratio between them.

A benchmark module exposes ``run(ctx: Context) -> list[Result]``; bench/run.py
finds them, runs them at the chosen scale and writes JSON, a Markdown table
and PNG scaling curves to bench/results/ (and docs/performance.md on request).
"""

from __future__ import annotations

import gc
import json
import os
import platform
import statistics
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

SCALES = {
    # persons, grids, cases — the district step is the target size.
    "small": {"persons": 10_000, "grids": 300, "dwellings": 4_000, "points": 20_000},
    "medium": {"persons": 100_000, "grids": 1_000, "dwellings": 35_000, "points": 200_000},
    "district": {"persons": 1_000_000, "grids": 4_000, "dwellings": 350_000, "points": 1_000_000},
}


@dataclass
class Result:
    benchmark: str
    scale: str
    n: int
    unit: str  # what the figures measure, e.g. "rows/s", "ms p95"
    ours: float
    baseline: float
    baseline_name: str
    higher_is_better: bool
    target: str = ""
    target_met: bool | None = None
    peers: dict[str, float] = field(default_factory=dict)
    notes: str = ""

    @property
    def ratio(self) -> float:
        """Ours relative to the baseline: share of throughput, or latency multiple."""
        if not self.baseline:
            return float("nan")
        return self.ours / self.baseline


@dataclass
class Context:
    scale: str
    sizes: dict[str, int]
    out_dir: Path
    database_url: str
    extra: dict[str, Any] = field(default_factory=dict)


def timed(fn: Callable[[], Any]) -> tuple[float, Any]:
    gc.collect()
    start = time.perf_counter()
    value = fn()
    return time.perf_counter() - start, value


def best_of(fn: Callable[[], Any], repeat: int = 3) -> float:
    """Fastest wall time of ``repeat`` runs (seconds): least disturbed by a shared machine."""
    return min(timed(fn)[0] for _ in range(repeat))


def percentile(samples: list[float], p: float) -> float:
    if not samples:
        return float("nan")
    ordered = sorted(samples)
    k = (len(ordered) - 1) * p / 100
    lo, hi = int(k), min(int(k) + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo)


def latencies(fn: Callable[[], Any], n: int, warmup: int = 3) -> list[float]:
    for _ in range(warmup):
        fn()
    samples = []
    for _ in range(n):
        start = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - start) * 1000)
    return samples


def machine() -> dict[str, Any]:
    info: dict[str, Any] = {
        "python": platform.python_version(),
        "platform": platform.platform(),
        "cpus": os.cpu_count(),
    }
    try:
        import psutil

        info["memory_gb"] = round(psutil.virtual_memory().total / 2**30, 1)
    except ImportError:
        pass
    return info


def write_results(results: list[Result], out_dir: Path, scale: str) -> Path:
    out_dir.mkdir(parents=True, exist_ok=True)
    payload = {
        "scale": scale,
        "machine": machine(),
        "when": time.strftime("%Y-%m-%d %H:%M:%S %z"),
        "results": [asdict(r) | {"ratio": r.ratio} for r in results],
    }
    path = out_dir / f"results-{scale}.json"
    path.write_text(json.dumps(payload, ensure_ascii=False, indent=2))
    (out_dir / f"results-{scale}.md").write_text(markdown_table(results))
    return path


def markdown_table(results: list[Result]) -> str:
    lines = [
        "| benchmark | n | ours | baseline | ratio | peers | target | met |",
        "|---|---:|---:|---:|---:|---|---|---|",
    ]
    for r in results:
        peers = ", ".join(f"{k}: {v:,.1f}" for k, v in r.peers.items())
        met = {True: "yes", False: "**no**", None: "—"}[r.target_met]
        lines.append(
            f"| {r.benchmark} | {r.n:,} | {r.ours:,.1f} {r.unit} | {r.baseline:,.1f} ({r.baseline_name}) "
            f"| {r.ratio:.2f} | {peers} | {r.target} | {met} |"
        )
    return "\n".join(lines) + "\n"


def median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")
