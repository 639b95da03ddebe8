"""12345 hotline exports (Excel) in as resident reports, through the shared
ledger pipeline (core/excel.py): header variants, every row checked, all or
nothing, an error workbook with the reason per row, and idempotent — a work
order already imported (same original number) is left alone."""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from typing import IO, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from civicgrid.cases.models import Case, CaseCategory, CaseSource
from civicgrid.cases.services import grid_at, report_case
from civicgrid.core import audit
from civicgrid.core import excel as xl
from civicgrid.core.scoping import scope_codes

SPEC = xl.LedgerSpec(
    name="hotline",
    columns=(
        xl.Column("external_id", ("工单编号", "工单号", "编号", "受理编号"), required=True, text=True, width=18),
        xl.Column("category", ("诉求类别", "事项分类", "问题分类", "类别", "分类"), required=True),
        xl.Column("title", ("诉求标题", "标题", "问题简述")),
        xl.Column("description", ("诉求内容", "来电内容", "问题描述", "内容"), required=True, width=40),
        xl.Column("address", ("事发地址", "地址", "诉求地址")),
        xl.Column("lon", ("经度", "lng", "lon")),
        xl.Column("lat", ("纬度", "lat")),
        xl.Column("caller", ("来电人", "联系人", "姓名")),
        xl.Column("phone", ("联系电话", "来电号码", "手机号"), text=True),
    ),
)


@dataclass
class HotlineImport:
    rows: list[xl.LedgerRow] = field(default_factory=list)
    created: list[Case] = field(default_factory=list)
    unchanged: int = 0
    problems: list[str] = field(default_factory=list)  # file-level problems
    error_workbook: bytes = b""
    headers: list[str] = field(default_factory=list)

    @property
    def bad_rows(self) -> list[xl.LedgerRow]:
        return [r for r in self.rows if r.errors]


def _categories() -> dict[str, CaseCategory]:
    by_name: dict[str, CaseCategory] = {}
    for category in CaseCategory.objects.filter(is_active=True).select_related("parent"):
        by_name[category.name] = category
        by_name[str(category)] = category
        by_name[category.code] = category
    return by_name


def _coordinate(value: Any) -> float | None:
    text = xl.clean_text(value)
    if not text:
        return None
    return float(text)


def import_hotline(*, source: str | IO[bytes], by: Any) -> HotlineImport:
    """Check every row; write all of them or none; return what happened."""
    result = HotlineImport()
    try:
        sheet = xl.read_sheet(source)
        header = xl.detect_header(sheet, SPEC)
    except xl.LedgerError as err:
        result.problems.append(str(err))
        return result
    result.headers = header.headers
    missing = [c.header for c in SPEC.columns if c.required and c.field not in header.mapping.values()]
    if missing:
        result.problems.append(_("Required columns are missing: %(cols)s.") % {"cols": "、".join(missing)})
        return result
    categories = _categories()
    scope = scope_codes(by, "cases.accept")
    seen: set[str] = set()
    existing = set(Case.objects.filter(source=CaseSource.HOTLINE).values_list("external_id", flat=True))
    for row in xl.iter_rows(sheet, header):
        result.rows.append(row)
        v = row.values
        number = xl.clean_text(v.get("external_id"))
        if not number:
            row.errors.append(_("The work order number is empty."))
        elif number in seen:
            row.errors.append(_("Work order %(id)s appears twice in the file.") % {"id": number})
        seen.add(number)
        category = categories.get(xl.clean_text(v.get("category")))
        if category is None:
            row.errors.append(
                _("Unknown category “%(name)s”: use a category name of the system.")
                % {"name": xl.clean_text(v.get("category"))}
            )
        description = xl.clean_text(v.get("description"))
        if not description:
            row.errors.append(_("The complaint text is empty."))
        grid = None
        try:
            lon, lat = _coordinate(v.get("lon")), _coordinate(v.get("lat"))
        except ValueError:
            lon = lat = None
            row.errors.append(_("Longitude and latitude must be numbers."))
        else:
            if lon is None or lat is None:
                row.errors.append(_("Longitude and latitude are needed to find the grid (addresses are not geocoded)."))
        if lon is not None and lat is not None:
            grid = grid_at(lon, lat)
            if grid is None or not any(grid.code.startswith(c) for c in scope):
                row.errors.append(_("The location is outside your areas."))
        row.data = {
            "external_id": number,
            "category": category,
            "description": description,
            "lon": lon,
            "lat": lat,
            "grid": grid,
            "title": xl.clean_text(v.get("title")) or description[:30],
            "address": xl.clean_text(v.get("address")),
            "caller": xl.clean_text(v.get("caller")),
            "phone": xl.clean_text(v.get("phone")),
            "exists": number in existing,
        }
    if result.bad_rows:
        buffer = io.BytesIO()
        text_columns = [c for c, f in header.mapping.items() if SPEC.column(f).text]
        xl.write_error_workbook(buffer, headers=header.headers, text_columns=text_columns, rows=result.bad_rows)
        result.error_workbook = buffer.getvalue()
        return result
    try:
        with transaction.atomic():
            for row in result.rows:
                d = row.data
                if d["exists"]:
                    result.unchanged += 1
                    continue
                try:
                    result.created.append(
                        report_case(
                            category=d["category"],
                            title=d["title"],
                            description=d["description"],
                            source=CaseSource.HOTLINE,
                            area=d["grid"],
                            lon=d["lon"],
                            lat=d["lat"],
                            address=d["address"],
                            reporter_name=d["caller"],
                            reporter_phone=d["phone"],
                            external_id=d["external_id"],
                        )
                    )
                except ValidationError as err:
                    row.errors.extend(err.messages)
            if result.bad_rows:
                raise _RollBack
            audit.record(
                action="import",
                object_type="hotline",
                object_repr=f"12345 工单 {len(result.created)} 件",
                area_code=min(scope, key=len) if scope else "",
                actor=by,
                changes={"created": len(result.created), "unchanged": result.unchanged},
            )
    except _RollBack:
        result.created = []
        buffer = io.BytesIO()
        text_columns = [c for c, f in header.mapping.items() if SPEC.column(f).text]
        xl.write_error_workbook(buffer, headers=header.headers, text_columns=text_columns, rows=result.bad_rows)
        result.error_workbook = buffer.getvalue()
    return result


class _RollBack(Exception):
    pass
