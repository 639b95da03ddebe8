"""Excel ledger import (validate, dedupe, encrypt, upsert) against the raw limit
of the same work: reading the workbook with calamine alone plus loading the
same rows with the database's bulk path alone (PostgreSQL COPY)."""

from __future__ import annotations

import resource
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

import xlsxwriter

from bench.harness import Context, Result

HEADERS = [
    "姓名",
    "性别",
    "身份证号",
    "出生日期",
    "民族",
    "联系电话",
    "与户主关系",
    "户号",
    "居住地址",
    "人员类型",
    "网格",
    "标签",
    "备注",
]


def _ledger(path: Path, n: int, grids: list[str]) -> None:
    from stdnum.cn import ric

    wb = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    ws = wb.add_worksheet()
    ws.write_row(0, 0, HEADERS)
    surnames, given = "王李张刘陈杨赵黄周吴", "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平"
    for i in range(n):
        birth = date(1940, 1, 1) + timedelta(days=i % 25000)
        body = f"110105{birth:%Y%m%d}{(i // 25000) % 1000:03d}"
        household = i // 3
        ws.write_row(
            i + 1,
            0,
            [
                surnames[i % 10] + given[i % 20] + given[(i // 20) % 20],
                "",
                body + ric.calc_check_digit(body + "0"),
                "",
                "汉",
                f"139{i:08d}",
                "户主" if i % 3 == 0 else "子女",
                f"B{household:07d}",
                f"基准路{household}号",
                "户籍",
                grids[household % len(grids)],
                "低保" if i % 50 == 0 else "",
                "",
            ],
        )
    wb.close()


def _raw_read_and_copy(path: Path, database_url: str) -> float:
    import psycopg
    from python_calamine import CalamineWorkbook

    started = time.perf_counter()
    rows = CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0).to_python()[1:]
    with psycopg.connect(database_url) as conn, conn.cursor() as cur:
        cur.execute("CREATE TEMP TABLE bench_copy (" + ", ".join(f"c{i} text" for i in range(len(HEADERS))) + ")")
        with cur.copy("COPY bench_copy FROM STDIN") as copy:
            for row in rows:
                copy.write_row([str(v) for v in row])
    return time.perf_counter() - started


def run(ctx: Context) -> list[Result]:
    from django.core.files.base import ContentFile
    from django.core.management import call_command

    from civicgrid.accounts.models import User
    from civicgrid.areas.models import Area
    from civicgrid.imports.models import ImportJob
    from civicgrid.people import importers
    from civicgrid.people.models import Person

    if not ctx.database_url.startswith("postgres"):
        return []
    if not Area.objects.filter(level="grid").exists():
        call_command("generate_demo", scale="default", seed=2026, verbosity=0)
    n = {"small": 10_000, "medium": 100_000, "district": 1_000_000}[ctx.scale]
    grids = list(Area.objects.filter(level="grid").order_by("code").values_list("code", flat=True)[:50])
    Person.objects.filter(dwelling__address__startswith="基准路").delete()
    Person.objects.filter(area__code__in=grids, household__number__startswith="B").delete()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "ledger.xlsx"
        _ledger(path, n, grids)
        raw_seconds = _raw_read_and_copy(path, ctx.database_url)
        job = ImportJob(
            kind=importers.KIND,
            created_by=User.objects.get(username="admin"),
            area_code="320508",
            original_name="bench.xlsx",
        )
        job.file.save("bench.xlsx", ContentFile(path.read_bytes()), save=False)
        job.save()
        rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        started = time.perf_counter()
        importers.run_person_import(job)
        ours_seconds = time.perf_counter() - started
        peak_mb = max(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, rss_before) / 1024
    ours, raw = n / ours_seconds, n / raw_seconds
    return [
        Result(
            benchmark="excel_import_rows_per_s",
            scale=ctx.scale,
            n=n,
            unit="rows/s",
            ours=ours,
            baseline=raw,
            baseline_name="calamine read + COPY",
            higher_is_better=True,
            target="≥ 40% of raw; peak < 600 MB",
            target_met=ours >= 0.4 * raw and peak_mb < 600,
            notes=f"job {job.status}, peak RSS {peak_mb:.0f} MB (process high-water mark); "
            "django-import-export not measured (not a dependency)",
        )
    ]
