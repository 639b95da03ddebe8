"""Messages of the JSON API's error handlers (kept here so core's catalog holds them)."""

from django.utils.translation import gettext_lazy as _

UNAUTHENTICATED = _("Log in or send a valid API token.")
INVALID_INPUT = _("Some parameters are invalid.")
