"""Personal data: validation, encryption at rest, blind indexes and masking.

The one mechanism for ID numbers (身份证号, GB 11643), mobile numbers and
unified social credit codes (统一社会信用代码, GB 32100). A model stores three
columns per protected value (see docs/personal-data.md):

- ``<name>_enc``:    AES-256-GCM ciphertext (``encrypt``), bound to its field
                      by associated data so a value cannot be moved to another
                      column or record type unnoticed;
- ``<name>_hash``:   a keyed HMAC of the normalised value (``blind_index``),
                      for exact search and duplicate detection without
                      decrypting;
- ``<name>_masked``: what lists and exports show by default (``mask_*``).

Unmasking (``decrypt``) is for the few places that need the clear value; the
caller checks the ``personal.unmask`` capability and audits the access.

Keys come from the environment (``CIVICGRID_FIELD_KEYS``: ``id:base64key``
entries separated by commas, the first one encrypts, all decrypt — rotation
appends a new first key and re-encrypts in a job; ``CIVICGRID_INDEX_KEY``).
The embedded demo generates both into ``var/`` on first start.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import re
import secrets
import unicodedata
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.utils.translation import gettext as _
from stdnum.cn import ric, uscc
from stdnum.exceptions import InvalidChecksum, InvalidComponent, InvalidFormat, InvalidLength

FORMAT_VERSION = "v1"


# --- keys ----------------------------------------------------------------------------
def _key_file(name: str, length: int) -> str:
    """For the embedded default only: a generated key kept beside the database."""
    path = Path(settings.DATA_DIR) / name
    if not path.exists():
        path.write_text(base64.b64encode(secrets.token_bytes(length)).decode())
        path.chmod(0o600)
    return path.read_text().strip()


@cache
def _field_keys() -> list[tuple[str, bytes]]:
    raw = os.environ.get("CIVICGRID_FIELD_KEYS") or f"k1:{_key_file('field_key', 32)}"
    keys = []
    for item in raw.split(","):
        key_id, _sep, b64 = item.strip().partition(":")
        key = base64.b64decode(b64)
        if not key_id or len(key) != 32:
            raise ImproperlyConfigured("CIVICGRID_FIELD_KEYS entries must be 'id:base64 of 32 bytes'")
        keys.append((key_id, key))
    return keys


@cache
def _index_key() -> bytes:
    raw = os.environ.get("CIVICGRID_INDEX_KEY") or _key_file("index_key", 32)
    return base64.b64decode(raw)


def reset_key_cache() -> None:
    _field_keys.cache_clear()
    _index_key.cache_clear()


# --- encryption and blind indexes --------------------------------------------------
def encrypt(value: str, *, context: str) -> str:
    """Ciphertext text for ``value``; ``context`` names the field, e.g. "person.id_number"."""
    key_id, key = _field_keys()[0]
    nonce = secrets.token_bytes(12)
    sealed = AESGCM(key).encrypt(nonce, value.encode(), context.encode())
    return f"{FORMAT_VERSION}:{key_id}:{base64.urlsafe_b64encode(nonce + sealed).decode()}"


def decrypt(token: str, *, context: str) -> str:
    version, key_id, payload = token.split(":", 2)
    if version != FORMAT_VERSION:
        raise ValueError(f"unknown ciphertext version {version}")
    keys = dict(_field_keys())
    if key_id not in keys:
        raise ImproperlyConfigured(f"field key {key_id!r} is not configured (CIVICGRID_FIELD_KEYS)")
    raw = base64.urlsafe_b64decode(payload)
    return AESGCM(keys[key_id]).decrypt(raw[:12], raw[12:], context.encode()).decode()


def blind_index(value: str, *, context: str) -> str:
    """A keyed hash for equality search; the same value in another context hashes differently."""
    digest = hmac.new(_index_key(), f"{context}\x1f{value}".encode(), hashlib.sha256).hexdigest()
    return digest[:40]


def protected_columns(prefix: str, value: str, *, context: str, mask: Any) -> dict[str, str]:
    """The ``<prefix>_enc``, ``<prefix>_hash`` and ``<prefix>_masked`` columns of a
    *validated* value (all empty for an empty value): the one way every model stores one."""
    if not value:
        return {f"{prefix}_enc": "", f"{prefix}_hash": "", f"{prefix}_masked": ""}
    return {
        f"{prefix}_enc": encrypt(value, context=context),
        f"{prefix}_hash": blind_index(value, context=context),
        f"{prefix}_masked": mask(value),
    }


# --- normalisation ----------------------------------------------------------------------
def normalize(text: str) -> str:
    """Full-width to half-width, no spaces or dashes, upper case (x → X)."""
    text = unicodedata.normalize("NFKC", text or "")
    return re.sub(r"[\s\-]", "", text).upper()


# --- ID numbers (GB 11643) ----------------------------------------------------------------
@dataclass(frozen=True)
class IdNumber:
    number: str
    birth_date: date
    sex: str  # "male" / "female"
    # False when the 6-digit region code is missing from python-stdnum's copy
    # of GB/T 2260: codes created since (e.g. 320508 姑苏区, 2012) are real,
    # so an unknown county is reported as a warning, never a rejection.
    region_known: bool


ID_NUMBER_RE = re.compile(r"^\d{17}[\dX]$")
PROVINCE_CODES = {
    *(str(n) for n in (11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37)),
    *(str(n) for n in (41, 42, 43, 44, 45, 46, 50, 51, 52, 53, 54, 61, 62, 63, 64, 65, 71, 81, 82)),
}


def parse_id_number(value: str) -> IdNumber:
    """Validate an 18-digit resident ID number; derive birth date and sex.

    Checks with python-stdnum (GB 11643 check digit, birth date); raises
    ValidationError with a Chinese message that says what is wrong.
    """
    number = normalize(value)
    if not number:
        raise ValidationError(_("The ID number is empty."), code="empty")
    if len(number) != 18:
        raise ValidationError(
            _("The ID number must have 18 characters; %(n)d were given.") % {"n": len(number)}, code="length"
        )
    if not ID_NUMBER_RE.match(number):
        raise ValidationError(
            _("The ID number may contain only digits, with an X as the last character."), code="format"
        )
    if ric.calc_check_digit(number) != number[-1]:
        raise ValidationError(
            _("The ID number's check digit is wrong: please check each digit again."), code="checksum"
        )
    try:
        birth = ric.get_birth_date(number)
    except InvalidComponent:
        raise ValidationError(_("The ID number contains an impossible birth date."), code="birth_date") from None
    if birth > date.today():
        raise ValidationError(_("The ID number's birth date is in the future."), code="future")
    if number[:2] not in PROVINCE_CODES:
        raise ValidationError(_("The ID number's region code does not exist."), code="region")
    try:
        ric.get_birth_place(number)
        region_known = True
    except InvalidComponent:
        region_known = False
    sex = "male" if int(number[16]) % 2 == 1 else "female"
    return IdNumber(number=number, birth_date=birth, sex=sex, region_known=region_known)


def mask_id_number(number: str) -> str:
    """3204**********123X: the region prefix and the last four stay visible."""
    number = normalize(number)
    if len(number) < 8:
        return "*" * len(number)
    return number[:4] + "*" * (len(number) - 8) + number[-4:]


# --- mobile numbers ----------------------------------------------------------------------------
MOBILE_RE = re.compile(r"^1[3-9]\d{9}$")


def parse_mobile(value: str) -> str:
    number = normalize(value)
    if number.startswith("+86"):
        number = number[3:]
    elif number.startswith("0086"):
        number = number[4:]
    if not MOBILE_RE.match(number):
        raise ValidationError(
            _("%(value)s is not a mainland mobile number (11 digits starting with 13–19).") % {"value": value},
            code="mobile",
        )
    return number


def mask_mobile(number: str) -> str:
    """138****5678."""
    number = normalize(number)
    if len(number) != 11:
        return "*" * len(number)
    return number[:3] + "****" + number[-4:]


# --- unified social credit codes (GB 32100) ------------------------------------------------
def parse_credit_code(value: str) -> str:
    code = normalize(value)
    try:
        return uscc.validate(code)
    except InvalidLength:
        raise ValidationError(
            _("A unified social credit code has 18 characters; %(n)d were given.") % {"n": len(code)},
            code="length",
        ) from None
    except InvalidChecksum:
        raise ValidationError(
            _("The unified social credit code's check character is wrong: please check it again."),
            code="checksum",
        ) from None
    except (InvalidFormat, InvalidComponent):
        raise ValidationError(
            _("The unified social credit code contains characters that are not allowed (I, O, S, V, Z)."),
            code="format",
        ) from None
