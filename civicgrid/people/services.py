"""Changes to the people registry. Every change is audited in its transaction;
nothing is deleted: moving out, death and merging change a status and keep history."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from civicgrid.core import audit
from civicgrid.core import personal_data as pd
from civicgrid.core.scoping import user_can
from civicgrid.people import protection
from civicgrid.people.models import (
    Household,
    Person,
    PersonStatus,
    PersonTag,
    RentalContract,
    Residency,
    Tag,
    Visit,
)
from civicgrid.places.models import Dwelling

PERSON_FIELDS = [
    "area",
    "name",
    "sex",
    "birth_date",
    "ethnicity",
    "id_number_masked",
    "phone_masked",
    "household",
    "relation",
    "dwelling",
    "residency_kind",
    "registered_address",
    "workplace",
    "status",
    "status_date",
    "status_note",
    "merged_into",
    "note",
]
PLAIN_FIELDS = [
    "sex",
    "birth_date",
    "ethnicity",
    "relation",
    "residency_kind",
    "registered_address",
    "workplace",
    "note",
]
HOUSEHOLD_FIELDS = ["area", "dwelling", "number", "head", "is_collective", "is_active", "note"]
TAG_FIELDS = ["code", "name", "category", "is_sensitive", "has_grade", "visit_interval_days", "derived_min_age"]


class PersonConflict(ValidationError):
    """Someone saved the record since the form was opened."""


class DuplicatePerson(ValidationError):
    """An ID number that already belongs to another record."""

    def __init__(self, message: str, existing: Person) -> None:
        super().__init__(message, code="duplicate")
        self.existing = existing


def _repr(person: Person) -> str:
    return f"{person.name} ({person.id_number_masked or person.pk})"


def _require(user: Any, capability: str, area: Any) -> None:
    if not user_can(user, capability, area):
        raise PermissionDenied


def _record(action: str, obj: Any, before: dict[str, Any], after: dict[str, Any], by: Any, **extra: Any) -> None:
    audit.record(
        action=action,
        object_type="person" if isinstance(obj, Person) else "household",
        object_id=obj.pk,
        object_repr=_repr(obj) if isinstance(obj, Person) else str(obj),
        area_code=obj.area.code,
        changes=audit.diff(before, after),
        actor=by,
        **extra,
    )


# --- persons -----------------------------------------------------------------------------------
def _apply_identity(person: Person, *, name: str, id_number: str | None, phone: str | None) -> None:
    """Set the derived columns through people.protection (the one place that computes them)."""
    for key, value in protection.name_fields(name).items():
        setattr(person, key, value)
    if id_number is not None:
        parsed = pd.parse_id_number(id_number) if id_number else None
        for key, value in protection.id_number_fields(parsed.number if parsed else "").items():
            setattr(person, key, value)
        if parsed:
            person.birth_date = parsed.birth_date
            person.sex = parsed.sex
    if phone is not None:
        for key, value in protection.phone_fields(pd.parse_mobile(phone) if phone else "").items():
            setattr(person, key, value)


def _check_id_duplicate(person: Person) -> None:
    if not person.id_number_hash:
        return
    existing = (
        Person.objects.filter(id_number_hash=person.id_number_hash)
        .exclude(pk=person.pk)
        .exclude(status=PersonStatus.MERGED)
        .select_related("area")
        .first()
    )
    if existing is not None:
        raise DuplicatePerson(
            _("This ID number is already registered for another person. Open that record instead of adding it twice."),
            existing,
        )


def _area_for(*, dwelling: Dwelling | None, household: Household | None, area: Any) -> Any:
    if dwelling is not None:
        return dwelling.area
    if household is not None:
        return household.area
    if area is None:
        raise ValidationError(_("Choose a dwelling or a grid: every person belongs to a grid."))
    return area


def _sync_head(person: Person, by: Any) -> None:
    """Choosing "head of household" on a person makes them the household's head."""
    household = person.household
    if household is None or person.relation != "head" or household.head_id == person.pk:
        return
    before = audit.snapshot(household, HOUSEHOLD_FIELDS)
    household.head = person
    household.version += 1
    household.save()
    _record("update", household, before, audit.snapshot(household, HOUSEHOLD_FIELDS), by)


def _open_residency(person: Person, since: date | None) -> None:
    if person.dwelling_id:
        Residency.objects.create(person=person, dwelling_id=person.dwelling_id, kind=person.residency_kind, since=since)


def _close_residencies(person: Person, until: date) -> None:
    Residency.objects.filter(person=person, until__isnull=True).update(until=until)


@transaction.atomic
def person_create(
    *,
    by: Any,
    name: str,
    residency_kind: str,
    id_number: str = "",
    phone: str = "",
    dwelling: Dwelling | None = None,
    household: Household | None = None,
    area: Any = None,
    **fields: Any,
) -> Person:
    unknown = set(fields) - set(PLAIN_FIELDS)
    if unknown:
        raise ValueError(f"not settable: {unknown}")
    person = Person(residency_kind=residency_kind, dwelling=dwelling, household=household, **fields)
    person.area = _area_for(dwelling=dwelling, household=household, area=area)
    _require(by, "people.change", person.area)
    _apply_identity(person, name=name, id_number=id_number, phone=phone)
    _check_id_duplicate(person)
    person.save()
    _open_residency(person, timezone.localdate())
    _record("create", person, {}, audit.snapshot(person, PERSON_FIELDS), by)
    _sync_head(person, by)
    return person


@transaction.atomic
def person_update(
    *,
    person: Person,
    by: Any,
    expected_version: int,
    name: str,
    residency_kind: str,
    id_number: str | None = None,
    phone: str | None = None,
    dwelling: Dwelling | None = None,
    household: Household | None = None,
    area: Any = None,
    **fields: Any,
) -> Person:
    """Save an edit; a stale ``expected_version`` raises PersonConflict and saves nothing.

    ``id_number`` / ``phone`` None keep the stored value; "" clears it.
    """
    unknown = set(fields) - set(PLAIN_FIELDS)
    if unknown:
        raise ValueError(f"not settable: {unknown}")
    current = Person.objects.select_for_update().select_related("area").get(pk=person.pk)
    if current.version != expected_version:
        raise PersonConflict(
            _(
                "Someone else saved this person's record after you opened it. "
                "Nothing was saved: reload the page to see their changes, then make yours again."
            )
        )
    _require(by, "people.change", current.area)
    before = audit.snapshot(current, PERSON_FIELDS)
    old_dwelling_id, old_kind = current.dwelling_id, current.residency_kind
    for key, value in fields.items():
        setattr(current, key, value)
    current.residency_kind = residency_kind
    current.dwelling = dwelling
    current.household = household
    current.area = _area_for(dwelling=dwelling, household=household, area=area or current.area)
    _require(by, "people.change", current.area)
    _apply_identity(current, name=name, id_number=id_number, phone=phone)
    _check_id_duplicate(current)
    current.version += 1
    current.save()
    if (current.dwelling_id, current.residency_kind) != (old_dwelling_id, old_kind):
        today = timezone.localdate()
        _close_residencies(current, today)
        _open_residency(current, today)
    _record("update", current, before, audit.snapshot(current, PERSON_FIELDS), by)
    _sync_head(current, by)
    return current


def person_unmask(*, person: Person, by: Any, reason: str, field: str) -> str:
    """The clear ID or phone number, once, for a user with personal.unmask; audited with the reason."""
    if not user_can(by, "personal.unmask", person.area):
        raise PermissionDenied
    reason = (reason or "").strip()
    if len(reason) < 2:
        raise ValidationError(_("Say why you need the full number (for example: 核实低保申请)."))
    if field not in ("id_number", "phone"):
        raise ValueError(field)
    value = protection.reveal_id_number(person) if field == "id_number" else protection.reveal_phone(person)
    audit.record(
        action="unmask",
        object_type="person",
        object_id=person.pk,
        object_repr=_repr(person),
        area_code=person.area.code,
        changes={"field": field},
        reason=reason,
        actor=by,
    )
    return value


def record_sensitive_view(*, person: Person, by: Any, tags: list[str]) -> None:
    """Viewing a person with a sensitive tag is itself recorded."""
    audit.record(
        action="view",
        object_type="person",
        object_id=person.pk,
        object_repr=_repr(person),
        area_code=person.area.code,
        changes={"sensitive_tags": tags},
        actor=by,
    )


def _end_residence(*, person: Person, by: Any, status: str, on: date, note: str) -> Person:
    current = Person.objects.select_for_update().select_related("area").get(pk=person.pk)
    _require(by, "people.change", current.area)
    if current.status != PersonStatus.ACTIVE:
        raise ValidationError(
            _("This person is no longer recorded as living here (%(status)s): nothing was changed.")
            % {"status": current.get_status_display()}
        )
    if on > timezone.localdate():
        raise ValidationError(_("The date cannot be in the future."))
    before = audit.snapshot(current, PERSON_FIELDS)
    current.status, current.status_date, current.status_note = status, on, note
    current.version += 1
    current.save()
    _close_residencies(current, on)
    _record("update", current, before, audit.snapshot(current, PERSON_FIELDS), by)
    return current


@transaction.atomic
def person_move_out(*, person: Person, by: Any, on: date, destination: str = "") -> Person:
    return _end_residence(person=person, by=by, status=PersonStatus.MOVED_OUT, on=on, note=destination)


@transaction.atomic
def person_record_death(*, person: Person, by: Any, on: date, note: str = "") -> Person:
    return _end_residence(person=person, by=by, status=PersonStatus.DECEASED, on=on, note=note)


@transaction.atomic
def persons_merge(*, survivor: Person, duplicate: Person, by: Any) -> Person:
    """Fold ``duplicate`` into ``survivor``: tags, visits, household, rentals and history move;
    the duplicate stays as a record with status merged pointing at the survivor."""
    if survivor.pk == duplicate.pk:
        raise ValidationError(_("Choose two different records to merge."))
    keep = Person.objects.select_for_update().select_related("area").get(pk=survivor.pk)
    gone = Person.objects.select_for_update().select_related("area").get(pk=duplicate.pk)
    for p in (keep, gone):
        _require(by, "people.change", p.area)
        if p.status == PersonStatus.MERGED:
            raise ValidationError(
                _("%(name)s was already merged into another record: merge with that record instead.") % {"name": p.name}
            )
    if keep.id_number_hash and gone.id_number_hash and keep.id_number_hash != gone.id_number_hash:
        raise ValidationError(
            _("The two records have different ID numbers, so they are different people: nothing was merged.")
        )
    before_keep = audit.snapshot(keep, PERSON_FIELDS)
    before_gone = audit.snapshot(gone, PERSON_FIELDS)
    moved: dict[str, Any] = {}
    # Tags: the survivor keeps its own; the duplicate's others move over.
    have = set(PersonTag.objects.filter(person=keep).values_list("tag_id", flat=True))
    dup_tags = list(PersonTag.objects.filter(person=gone).select_related("tag"))
    moving = [pt for pt in dup_tags if pt.tag_id not in have]
    PersonTag.objects.filter(pk__in=[pt.pk for pt in moving]).update(person=keep)
    both = [pt for pt in dup_tags if pt.tag_id in have]
    for pt in both:  # same tag on both: keep the survivor's row, fill its grade if empty
        PersonTag.objects.filter(person=keep, tag_id=pt.tag_id, grade="").update(grade=pt.grade)
    PersonTag.objects.filter(pk__in=[pt.pk for pt in both]).delete()
    moved["tags"] = [pt.tag.code for pt in dup_tags]
    moved["visits"] = Visit.objects.filter(person=gone).update(person=keep)
    moved["residencies"] = Residency.objects.filter(person=gone).update(person=keep)
    for rental in RentalContract.objects.filter(tenants=gone):
        rental.tenants.remove(gone)
        rental.tenants.add(keep)
    moved["landlord_of"] = RentalContract.objects.filter(landlord=gone).update(landlord=keep)
    if Household.objects.filter(head=gone).update(head=keep):
        moved["head_of"] = gone.household_id
    # Fill what the survivor lacks from the duplicate.
    if not keep.household_id and gone.household_id:
        keep.household_id, keep.relation = gone.household_id, gone.relation
    if not keep.dwelling_id and gone.dwelling_id:
        keep.dwelling_id = gone.dwelling_id
    for group in (protection.id_number_fields(""), protection.phone_fields("")):
        first = next(iter(group))
        if not getattr(keep, first) and getattr(gone, first):
            for key in group:
                setattr(keep, key, getattr(gone, key))
    for key in ("sex", "birth_date", "ethnicity", "registered_address", "workplace"):
        if not getattr(keep, key) and getattr(gone, key):
            setattr(keep, key, getattr(gone, key))
    keep.version += 1
    keep.save()
    gone.status, gone.status_date, gone.merged_into = PersonStatus.MERGED, timezone.localdate(), keep
    gone.household, gone.relation = None, ""
    gone.version += 1
    gone.save()
    _close_residencies(gone, timezone.localdate())
    after_keep = {**audit.snapshot(keep, PERSON_FIELDS), "merged_from": gone.pk, **moved}
    _record("update", keep, before_keep, after_keep, by, reason=_("merge of duplicate records"))
    _record(
        "update", gone, before_gone, audit.snapshot(gone, PERSON_FIELDS), by, reason=_("merge of duplicate records")
    )
    return keep


# --- households ----------------------------------------------------------------------------------
@transaction.atomic
def household_create(
    *, by: Any, dwelling: Dwelling | None, area: Any = None, number: str = "", note: str = ""
) -> Household:
    area = dwelling.area if dwelling is not None else area
    if area is None:
        raise ValidationError(_("Choose a dwelling or a grid for the household."))
    _require(by, "people.change", area)
    number = number.strip()
    if number and Household.objects.filter(number=number, is_active=True).exists():
        raise ValidationError(
            _("Household number %(number)s is already used: check the number or open that household.")
            % {"number": number}
        )
    household = Household.objects.create(area=area, dwelling=dwelling, number=number, note=note)
    if not number:
        household.number = f"H{household.pk:08d}"
        household.save(update_fields=["number"])
    _record("create", household, {}, audit.snapshot(household, HOUSEHOLD_FIELDS), by)
    return household


@transaction.atomic
def household_add_member(*, household: Household, person: Person, relation: str, by: Any) -> Person:
    _require(by, "people.change", household.area)
    current = Person.objects.select_for_update().select_related("area").get(pk=person.pk)
    _require(by, "people.change", current.area)
    if current.status != PersonStatus.ACTIVE:
        raise ValidationError(_("Only a person living here can join a household."))
    before = audit.snapshot(current, PERSON_FIELDS)
    current.household, current.relation = household, relation
    if household.dwelling_id and current.dwelling_id != household.dwelling_id:
        today = timezone.localdate()
        _close_residencies(current, today)
        current.dwelling_id, current.area_id = household.dwelling_id, household.area_id
        _open_residency(current, today)
    current.version += 1
    current.save()
    if relation == "head":
        hh_before = audit.snapshot(household, HOUSEHOLD_FIELDS)
        household.head = current
        household.version += 1
        household.save()
        _record("update", household, hh_before, audit.snapshot(household, HOUSEHOLD_FIELDS), by)
    _record("update", current, before, audit.snapshot(current, PERSON_FIELDS), by)
    return current


@transaction.atomic
def household_remove_member(*, household: Household, person: Person, by: Any) -> Person:
    _require(by, "people.change", household.area)
    current = Person.objects.select_for_update().select_related("area").get(pk=person.pk)
    if current.household_id != household.pk:
        raise ValidationError(_("This person is not a member of this household."))
    before = audit.snapshot(current, PERSON_FIELDS)
    current.household, current.relation = None, ""
    current.version += 1
    current.save()
    if household.head_id == current.pk:
        hh_before = audit.snapshot(household, HOUSEHOLD_FIELDS)
        household.head = None
        household.version += 1
        household.save()
        _record("update", household, hh_before, audit.snapshot(household, HOUSEHOLD_FIELDS), by)
    _record("update", current, before, audit.snapshot(current, PERSON_FIELDS), by)
    return current


@transaction.atomic
def household_move(*, household: Household, dwelling: Dwelling, by: Any, on: date | None = None) -> Household:
    """The household moves: its members' dwelling and grid follow; residencies are closed and opened."""
    on = on or timezone.localdate()
    current = Household.objects.select_for_update().select_related("area").get(pk=household.pk)
    _require(by, "people.change", current.area)
    _require(by, "people.change", dwelling.area)
    if current.dwelling_id == dwelling.pk:
        raise ValidationError(_("The household already lives at this dwelling."))
    before = audit.snapshot(current, HOUSEHOLD_FIELDS)
    current.dwelling, current.area = dwelling, dwelling.area
    current.version += 1
    current.save()
    _record("update", current, before, audit.snapshot(current, HOUSEHOLD_FIELDS), by)
    for member in Person.objects.select_for_update().filter(household=current, status=PersonStatus.ACTIVE):
        m_before = audit.snapshot(member, PERSON_FIELDS)
        _close_residencies(member, on)
        member.dwelling, member.area = dwelling, dwelling.area
        member.version += 1
        member.save()
        _open_residency(member, on)
        _record("update", member, m_before, audit.snapshot(member, PERSON_FIELDS), by)
    return current


# --- tags ------------------------------------------------------------------------------------------
@transaction.atomic
def tag_save(*, by: Any, tag: Tag | None = None, **fields: Any) -> Tag:
    from civicgrid.people.selectors import can_admin_tags

    if not can_admin_tags(by):
        raise PermissionDenied
    unknown = set(fields) - set(TAG_FIELDS)
    if unknown:
        raise ValueError(f"not settable: {unknown}")
    before = audit.snapshot(tag, TAG_FIELDS) if tag else {}
    tag = tag or Tag()
    for key, value in fields.items():
        setattr(tag, key, value)
    tag.save()
    audit.record(
        action="update" if before else "create",
        object_type="tag",
        object_id=tag.pk,
        object_repr=tag.name,
        changes=audit.diff(before, audit.snapshot(tag, TAG_FIELDS)),
        actor=by,
    )
    return tag


@transaction.atomic
def person_tag_add(
    *, person: Person, tag: Tag, by: Any, grade: str = "", since: date | None = None, note: str = ""
) -> PersonTag:
    _require(by, "people.change", person.area)
    if tag.is_sensitive:
        _require(by, "people.sensitive", person.area)
    if tag.derived_min_age is not None:
        raise ValidationError(
            _("%(tag)s is computed from the date of birth and cannot be set by hand.") % {"tag": tag.name}
        )
    grade = (grade or "").strip()
    if tag.has_grade and not grade:
        raise ValidationError(_("%(tag)s needs a grade (for example 一级 to 四级).") % {"tag": tag.name})
    if PersonTag.objects.filter(person=person, tag=tag).exists():
        raise ValidationError(_("%(name)s already has the tag %(tag)s.") % {"name": person.name, "tag": tag.name})
    pt = PersonTag.objects.create(person=person, tag=tag, grade=grade if tag.has_grade else "", since=since, note=note)
    audit.record(
        action="update",
        object_type="person",
        object_id=person.pk,
        object_repr=_repr(person),
        area_code=person.area.code,
        changes={"tags": [None, {"added": tag.code, "grade": pt.grade}]},
        actor=by,
    )
    return pt


@transaction.atomic
def person_tag_remove(*, person: Person, tag: Tag, by: Any, reason: str = "") -> None:
    """Remove a tag that no longer applies; the audit log keeps what it was and until when."""
    _require(by, "people.change", person.area)
    if tag.is_sensitive:
        _require(by, "people.sensitive", person.area)
    pt = PersonTag.objects.filter(person=person, tag=tag).first()
    if pt is None:
        raise ValidationError(_("%(name)s does not have the tag %(tag)s.") % {"name": person.name, "tag": tag.name})
    audit.record(
        action="update",
        object_type="person",
        object_id=person.pk,
        object_repr=_repr(person),
        area_code=person.area.code,
        changes={
            "tags": [
                {"tag": tag.code, "grade": pt.grade, "since": pt.since, "until": timezone.localdate()},
                None,
            ]
        },
        reason=reason,
        actor=by,
    )
    pt.delete()
