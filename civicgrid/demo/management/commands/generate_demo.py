from __future__ import annotations

import time

from django.core.management.base import BaseCommand, CommandError

from civicgrid.areas.models import Area
from civicgrid.demo.district import DEMO_PASSWORD, SCALES, delete_demo_district, generate_district


class Command(BaseCommand):
    help = "Generate the synthetic demo district (deterministic by seed)."

    def add_arguments(self, parser):  # type: ignore[no-untyped-def]
        parser.add_argument("--seed", type=int, default=2026)
        parser.add_argument("--scale", choices=sorted(SCALES), default="default",
                            help="small: 24 grids; default: 300 grids; district: 4,320 grids")  # fmt: skip
        parser.add_argument("--if-empty", action="store_true", help="do nothing when areas already exist")
        parser.add_argument("--reset", action="store_true", help="delete the generated district first")

    def handle(self, *args, seed: int, scale: str, if_empty: bool, reset: bool, **options):  # type: ignore[no-untyped-def]
        if Area.objects.exists():
            if if_empty:
                self.stdout.write("已有区域数据，跳过演示数据生成（DEMO_RESET=1 可重新生成）。")
                return
            if not reset:
                raise CommandError("数据库中已有区域数据：加 --reset 删除演示区后重新生成，或加 --if-empty 跳过。")
            delete_demo_district()
        started = time.monotonic()
        result = generate_district(seed=seed, scale=scale)
        self.stdout.write(
            f"已生成演示区 {result.district.name}：{len(result.subdistricts)} 个街道、"
            f"{len(result.communities)} 个社区、"
            f"{len(result.grids)} 个网格、{result.users} 个工作人员账号（{time.monotonic() - started:.1f} 秒）。"
            f"演示账号密码：{DEMO_PASSWORD}"
        )
