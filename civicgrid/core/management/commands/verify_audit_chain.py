"""``manage.py verify_audit_chain``: walk the whole audit log's hash chain.

Prints a summary in the UI's language; exits 1 if any entry was edited,
removed or reordered (for cron and monitoring)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation
from django.utils.translation import gettext as _

from civicgrid.core.audit import verify_chain
from civicgrid.core.audit_views import describe_problem


class Command(BaseCommand):
    help = "Verify the audit log's hash chain; exits 1 if any entry was edited, removed or reordered."

    def handle(self, *args: Any, **options: Any) -> None:
        with translation.override(settings.LANGUAGE_CODE):
            count, problems = verify_chain()
            if problems:
                for problem in problems:
                    self.stderr.write(describe_problem(problem))
                raise CommandError(
                    _("Audit log verification FAILED: %(n)d problem(s) in %(count)d entries.")
                    % {"n": len(problems), "count": count}
                )
            self.stdout.write(_("Audit log hash chain intact: %(count)d entries verified.") % {"count": count})
