"""manage.py generate_demo: the synthetic demo district, deterministic by seed."""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand, CommandError
from django.utils import translation
from django.utils.translation import gettext as _

from civicgrid.areas.models import Area
from civicgrid.demo.selectors import accounts_table, demo_accounts
from civicgrid.demo.services import (
    DEMO_PASSWORD,
    SCALES,
    DemoError,
    delete_demo_district,
    generate_demo_district,
)


def print_accounts(stdout) -> None:  # type: ignore[no-untyped-def]
    """The demo accounts table, read from the database (shared with the serve command)."""
    accounts = demo_accounts()
    if not accounts:
        stdout.write(_("No demo accounts in this database (manage.py generate_demo creates them)."))
        return
    stdout.write(_("Demo accounts (all with the password %(password)s):") % {"password": DEMO_PASSWORD})
    headers = (_("Username"), _("Password"), _("Role"), _("Area"))
    for line in accounts_table(accounts, DEMO_PASSWORD, headers):
        stdout.write("  " + line)


class Command(BaseCommand):
    help = "Generate the synthetic demo district (deterministic by seed)."

    def add_arguments(self, parser):  # type: ignore[no-untyped-def]
        parser.add_argument("--seed", type=int, default=2026)
        parser.add_argument(
            "--scale",
            choices=list(SCALES),
            default="default",
            help="; ".join(f"{name}: {scale.describe()} grids" for name, scale in SCALES.items()),
        )
        parser.add_argument("--if-empty", action="store_true", help="do nothing when areas already exist")
        parser.add_argument("--reset", action="store_true", help="delete the generated demo district first")

    def handle(self, *args, seed: int, scale: str, if_empty: bool, reset: bool, **options):  # type: ignore[no-untyped-def]
        with translation.override("zh-hans"):
            self._generate(seed=seed, scale=scale, if_empty=if_empty, reset=reset, verbosity=options["verbosity"])

    def _generate(self, *, seed: int, scale: str, if_empty: bool, reset: bool, verbosity: int) -> None:
        if Area.objects.exists() and not reset:
            if if_empty:
                if verbosity:
                    self.stdout.write(
                        _("Areas already exist: the demo district was not generated (DEMO_RESET=1 regenerates it).")
                    )
                return
            raise CommandError(
                _("The database already has areas: add --reset to replace the demo district, or --if-empty to skip.")
            )
        started = time.monotonic()
        try:
            if reset:
                delete_demo_district()
            result = generate_demo_district(seed=seed, scale=scale)
        except DemoError as error:
            raise CommandError(str(error)) from error
        if not verbosity:
            return
        self.stdout.write(
            _(
                "Generated the demo district %(district)s (seed %(seed)s): %(subdistricts)s subdistricts, "
                "%(communities)s communities, %(grids)s grids, %(users)s staff, in %(seconds).1f s."
            )
            % {
                "district": result.district.name,
                "seed": seed,
                "subdistricts": len(result.subdistricts),
                "communities": len(result.communities),
                "grids": len(result.grids),
                "users": result.users,
                "seconds": time.monotonic() - started,
            }
        )
        print_accounts(self.stdout)
