"""Scaling curves: each benchmark's figure and its baseline against n."""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

from bench.harness import Result


def plot_curves(results: list[Result], out_dir: Path) -> list[Path]:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    by_name: dict[str, list[Result]] = defaultdict(list)
    for r in results:
        by_name[r.benchmark].append(r)
    written = []
    for name, rows in by_name.items():
        if len(rows) < 2:
            continue
        rows.sort(key=lambda r: r.n)
        fig, ax = plt.subplots(figsize=(6, 4))
        ax.plot([r.n for r in rows], [r.ours for r in rows], marker="o", label="CivicGrid")
        ax.plot(
            [r.n for r in rows], [r.baseline for r in rows], marker="s", linestyle="--", label=rows[0].baseline_name
        )
        ax.set_xscale("log")
        ax.set_xlabel("n")
        ax.set_ylabel(rows[0].unit)
        ax.set_title(name)
        ax.legend()
        ax.grid(True, alpha=0.3)
        path = out_dir / f"curve-{name}.png"
        fig.tight_layout()
        fig.savefig(path, dpi=110)
        plt.close(fig)
        written.append(path)
    return written
