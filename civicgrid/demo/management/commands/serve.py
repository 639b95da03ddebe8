"""The one-process server of the embedded demo: waitress for the web, and a
huey consumer in background threads so jobs run with no extra server."""

from __future__ import annotations

import signal

from django.conf import settings
from django.core.management.base import BaseCommand

from civicgrid.accounts.models import RoleAssignment
from civicgrid.demo.district import DEMO_ACCOUNTS, DEMO_PASSWORD


class Command(BaseCommand):
    help = "Serve CivicGrid with waitress, running background jobs in-process (embedded default)."

    def add_arguments(self, parser):  # type: ignore[no-untyped-def]
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--threads", type=int, default=8)

    def handle(self, *args, host: str, port: int, threads: int, **options):  # type: ignore[no-untyped-def]
        from waitress import serve

        from civicgrid.wsgi import application

        consumer = self._start_job_consumer()
        self._print_accounts(host, port)
        try:
            serve(application, host=host, port=port, threads=threads, ident="CivicGrid")
        finally:
            if consumer is not None:
                consumer.stop(graceful=True)

    def _start_job_consumer(self):  # type: ignore[no-untyped-def]
        """In the embedded default (SQLite queue), consume jobs in this process."""
        huey_config = settings.HUEY if isinstance(settings.HUEY, dict) else {}
        if huey_config.get("huey_class") != "huey.SqliteHuey" or huey_config.get("immediate"):
            self.stdout.write("后台任务由独立的 run_huey 进程处理。")
            return None
        from django.utils.module_loading import autodiscover_modules
        from huey.contrib.djhuey import HUEY

        autodiscover_modules("tasks")
        consumer = HUEY.create_consumer(workers=2, worker_type="thread", periodic=True)
        # The consumer installs its own signal handlers; keep the server's (Ctrl-C stops it).
        saved = {sig: signal.getsignal(sig) for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)}
        consumer.start()
        for sig, handler in saved.items():
            signal.signal(sig, handler)
        self.stdout.write("后台任务：已在本进程内启动（SQLite 队列，2 个线程）。")
        return consumer

    def _print_accounts(self, host: str, port: int) -> None:
        usernames = [a[0] for a in DEMO_ACCOUNTS]
        rows: dict[str, list[str]] = {}
        for a in (
            RoleAssignment.objects.filter(user__username__in=usernames)
            .select_related("user", "role", "area")
            .order_by("role__sort_order", "area__code")
        ):
            rows.setdefault(a.user.username, []).append(f"{a.role.name}·{a.area.name}")
        self.stdout.write("")
        self.stdout.write(f"CivicGrid 社区网格化服务管理平台：http://{host}:{port}/")
        if rows:
            self.stdout.write(f"演示账号（密码均为 {DEMO_PASSWORD}）：")
            for username in usernames:
                if username in rows:
                    self.stdout.write(f"  {username:<12} {'；'.join(rows[username])}")
        self.stdout.write("按 Ctrl-C 停止。")
        self.stdout.flush()
