"""manage.py serve: the one-process server of the embedded demo — waitress for
the web and, on the SQLite job queue, a huey consumer in background threads so
jobs run with no extra server."""

from __future__ import annotations

import signal
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import translation
from django.utils.translation import gettext as _

from civicgrid.demo.management.commands.generate_demo import print_accounts


def embedded_job_queue() -> bool:
    """True when jobs wait in the SQLite queue file and nothing else would consume them."""
    config = settings.HUEY if isinstance(settings.HUEY, dict) else {}
    return config.get("huey_class") == "huey.SqliteHuey" and not config.get("immediate")


class Command(BaseCommand):
    help = "Serve CivicGrid with waitress; in the embedded default, background jobs run in this process."

    def add_arguments(self, parser):  # type: ignore[no-untyped-def]
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--threads", type=int, default=8)

    def handle(self, *args, host: str, port: int, threads: int, **options):  # type: ignore[no-untyped-def]
        from waitress import serve

        from civicgrid.wsgi import application

        with translation.override("zh-hans"):
            consumer = self._start_job_consumer()
            self._print_welcome(host, port)
        # SIGTERM (docker stop, kill) ends the server like Ctrl-C: waitress shuts
        # down its threads and the job consumer finishes the job it is running.
        signal.signal(signal.SIGTERM, _raise_keyboard_interrupt)
        try:
            serve(application, host=host, port=port, threads=threads, ident="CivicGrid")
        except KeyboardInterrupt:
            pass
        finally:
            if consumer is not None:
                consumer.stop(graceful=True)
            self.stdout.write(_("Stopped."))

    def _start_job_consumer(self) -> Any:
        if not embedded_job_queue():
            self.stdout.write(_("Background jobs: run by separate workers (manage.py run_huey)."))
            return None
        from django.utils.module_loading import autodiscover_modules
        from huey.contrib.djhuey import HUEY

        autodiscover_modules("tasks")  # register every app's jobs with huey, as run_huey does
        options = {"workers": 2, "worker_type": "thread", **settings.HUEY.get("consumer", {})}
        options["worker_type"] = "thread"  # processes would need signals and a fork of the web server
        consumer = HUEY.create_consumer(**options)
        # Consumer.start() installs signal handlers meant for its own run() loop,
        # which we do not run: keep ours so Ctrl-C stops the server.
        saved = {sig: signal.getsignal(sig) for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)}
        consumer.start()
        for sig, handler in saved.items():
            signal.signal(sig, handler)
        self.stdout.write(
            _("Background jobs: running in this process (SQLite queue, %(workers)s threads).")
            % {"workers": options["workers"]}
        )
        return consumer

    def _print_welcome(self, host: str, port: int) -> None:
        shown_host = f"[{host}]" if ":" in host else host
        self.stdout.write("")
        self.stdout.write(_("CivicGrid is running at http://%(host)s:%(port)s/") % {"host": shown_host, "port": port})
        print_accounts(self.stdout)
        self.stdout.write(_("Press Ctrl-C to stop."))
        self.stdout.flush()


def _raise_keyboard_interrupt(signum: int, frame: Any) -> None:
    raise KeyboardInterrupt
