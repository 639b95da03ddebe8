"""Reads of the people registry: search, lists, the household file, visit status.

Every function takes the user and goes through ``visible_to`` (deny by
default). Sensitive tags are filtered here, in one place, so pages and the
API cannot disagree about who sees them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from django.db.models import (
    Case,
    Count,
    DateTimeField,
    ExpressionWrapper,
    F,
    IntegerField,
    Min,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Least
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from civicgrid.areas.models import Area
from civicgrid.core import personal_data as pd
from civicgrid.core.scoping import scope_codes, user_can
from civicgrid.people import protection
from civicgrid.people.models import Household, Person, PersonStatus, PersonTag, RentalContract, Tag, Visit

NO_INTERVAL = 32767  # "no visit required" inside SQL (LEAST ignores no NULLs on SQLite)

AGE_BANDS = {
    "0-17": (_("0–17"), 0, 17),
    "18-59": (_("18–59"), 18, 59),
    "60-79": (_("60–79"), 60, 79),
    "80+": (_("80 and over"), 80, None),
}

CJK_RE = re.compile(r"[\u3400-\u9fff]")
FULL_ID_RE = re.compile(r"^\d{17}[\dX]$")
MOBILE_RE = re.compile(r"^1[3-9]\d{9}$")
TAIL_RE = re.compile(r"^\d{3,5}[\dX]$")  # last 4–6 characters of an ID number
LETTERS_RE = re.compile(r"^[a-zA-Z]+$")
# Characters that make a Chinese fragment an address rather than a name.
ADDRESS_CHARS = set("路街巷弄号幢栋楼室单元区村苑园里坊府城湾桥小")


# --- dates and ages ------------------------------------------------------------------------
def years_before(day: date, years: int) -> date:
    """The same calendar day ``years`` earlier (29 Feb → 28 Feb)."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)


def age_on(birth: date | None, today: date | None = None) -> int | None:
    if birth is None:
        return None
    today = today or timezone.localdate()
    return today.year - birth.year - ((today.month, today.day) < (birth.month, birth.day))


def age_band_q(band: str, today: date | None = None) -> Q:
    """Persons whose age falls in the band: a range on the indexed birth_date."""
    today = today or timezone.localdate()
    if band not in AGE_BANDS:
        return Q()
    _label, low, high = AGE_BANDS[band]
    q = Q(birth_date__lte=years_before(today, low))
    if high is not None:
        # older than high+1 years minus a day is too old
        q &= Q(birth_date__gt=years_before(today, high + 1))
    return q


# --- tags and sensitivity ----------------------------------------------------------------------
@dataclass
class TagView:
    """What a page shows for one tag of one person."""

    tag: Tag
    grade: str = ""
    derived: bool = False

    @property
    def name(self) -> str:
        return f"{self.tag.name}{'（' + self.grade + '）' if self.grade else ''}"


def all_tags() -> list[Tag]:
    return list(Tag.objects.order_by("sort_order", "code"))


def tag_options(user: Any) -> list[Tag]:
    """Tags offered as filter/choice options: sensitive ones only for people.sensitive holders."""
    show_sensitive = user_can(user, "people.sensitive")
    return [t for t in all_tags() if show_sensitive or not t.is_sensitive]


def can_see_sensitive(user: Any, area_code: str, sensitive_codes: list[str] | None = None) -> bool:
    codes = scope_codes(user, "people.sensitive") if sensitive_codes is None else sensitive_codes
    return any(area_code.startswith(c) for c in codes)


def derived_tags_for(birth: date | None, tags: list[Tag], today: date | None = None) -> list[Tag]:
    """The one highest age tag that applies (a 92-year-old shows 高龄(90+), not 80+ too)."""
    age = age_on(birth, today)
    if age is None:
        return []
    applicable = [t for t in tags if t.derived_min_age is not None and age >= t.derived_min_age]
    return sorted(applicable, key=lambda t: t.derived_min_age or 0)[-1:]


def person_tag_views(
    person: Person, *, user: Any, tags: list[Tag], sensitive_codes: list[str], include_derived: bool = True
) -> list[TagView]:
    """Tags of a person (from a prefetched ``person_tags``) the user may see, plus derived age tags."""
    show_sensitive = can_see_sensitive(user, person.area.code if person.area_id else "", sensitive_codes)
    views = [
        TagView(tag=pt.tag, grade=pt.grade)
        for pt in person.person_tags.all()
        if show_sensitive or not pt.tag.is_sensitive
    ]
    if include_derived:
        views += [TagView(tag=t, derived=True) for t in derived_tags_for(person.birth_date, tags)]
    return views


def has_sensitive_tag(person: Person) -> bool:
    return any(pt.tag.is_sensitive for pt in person.person_tags.all())


def tag_filter_q(tag: Tag, user: Any, today: date | None = None) -> Q:
    """Persons carrying ``tag``: derived tags from the birth date, others from PersonTag."""
    today = today or timezone.localdate()
    if tag.derived_min_age is not None:
        return Q(birth_date__lte=years_before(today, tag.derived_min_age))
    q = Q(pk__in=PersonTag.objects.filter(tag=tag).values("person_id"))
    if tag.is_sensitive:
        # Filtering by a sensitive tag must not reveal it outside the user's sensitive scope.
        q &= _codes_q(scope_codes(user, "people.sensitive"), "area__code")
    return q


# --- search --------------------------------------------------------------------------------------
def token_q(token: str) -> Q:
    """What one typed word means. Each shape maps to an indexed lookup where it can."""
    raw = token.strip()
    text = pd.normalize(raw)
    if not text:
        return Q()
    if FULL_ID_RE.match(text):
        return Q(id_number_hash=protection.id_number_hash(text))
    if MOBILE_RE.match(text):
        return Q(phone_hash=protection.phone_hash(text))
    if TAIL_RE.match(text):
        tail = text[-4:]
        q = Q(id_number_tail=tail)
        # The 5th and 6th characters from the end are the day of birth (GB 11643).
        if len(text) == 6:
            q &= Q(birth_date__day=int(text[:2]))
        elif len(text) == 5:
            q &= Q(birth_date__day__in=[d for d in range(1, 32) if d % 10 == int(text[0])])
        if len(text) == 4 and text.isdigit():
            q |= Q(phone_tail=tail)
        return q
    if LETTERS_RE.match(text):
        # Stored lower-case: a plain prefix LIKE uses the *_like / btree indexes.
        low = text.lower()
        return Q(name_initials__startswith=low) | Q(name_pinyin__startswith=low)
    if CJK_RE.search(raw):
        fragment = raw.replace(" ", "")
        # One condition at a time: an OR across the dwelling join stops PostgreSQL from
        # walking the name index (4 s at a million persons); a name is short and has no 路/号/幢….
        if len(fragment) <= 4 and not (set(fragment) & ADDRESS_CHARS):
            return Q(name__contains=fragment)
        return Q(dwelling__address__icontains=fragment)
    return Q(dwelling__address__icontains=raw)


def search_q(query: str) -> Q:
    q = Q()
    for token in (query or "").split():
        q &= token_q(token)
    return q


# --- person list ----------------------------------------------------------------------------------
@dataclass
class PersonFilters:
    q: str = ""
    area: str = ""
    tag: str = ""
    residency: str = ""
    status: str = PersonStatus.ACTIVE
    age: str = ""
    sex: str = ""

    @classmethod
    def from_params(cls, params: Any) -> PersonFilters:
        status = params.get("status", PersonStatus.ACTIVE)
        return cls(
            q=(params.get("q") or "").strip()[:100],
            area=(params.get("area") or "").strip(),
            tag=(params.get("tag") or "").strip(),
            residency=(params.get("residency") or "").strip(),
            status=status if status is not None else PersonStatus.ACTIVE,
            age=(params.get("age") or "").strip(),
            sex=(params.get("sex") or "").strip(),
        )


def area_options(user: Any, capability: str = "people.view") -> list[Area]:
    """Areas the user may pick in a filter: their scope down to grids."""
    return list(
        Area.objects.visible_to(user, capability).filter(is_active=True).order_by("code").only("code", "name", "level")
    )


def person_queryset(user: Any, filters: PersonFilters, *, tags: list[Tag] | None = None) -> QuerySet[Person]:
    qs = Person.objects.visible_to(user, "people.view")
    if filters.q:
        qs = qs.filter(search_q(filters.q))
    if filters.area:
        qs = qs.filter(area__code__startswith=filters.area)
    if filters.tag:
        tags = tags if tags is not None else all_tags()
        tag = next((t for t in tags if t.code == filters.tag), None)
        if tag is None or (tag.is_sensitive and not user_can(user, "people.sensitive")):
            return qs.none()
        qs = qs.filter(tag_filter_q(tag, user))
    if filters.residency:
        qs = qs.filter(residency_kind=filters.residency)
    if filters.status and filters.status != "all":
        qs = qs.filter(status=filters.status)
    if filters.age:
        qs = qs.filter(age_band_q(filters.age))
    if filters.sex:
        qs = qs.filter(sex=filters.sex)
    return qs


def with_list_relations(qs: QuerySet[Person]) -> QuerySet[Person]:
    return qs.select_related("area", "dwelling", "household").prefetch_related(
        Prefetch("person_tags", queryset=PersonTag.objects.select_related("tag").order_by("tag__sort_order"))
    )


def decorate_persons(persons: list[Person], *, user: Any, tags: list[Tag]) -> list[Person]:
    """Attach ``tag_views`` and ``age`` (no queries: relations are prefetched)."""
    sensitive_codes = scope_codes(user, "people.sensitive")
    today = timezone.localdate()
    for p in persons:
        p.tag_views = person_tag_views(p, user=user, tags=tags, sensitive_codes=sensitive_codes)  # type: ignore[attr-defined]
        p.age = age_on(p.birth_date, today)  # type: ignore[attr-defined]
    return persons


def _codes_q(codes: list[str], field: str) -> Q:
    q = Q(pk__in=[])
    for code in codes:
        q |= Q(**{f"{field}__startswith": code})
    return q


# --- visits ----------------------------------------------------------------------------------------
def _derived_interval_case(tags: list[Tag], today: date) -> Case | Value:
    """The visit interval a person gets from their age (高龄 90+ every 30 days…)."""
    derived = sorted(
        (t for t in tags if t.derived_min_age is not None and t.visit_interval_days),
        key=lambda t: t.derived_min_age or 0,
        reverse=True,
    )
    if not derived:
        return Value(NO_INTERVAL)
    whens = []
    for t in derived:
        # everyone at least this old also gets every younger band's interval: take the smallest
        interval = min(d.visit_interval_days for d in derived if (d.derived_min_age or 0) <= (t.derived_min_age or 0))
        whens.append(When(birth_date__lte=years_before(today, t.derived_min_age or 0), then=Value(interval)))
    return Case(*whens, default=Value(NO_INTERVAL), output_field=IntegerField())


def with_visit_status(qs: QuerySet[Person], *, user: Any, tags: list[Tag] | None = None) -> QuerySet[Person]:
    """Annotate ``last_visit``, ``visit_interval`` (days; NO_INTERVAL if none) and ``visit_due``.

    A visit to the person's household counts for the person too. A sensitive
    tag's visit duty counts only where the user may see that tag, so the
    "overdue" badge cannot give a hidden tag away.
    """
    tags = tags if tags is not None else all_tags()
    today = timezone.localdate()
    last_visit = Visit.objects.filter(
        Q(person=OuterRef("pk")) | Q(household_id=OuterRef("household_id"), person__isnull=True)
    ).order_by("-visited_at")
    explicit = (
        PersonTag.objects.filter(person=OuterRef("pk"), tag__visit_interval_days__isnull=False)
        .filter(Q(until__isnull=True) | Q(until__gte=today))
        .filter(Q(tag__is_sensitive=False) | _codes_q(scope_codes(user, "people.sensitive"), "person__area__code"))
        .values("person")
        .annotate(m=Min("tag__visit_interval_days"))
        .values("m")
    )
    qs = qs.annotate(
        last_visit=Subquery(last_visit.values("visited_at")[:1]),
        visit_interval=Least(
            Coalesce(Subquery(explicit, output_field=IntegerField()), Value(NO_INTERVAL)),
            _derived_interval_case(tags, today),
        ),
    )
    intervals = sorted({t.visit_interval_days for t in tags if t.visit_interval_days})
    if intervals:
        epoch = datetime(1970, 1, 1, tzinfo=timezone.get_current_timezone())
        due = Case(
            *[
                When(
                    visit_interval=i,
                    then=ExpressionWrapper(
                        Coalesce(F("last_visit"), Value(epoch)) + timedelta(days=i), output_field=DateTimeField()
                    ),
                )
                for i in intervals
            ],
            default=Value(None),
            output_field=DateTimeField(),
        )
        qs = qs.annotate(visit_due=due)
    else:
        qs = qs.annotate(visit_due=Value(None, output_field=DateTimeField()))
    return qs


def overdue_q(tags: list[Tag] | None = None, now: datetime | None = None) -> Q:
    """On a ``with_visit_status`` queryset: persons whose next visit is past due."""
    tags = tags if tags is not None else all_tags()
    now = now or timezone.now()
    q = Q(pk__in=[])
    for i in sorted({t.visit_interval_days for t in tags if t.visit_interval_days}):
        q |= Q(visit_interval=i) & (Q(last_visit__isnull=True) | Q(last_visit__lt=now - timedelta(days=i)))
    return q


@dataclass
class VisitStatus:
    interval: int | None
    last_visit: datetime | None
    due: datetime | None
    overdue: bool
    overdue_days: int = 0


def visit_status_of(person: Person, now: datetime | None = None) -> VisitStatus:
    """From the annotations of ``with_visit_status``."""
    now = now or timezone.now()
    interval = getattr(person, "visit_interval", NO_INTERVAL)
    last = getattr(person, "last_visit", None)
    if interval is None or interval >= NO_INTERVAL:
        return VisitStatus(interval=None, last_visit=last, due=None, overdue=False)
    due = last + timedelta(days=interval) if last else None
    overdue = due is None or due < now
    days = (now - due).days if due and overdue else 0
    return VisitStatus(interval=interval, last_visit=last, due=due, overdue=overdue, overdue_days=days)


def visits_due(user: Any, *, area: str = "", tags: list[Tag] | None = None) -> QuerySet[Person]:
    """待走访: active persons in scope whose visit is overdue, most overdue (never visited) first."""
    tags = tags if tags is not None else all_tags()
    qs = Person.objects.visible_to(user, "people.view").filter(status=PersonStatus.ACTIVE)
    if area:
        qs = qs.filter(area__code__startswith=area)
    return (
        with_visit_status(qs, user=user, tags=tags)
        .filter(overdue_q(tags))
        .order_by(F("visit_due").asc(nulls_first=True), "name", "pk")
    )


# --- one person, one household ----------------------------------------------------------------------
def person_for(user: Any, pk: int, capability: str = "people.view") -> Person | None:
    return (
        with_visit_status(Person.objects.visible_to(user, capability).filter(pk=pk), user=user)
        .select_related("area", "area__parent", "dwelling", "household", "household__dwelling", "merged_into")
        .prefetch_related(
            Prefetch("person_tags", queryset=PersonTag.objects.select_related("tag").order_by("tag__sort_order"))
        )
        .first()
    )


def person_visits(person: Person, limit: int = 20) -> list[Visit]:
    q = Q(person=person)
    if person.household_id:
        q |= Q(household_id=person.household_id, person__isnull=True)
    return list(Visit.objects.filter(q).select_related("visitor").order_by("-visited_at")[:limit])


def person_rentals(person: Person) -> list[RentalContract]:
    return list(
        RentalContract.objects.filter(Q(tenants=person) | Q(landlord=person))
        .select_related("dwelling")
        .distinct()
        .order_by("-starts_on")
    )


def household_queryset(user: Any, query: str = "", area: str = "") -> QuerySet[Household]:
    qs = Household.objects.visible_to(user, "people.view").filter(is_active=True)
    if area:
        qs = qs.filter(area__code__startswith=area)
    for token in (query or "").split():
        qs = qs.filter(
            Q(number__startswith=token)
            | Q(dwelling__address__icontains=token)
            | Q(head__name__contains=token)
            | Q(
                pk__in=Person.objects.filter(token_q(token), household__isnull=False)
                .exclude(status=PersonStatus.MERGED)
                .values("household_id")
            )
        )
    return (
        qs.select_related("area", "dwelling", "head")
        .annotate(n_members=Count("members", filter=Q(members__status=PersonStatus.ACTIVE)))
        .order_by("area__code", "number", "pk")
    )


@dataclass
class HouseholdFile:
    household: Household
    members: list[Person]
    former_members: list[Person]
    tag_summary: list[tuple[str, int]]
    visits: list[Visit]
    overdue: list[tuple[Person, VisitStatus]]
    rentals: list[RentalContract]
    sensitive_shown: bool = False
    statuses: dict[int, VisitStatus] = field(default_factory=dict)


def household_for(user: Any, pk: int, capability: str = "people.view") -> Household | None:
    return (
        Household.objects.visible_to(user, capability)
        .select_related("area", "area__parent", "dwelling", "head")
        .filter(pk=pk)
        .first()
    )


def household_file(user: Any, household: Household) -> HouseholdFile:
    tags = all_tags()
    members = list(
        with_list_relations(
            with_visit_status(Person.objects.filter(household=household), user=user, tags=tags)
        ).order_by("status", "birth_date", "pk")
    )
    decorate_persons(members, user=user, tags=tags)
    active = [m for m in members if m.status == PersonStatus.ACTIVE]
    former = [m for m in members if m.status != PersonStatus.ACTIVE]
    active.sort(key=lambda m: (m.pk != household.head_id, m.birth_date or date.max))
    summary: dict[str, int] = {}
    for m in active:
        for tv in m.tag_views:  # type: ignore[attr-defined]
            summary[tv.tag.name] = summary.get(tv.tag.name, 0) + 1
    statuses = {m.pk: visit_status_of(m) for m in active}
    for m in active:
        m.visit_status = statuses[m.pk]  # type: ignore[attr-defined]
    visits = list(
        Visit.objects.filter(Q(household=household) | Q(person__in=[m.pk for m in members]))
        .select_related("visitor", "person")
        .order_by("-visited_at")[:30]
    )
    rentals: list[RentalContract] = []
    if household.dwelling_id:
        rentals = list(
            RentalContract.objects.filter(dwelling_id=household.dwelling_id)
            .prefetch_related("tenants")
            .order_by("-starts_on")
        )
    return HouseholdFile(
        household=household,
        members=active,
        former_members=former,
        tag_summary=sorted(summary.items()),
        visits=visits,
        overdue=[(m, s) for m in active if (s := statuses[m.pk]).overdue],
        rentals=rentals,
        sensitive_shown=any(any(tv.tag.is_sensitive for tv in m.tag_views) for m in active),  # type: ignore[attr-defined]
        statuses=statuses,
    )


def possible_duplicates(*, name: str, birth_date: date | None, address: str, exclude_pk: int | None = None) -> Any:
    """Same name + birth date + address: probably the same person entered twice."""
    if not (name and birth_date and address):
        return Person.objects.none()
    qs = Person.objects.filter(name=name, birth_date=birth_date, dwelling__address=address).exclude(
        status=PersonStatus.MERGED
    )
    if exclude_pk:
        qs = qs.exclude(pk=exclude_pk)
    return qs


def can_admin_tags(user: Any) -> bool:
    """Tags are district-wide: editing them needs people.change at district level (or above)."""
    return any(len(code) <= 6 for code in scope_codes(user, "people.change"))
