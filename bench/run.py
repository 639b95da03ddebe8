"""Run the benchmarks: ``scripts/bench --scale small`` (see docs/performance.md).

Datasets are generated into a dedicated database (PostgreSQL
``civicgrid_bench`` by default, BENCH_DATABASE_URL to change; ``--sqlite``
for an SQLite file under var/bench/). Results: bench/results/.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
import traceback
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def _prepare_database(url: str) -> None:
    if url.startswith("postgres"):
        import psycopg

        base, _, name = url.rpartition("/")
        with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
            exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone()
            if not exists:
                conn.execute(f'CREATE DATABASE "{name}"')


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--scale", default="small", help="small | medium | district (comma-separated for a curve)")
    parser.add_argument("--only", default="", help="comma-separated benchmark names (module suffixes)")
    parser.add_argument("--sqlite", action="store_true", help="use an SQLite file instead of PostgreSQL")
    parser.add_argument("--out", default=str(ROOT / "bench" / "results"))
    args = parser.parse_args()

    if args.sqlite:
        (ROOT / "var" / "bench").mkdir(parents=True, exist_ok=True)
        url = f"sqlite:///{ROOT / 'var' / 'bench' / 'bench.sqlite3'}"
    else:
        url = os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/civicgrid_bench")
    _prepare_database(url)
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "civicgrid.settings")
    os.environ.setdefault("CIVICGRID_JOBS_IMMEDIATE", "1")
    os.environ.setdefault("CIVICGRID_ALLOWED_HOSTS", "testserver,127.0.0.1,localhost")

    import django

    django.setup()
    from django.core.management import call_command

    from bench.harness import SCALES, Context, write_results
    from bench.plots import plot_curves

    call_command("migrate", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    names = sorted(p.stem for p in (ROOT / "bench").glob("bench_*.py"))
    if args.only:
        wanted = {f"bench_{n.removeprefix('bench_')}" for n in args.only.split(",")}
        names = [n for n in names if n in wanted]
    scales = args.scale.split(",")
    all_results = []
    failures = 0
    for scale in scales:
        ctx = Context(scale=scale, sizes=SCALES[scale], out_dir=Path(args.out), database_url=url)
        results = []
        for name in names:
            print(f"== {name} @ {scale}", flush=True)
            try:
                module = importlib.import_module(f"bench.{name}")
                for result in module.run(ctx):
                    met = {True: "met", False: "MISSED", None: "no target"}[result.target_met]
                    print(
                        f"   {result.benchmark}: ours {result.ours:,.2f} {result.unit}, baseline "
                        f"{result.baseline:,.2f} ({result.baseline_name}), ratio {result.ratio:.2f} — {met}",
                        flush=True,
                    )
                    results.append(result)
            except Exception:  # noqa: BLE001 - one broken benchmark must not hide the others
                failures += 1
                traceback.print_exc()
        path = write_results(results, Path(args.out), scale)
        print(f"-> {path}")
        all_results.extend(results)
    if len(scales) > 1:
        for png in plot_curves(all_results, Path(args.out)):
            print(f"-> {png}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
