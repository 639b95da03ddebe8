"""Areas API: the tree and one area with its GeoJSON, scoped to the caller."""

from __future__ import annotations

from typing import Any

from django.db.models import Q
from django.db.models.functions import Length
from django.http import HttpRequest
from django.utils.translation import gettext
from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError

from civicgrid.areas import selectors
from civicgrid.areas.models import Area, AreaLevel

router = Router(tags=["areas"])
MAX_LIMIT = 500


class AreaOut(Schema):
    code: str
    name: str
    level: str
    parent_code: str | None = Field(None, description="上级区域代码")
    is_active: bool


class PersonOut(Schema):
    role: str = Field(..., description="角色名称，如 网格员")
    role_code: str = Field(..., description="角色代码，如 grid_worker")
    name: str
    work_phone: str = Field(..., description="工作电话（可为空）")


class AreaDetailOut(AreaOut):
    boundary: dict[str, Any] | None = Field(None, description="GeoJSON geometry, WGS84 lon/lat")
    children: list[str]
    responsible_people: list[PersonOut]


class AreaNode(Schema):
    code: str
    name: str
    level: str
    children: list[AreaNode] = []


class ErrorOut(Schema):
    detail: str = Field(..., description="中文错误说明")


class AreaPage(Schema):
    count: int
    items: list[AreaOut]


class AreaFilters(Schema):
    level: AreaLevel | None = Field(None, description="district / subdistrict / community / grid")
    parent: str | None = Field(None, description="上级区域代码")
    q: str | None = Field(None, description="名称片段或代码前缀")
    limit: int = Field(100, ge=1, le=MAX_LIMIT)
    offset: int = Field(0, ge=0)


def _out(area: Area) -> dict[str, Any]:
    return {
        "code": area.code,
        "name": area.name,
        "level": area.level,
        "parent_code": area.parent.code if area.parent_id else None,
        "is_active": area.is_active,
    }


@router.get(
    "/",
    response=AreaPage,
    summary="区域列表（仅限管辖范围）",
    description="按代码排序的区域（区、街道、社区、网格），只含调用者管辖范围内的区域。"
    "可按层级、上级代码、名称片段或代码前缀过滤；用 limit/offset 分页（limit 最大 500），count 为过滤后的总数。",
)
def list_areas(request: HttpRequest, filters: Query[AreaFilters]) -> dict[str, Any]:
    qs = Area.objects.visible_to(request.user).select_related("parent").order_by("code")
    if filters.level:
        qs = qs.filter(level=filters.level)
    if filters.parent:
        qs = qs.filter(parent__code=filters.parent)
    if filters.q:
        qs = qs.filter(Q(name__icontains=filters.q) | Q(code__startswith=filters.q))
    return {"count": qs.count(), "items": [_out(a) for a in qs[filters.offset : filters.offset + filters.limit]]}


@router.get(
    "/tree",
    response=list[AreaNode],
    summary="区域树（仅限管辖范围）",
    description="从调用者所辖的最高区域开始的嵌套树。depth 为向下展开的层数："
    "0 只返回所辖区域本身，3 从区一直展开到网格。",
)
def area_tree(
    request: HttpRequest, depth: int = Query(2, ge=0, le=3, description="向下展开的层数（0–3）")
) -> list[dict[str, Any]]:
    tops = selectors.top_areas_for(request.user)
    if not tops:
        return []
    extra = 3 * depth  # each level below adds three digits to the code
    deepest = max(len(a.code) for a in tops) + extra
    rows = list(
        Area.objects.visible_to(request.user)
        .annotate(code_length=Length("code"))
        .filter(code_length__lte=deepest)
        .order_by("code")
        .values("id", "code", "name", "level", "parent_id")
    )
    by_parent: dict[int | None, list[dict[str, Any]]] = {}
    for row in rows:
        by_parent.setdefault(row["parent_id"], []).append(row)

    def node(row: dict[str, Any], base_len: int) -> dict[str, Any]:
        children = []
        if len(row["code"]) - base_len < extra:
            children = [node(child, base_len) for child in by_parent.get(row["id"], [])]
        return {"code": row["code"], "name": row["name"], "level": row["level"], "children": children}

    top_ids = {a.pk for a in tops}
    return [node(row, len(row["code"])) for row in rows if row["id"] in top_ids]


@router.get(
    "/{code}",
    summary="单个区域及其边界 GeoJSON",
    description="区域的基本信息、边界（GeoJSON，WGS84/CGCS2000 经纬度，原样返回存储数据）、上级代码、"
    "可见的下级代码和定人定责名单（网格长、网格员、社区民警）。不在管辖范围内的区域返回 404。",
    response={200: AreaDetailOut, 404: ErrorOut},
)
def get_area(request: HttpRequest, code: str) -> dict[str, Any]:
    area = Area.objects.visible_to(request.user).select_related("parent").filter(code=code).first()
    if area is None:
        raise HttpError(404, gettext("No such area, or it is outside your areas."))
    people = selectors.responsibles_of([area]).get(area.pk, [])
    return {
        **_out(area),
        "boundary": area.boundary,
        "children": list(
            Area.objects.visible_to(request.user).filter(parent=area).order_by("code").values_list("code", flat=True)
        ),
        "responsible_people": [
            {"role": p.role.name, "role_code": p.role.code, "name": p.user.full_name, "work_phone": p.user.work_phone}
            for p in people
        ],
    }
