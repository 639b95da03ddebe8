"""First install in production: the district area and its first administrator."""

from __future__ import annotations

import getpass
import os

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from civicgrid.accounts.models import Role, RoleAssignment, User
from civicgrid.areas.models import Area, AreaLevel
from civicgrid.core import audit


class Command(BaseCommand):
    help = "Create the district (GB/T 2260 county code) and its first system administrator. Safe to run again."

    def add_arguments(self, parser):  # type: ignore[no-untyped-def]
        parser.add_argument("--code", required=True, help="6-digit GB/T 2260 county code, e.g. 320508")
        parser.add_argument("--name", required=True, help="district name, e.g. 姑苏区")
        parser.add_argument("--username", required=True)
        parser.add_argument("--full-name", required=True)
        parser.add_argument(
            "--password-env",
            default="CIVICGRID_ADMIN_PASSWORD",
            help="environment variable holding the password (asked for if unset)",
        )

    def handle(self, *args, **options):  # type: ignore[no-untyped-def]
        with translation.override("zh-hans"):
            self._bootstrap(**options)

    def _bootstrap(self, *, code: str, name: str, username: str, full_name: str, password_env: str, **_options):  # type: ignore[no-untyped-def]
        if not (code.isdigit() and len(code) == 6):
            raise CommandError(_("The district code must be the 6-digit GB/T 2260 county code, e.g. 320508."))
        other = Area.objects.filter(level=AreaLevel.DISTRICT).exclude(code=code).first()
        if other is not None:
            raise CommandError(
                _("This installation already serves %(name)s (%(code)s).") % {"name": other.name, "code": other.code}
            )
        user = User.objects.filter(username=username).first()
        password = None
        if user is None:
            password = os.environ.get(password_env) or getpass.getpass(
                _("Password for %(user)s: ") % {"user": username}
            )
            try:
                validate_password(password, User(username=username, full_name=full_name))
            except ValidationError as err:
                raise CommandError(" ".join(err.messages)) from None
        with transaction.atomic():
            district, _created = Area.objects.get_or_create(
                code=code, defaults={"name": name, "level": AreaLevel.DISTRICT}
            )
            if user is None:
                user = User(username=username, full_name=full_name)
                user.set_password(password)
                user.save()
            role = Role.objects.get(code="system_admin")
            RoleAssignment.objects.get_or_create(user=user, role=role, area=district)
            audit.record(
                action="create",
                object_type="bootstrap",
                object_repr=f"{district.name} · {user.username}",
                area_code=district.code,
                changes={"district": [None, district.code], "admin": [None, user.username]},
            )
        self.stdout.write(
            _("Ready: %(district)s (%(code)s), administrator %(user)s.")
            % {"district": district.name, "code": district.code, "user": user.username}
        )
