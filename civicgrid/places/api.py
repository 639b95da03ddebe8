"""Places API: dwellings, organizations and facilities, scoped like the pages.

Lists and single records need ``people.view`` in the record's area; a record
outside the caller's areas is 404. Contact phones are only ever masked here.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext
from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError

from civicgrid.core.scoping import user_can
from civicgrid.places import selectors

router = Router(tags=["places"])
MAX_LIMIT = 500


class ErrorOut(Schema):
    detail: str = Field(..., description="中文错误说明")


class LocatedOut(Schema):
    id: int
    grid_code: str = Field(..., description="所属网格代码")
    grid_name: str
    lon: float | None = Field(None, description="经度 WGS84")
    lat: float | None = Field(None, description="纬度 WGS84")
    grid_fixed: bool = Field(..., description="网格是否为人工指定（边界变化时不自动调整）")
    version: int


class DwellingOut(LocatedOut):
    address: str
    street: str
    estate: str
    building_no: str
    unit_no: str
    room_no: str
    use: str = Field(..., description="owner_occupied 自住 / rented 出租 / vacant 空置 / commercial 商用 / other")
    owner_name: str


class OrganizationOut(LocatedOut):
    name: str
    kind: str
    status: str
    credit_code: str = Field(..., description="统一社会信用代码")
    contact_name: str
    contact_phone_masked: str = Field(..., description="联系电话（脱敏）")
    address: str


class FacilityOut(LocatedOut):
    name: str
    kind: str
    code: str
    capacity: int | None
    owner_unit: str
    is_working: bool


class PlaceFilters(Schema):
    grid: str | None = Field(None, description="区域代码前缀（社区或网格）")
    q: str | None = Field(None, description="地址或名称片段")
    use: str | None = Field(None, description="房屋用途（仅房屋）")
    kind: str | None = Field(None, description="类型（组织、设施）")
    status: str | None = Field(None, description="状态（仅组织）")
    limit: int = Field(100, ge=1, le=MAX_LIMIT)
    offset: int = Field(0, ge=0)


class DwellingPage(Schema):
    count: int
    items: list[DwellingOut]


class OrganizationPage(Schema):
    count: int
    items: list[OrganizationOut]


class FacilityPage(Schema):
    count: int
    items: list[FacilityOut]


def _require_view(request: HttpRequest) -> None:
    if not user_can(request.user, "people.view"):
        raise HttpError(403, gettext("You do not have permission to view the registry."))


def _located(obj: Any) -> dict[str, Any]:
    return {
        "id": obj.pk,
        "grid_code": obj.area.code,
        "grid_name": obj.area.name,
        "lon": obj.lon,
        "lat": obj.lat,
        "grid_fixed": obj.grid_fixed,
        "version": obj.version,
    }


def _dwelling(d: Any) -> dict[str, Any]:
    fields = ("address", "street", "estate", "building_no", "unit_no", "room_no", "use", "owner_name")
    return _located(d) | {f: getattr(d, f) for f in fields}


def _organization(o: Any) -> dict[str, Any]:
    fields = ("name", "kind", "status", "credit_code", "contact_name", "contact_phone_masked", "address")
    return _located(o) | {f: getattr(o, f) for f in fields}


def _facility(f: Any) -> dict[str, Any]:
    fields = ("name", "kind", "code", "capacity", "owner_unit", "is_working")
    return _located(f) | {k: getattr(f, k) for k in fields}


def _filters(params: PlaceFilters) -> selectors.PlaceFilters:
    return selectors.PlaceFilters(
        grid=params.grid or "",
        q=(params.q or "").strip(),
        use=params.use or "",
        kind=params.kind or "",
        status=params.status or "",
    )


def _page(qs: Any, params: PlaceFilters, convert: Any) -> dict[str, Any]:
    return {"count": qs.count(), "items": [convert(x) for x in qs[params.offset : params.offset + params.limit]]}


def _not_found() -> HttpError:
    return HttpError(404, gettext("No such record, or it is outside your areas."))


@router.get("/dwellings/", response={200: DwellingPage, 403: ErrorOut}, summary="房屋列表（仅限管辖范围）")
def list_dwellings(request: HttpRequest, params: Query[PlaceFilters]) -> dict[str, Any]:
    _require_view(request)
    qs = selectors.dwellings(request.user, _filters(params))
    return _page(qs, params, _dwelling)


@router.get("/dwellings/{pk}/", response={200: DwellingOut, 404: ErrorOut}, summary="单个房屋；不在管辖范围内返回 404")
def get_dwelling(request: HttpRequest, pk: int) -> dict[str, Any]:
    obj = selectors.dwelling_for(request.user, pk)
    if obj is None:
        raise _not_found()
    return _dwelling(obj)


@router.get("/organizations/", response={200: OrganizationPage, 403: ErrorOut}, summary="组织、单位、场所列表")
def list_organizations(request: HttpRequest, params: Query[PlaceFilters]) -> dict[str, Any]:
    _require_view(request)
    return _page(selectors.organizations(request.user, _filters(params)), params, _organization)


@router.get("/organizations/{pk}/", response={200: OrganizationOut, 404: ErrorOut}, summary="单个组织")
def get_organization(request: HttpRequest, pk: int) -> dict[str, Any]:
    obj = selectors.organization_for(request.user, pk)
    if obj is None:
        raise _not_found()
    return _organization(obj)


@router.get("/facilities/", response={200: FacilityPage, 403: ErrorOut}, summary="部件、设施、应急避难场所列表")
def list_facilities(request: HttpRequest, params: Query[PlaceFilters]) -> dict[str, Any]:
    _require_view(request)
    return _page(selectors.facilities(request.user, _filters(params)), params, _facility)


@router.get("/facilities/{pk}/", response={200: FacilityOut, 404: ErrorOut}, summary="单个设施")
def get_facility(request: HttpRequest, pk: int) -> dict[str, Any]:
    obj = selectors.facility_for(request.user, pk)
    if obj is None:
        raise _not_found()
    return _facility(obj)
