"""How a person's protected and derived fields are computed — one place,
used by the forms, the API, the Excel import and the demo generator alike."""

from __future__ import annotations

from typing import Any

from civicgrid.core import personal_data as pd
from civicgrid.core.chinese_text import name_search_keys

ID_CONTEXT = "person.id_number"
PHONE_CONTEXT = "person.phone"


def id_number_fields(number: str) -> dict[str, Any]:
    """Columns for a *validated* ID number (see personal_data.parse_id_number)."""
    columns = pd.protected_columns("id_number", number, context=ID_CONTEXT, mask=pd.mask_id_number)
    return {**columns, "id_number_tail": number[-4:] if number else ""}


def phone_fields(number: str) -> dict[str, Any]:
    """Columns for a *validated* mobile number (see personal_data.parse_mobile)."""
    columns = pd.protected_columns("phone", number, context=PHONE_CONTEXT, mask=pd.mask_mobile)
    return {**columns, "phone_tail": number[-4:] if number else ""}


def name_fields(name: str) -> dict[str, Any]:
    full, initials = name_search_keys(name)
    return {"name": name.strip(), "name_pinyin": full, "name_initials": initials}


def id_number_hash(number: str) -> str:
    """The blind index to look a person up by (normalised, validated) ID number."""
    return pd.blind_index(pd.normalize(number), context=ID_CONTEXT)


def phone_hash(number: str) -> str:
    return pd.blind_index(pd.parse_mobile(number), context=PHONE_CONTEXT)


def reveal_id_number(person: Any) -> str:
    """The clear ID number. Callers check ``personal.unmask`` and audit the view."""
    return pd.decrypt(person.id_number_enc, context=ID_CONTEXT) if person.id_number_enc else ""


def reveal_phone(person: Any) -> str:
    return pd.decrypt(person.phone_enc, context=PHONE_CONTEXT) if person.phone_enc else ""
