"""People API: search persons (same semantics as the page), one person (masked), households.

Scoped with ``visible_to(user, "people.view")``; out of scope is 404. Sensitive
tags appear only for callers holding people.sensitive in the person's area.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext
from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError

from civicgrid.core.scoping import scope_codes, user_can
from civicgrid.people import selectors, services
from civicgrid.people.models import Person, PersonStatus

router = Router(tags=["people"])
MAX_LIMIT = 200


class TagOut(Schema):
    code: str
    name: str
    grade: str = ""
    derived: bool = False


class PersonOut(Schema):
    id: int
    name: str
    sex: str
    birth_date: date | None
    age: int | None
    id_number_masked: str = Field(description="脱敏身份证号")
    phone_masked: str = Field(description="脱敏手机号")
    residency_kind: str
    status: str
    grid_code: str
    grid_name: str
    address: str
    household_id: int | None
    tags: list[TagOut]


class PersonPage(Schema):
    count: int
    items: list[PersonOut]


class PersonFiltersIn(Schema):
    q: str = Field("", description="姓名、拼音/首字母、身份证号后4–6位或全号、手机号或后4位、地址片段")
    area: str = Field("", description="区域代码前缀")
    tag: str = Field("", description="标签代码")
    residency: str = ""
    status: str = Field(PersonStatus.ACTIVE, description="active / moved_out / deceased / merged / all")
    age: str = Field("", description="0-17 / 18-59 / 60-79 / 80+")
    sex: str = ""
    limit: int = Field(50, ge=1, le=MAX_LIMIT)
    offset: int = Field(0, ge=0)


class MemberOut(Schema):
    id: int
    name: str
    relation: str
    id_number_masked: str
    tags: list[TagOut]


class HouseholdOut(Schema):
    id: int
    number: str
    grid_code: str
    address: str
    head_id: int | None
    members: list[MemberOut]


def _require(request: HttpRequest) -> Any:
    if not user_can(request.user, "people.view"):
        raise HttpError(403, gettext("You do not have permission to view the registry of people."))
    return request.user


def _tags(person: Person) -> list[dict[str, Any]]:
    return [
        {"code": tv.tag.code, "name": tv.tag.name, "grade": tv.grade, "derived": tv.derived}
        for tv in person.tag_views  # type: ignore[attr-defined]
    ]


def _person_out(p: Person) -> dict[str, Any]:
    return {
        "id": p.pk,
        "name": p.name,
        "sex": p.sex,
        "birth_date": p.birth_date,
        "age": p.age,  # type: ignore[attr-defined]
        "id_number_masked": p.id_number_masked,
        "phone_masked": p.phone_masked,
        "residency_kind": p.residency_kind,
        "status": p.status,
        "grid_code": p.area.code,
        "grid_name": p.area.name,
        "address": p.dwelling.address if p.dwelling_id else "",
        "household_id": p.household_id,
        "tags": _tags(p),
    }


@router.get("/persons", response=PersonPage, summary="搜索人员（仅限管辖范围，证件号与手机号脱敏）")
def search_persons(request: HttpRequest, filters: Query[PersonFiltersIn]) -> dict[str, Any]:
    user = _require(request)
    f = selectors.PersonFilters(
        q=filters.q.strip()[:100],
        area=filters.area,
        tag=filters.tag,
        residency=filters.residency,
        status=filters.status,
        age=filters.age,
        sex=filters.sex,
    )
    tags = selectors.all_tags()
    qs = selectors.person_queryset(user, f, tags=tags)
    rows = list(
        selectors.with_list_relations(qs).order_by("name", "pk")[filters.offset : filters.offset + filters.limit]
    )
    selectors.decorate_persons(rows, user=user, tags=tags)
    return {"count": qs.count(), "items": [_person_out(p) for p in rows]}


@router.get("/persons/{person_id}", response=PersonOut, summary="单个人员（脱敏）")
def get_person(request: HttpRequest, person_id: int) -> dict[str, Any]:
    user = _require(request)
    person = selectors.person_for(user, person_id)
    if person is None:
        raise HttpError(404, gettext("No such person, or they are outside your areas."))
    selectors.decorate_persons([person], user=user, tags=selectors.all_tags())
    shown = [tv.tag.code for tv in person.tag_views if tv.tag.is_sensitive]  # type: ignore[attr-defined]
    if shown:
        services.record_sensitive_view(person=person, by=user, tags=shown)
    return _person_out(person)


class HouseholdRow(Schema):
    id: int
    number: str
    grid_code: str
    address: str
    head_name: str
    members: int


class HouseholdPage(Schema):
    count: int
    items: list[HouseholdRow]


@router.get("/households", response=HouseholdPage, summary="户列表（仅限管辖范围）")
def list_households(
    request: HttpRequest,
    q: str = Query("", description="户编号、地址、成员姓名或拼音首字母"),
    area: str = Query("", description="区域代码前缀"),
    limit: int = Query(50, ge=1, le=MAX_LIMIT),
    offset: int = Query(0, ge=0),
) -> dict[str, Any]:
    user = _require(request)
    qs = selectors.household_queryset(user, q.strip()[:100], area)
    return {
        "count": qs.count(),
        "items": [
            {
                "id": h.pk,
                "number": h.number,
                "grid_code": h.area.code,
                "address": h.dwelling.address if h.dwelling_id else "",
                "head_name": h.head.name if h.head_id else "",
                "members": h.n_members,
            }
            for h in qs[offset : offset + limit]
        ],
    }


@router.get("/households/{household_id}", response=HouseholdOut, summary="一户一档（成员脱敏）")
def get_household(request: HttpRequest, household_id: int) -> dict[str, Any]:
    user = _require(request)
    household = selectors.household_for(user, household_id)
    if household is None:
        raise HttpError(404, gettext("No such household, or it is outside your areas."))
    hfile = selectors.household_file(user, household)
    sensitive_codes = scope_codes(user, "people.sensitive")
    for m in hfile.members:
        shown = [tv.tag.code for tv in m.tag_views if tv.tag.is_sensitive]  # type: ignore[attr-defined]
        if shown and sensitive_codes:
            services.record_sensitive_view(person=m, by=user, tags=shown)
    return {
        "id": household.pk,
        "number": household.number,
        "grid_code": household.area.code,
        "address": household.dwelling.address if household.dwelling_id else "",
        "head_id": household.head_id,
        "members": [
            {
                "id": m.pk,
                "name": m.name,
                "relation": m.relation,
                "id_number_masked": m.id_number_masked,
                "tags": _tags(m),
            }
            for m in hfile.members
        ],
    }
