"""Excel out for the people registry: the filtered person list (streamed,
masked by default, audited) and the import template. Headers are the ones
the importer reads, so an export with clear values can be imported back."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.utils import timezone

from civicgrid.areas.models import Area, AreaLevel
from civicgrid.core import audit
from civicgrid.core import excel as xl
from civicgrid.core.scoping import code_q, scope_codes
from civicgrid.people import importers, protection, selectors
from civicgrid.people.models import Relation, ResidencyKind

SEX_TEXT = {"male": "男", "female": "女"}
RELATION_TEXT = {
    Relation.HEAD: "户主",
    Relation.SPOUSE: "配偶",
    Relation.CHILD: "子女",
    Relation.PARENT: "父母",
    Relation.GRANDPARENT: "祖父母",
    Relation.GRANDCHILD: "孙子女",
    Relation.SIBLING: "兄弟姐妹",
    Relation.CHILD_IN_LAW: "子女配偶",
    Relation.OTHER: "其他亲属",
    Relation.NON_RELATIVE: "非亲属",
}
RESIDENCY_TEXT = {
    ResidencyKind.REGISTERED: "户籍",
    ResidencyKind.RESIDENT: "常住",
    ResidencyKind.FLOATING: "流动",
    ResidencyKind.TENANT: "租住",
    ResidencyKind.REGISTERED_ABSENT: "户在人不在",
    ResidencyKind.PRESENT_UNREGISTERED: "人户分离",
}

EXPORT_COLUMNS = [
    xl.ExportColumn("姓名", 10),
    xl.ExportColumn("性别", 6),
    xl.ExportColumn("身份证号", 22, text=True),
    xl.ExportColumn("出生日期", 12),
    xl.ExportColumn("年龄", 6),
    xl.ExportColumn("民族", 8),
    xl.ExportColumn("联系电话", 14, text=True),
    xl.ExportColumn("与户主关系", 10),
    xl.ExportColumn("户号", 12, text=True),
    xl.ExportColumn("居住地址", 32),
    xl.ExportColumn("人员类型", 10),
    xl.ExportColumn("网格编码", 18, text=True),
    xl.ExportColumn("网格名称", 20),
    xl.ExportColumn("标签", 20),
    xl.ExportColumn("状态", 8),
    xl.ExportColumn("备注", 24),
]


def _scope_area_code(user: Any, filters: selectors.PersonFilters) -> str:
    if filters.area:
        return filters.area
    codes = scope_codes(user, "people.export")
    return codes[0] if len(codes) == 1 else ""


def person_export(
    *, user: Any, filters: selectors.PersonFilters, clear: bool = False, reason: str = ""
) -> tuple[Iterator[bytes], str]:
    """The chunks of the workbook and its file name; the export is audited before streaming.

    ``clear``: clear ID/phone numbers for persons in areas where the user holds
    ``personal.unmask`` (the caller checks the capability and asks a reason).
    Sensitive tags appear only where the user holds ``people.sensitive``.
    """
    tags = selectors.all_tags()
    qs = selectors.person_queryset(user, filters, tags=tags).filter(
        code_q(scope_codes(user, "people.export"), "area__code")
    )
    count = qs.count()
    audit.record(
        action="export",
        object_type="person",
        object_repr=f"person list ({count})",
        area_code=_scope_area_code(user, filters),
        changes={
            "rows": count,
            "filters": {k: v for k, v in vars(filters).items() if v},
            "clear_values": clear,
        },
        reason=reason,
        actor=user,
    )
    unmask_codes = scope_codes(user, "personal.unmask") if clear else []
    sensitive_codes = scope_codes(user, "people.sensitive")
    today = timezone.localdate()
    rows_qs = selectors.with_list_relations(qs).order_by("area__code", "name", "pk")

    def rows() -> Iterator[list[Any]]:
        for p in rows_qs.iterator(chunk_size=2000):
            reveal = any(p.area.code.startswith(c) for c in unmask_codes)
            views = selectors.person_tag_views(p, user=user, tags=tags, sensitive_codes=sensitive_codes)
            yield [
                p.name,
                SEX_TEXT.get(p.sex, ""),
                protection.reveal_id_number(p) if reveal else p.id_number_masked,
                p.birth_date,
                selectors.age_on(p.birth_date, today),
                p.ethnicity,
                protection.reveal_phone(p) if reveal else p.phone_masked,
                RELATION_TEXT.get(p.relation, ""),
                p.household.number if p.household else "",
                p.dwelling.address if p.dwelling else "",
                RESIDENCY_TEXT.get(p.residency_kind, p.residency_kind),
                p.area.code,
                p.area.name,
                ",".join(v.name for v in views if not v.derived),
                p.get_status_display(),
                p.note,
            ]

    filename = f"实有人口-{timezone.localtime():%Y%m%d-%H%M}.xlsx"
    return xl.stream_xlsx(rows(), EXPORT_COLUMNS, sheet_name="实有人口"), filename


def person_template(user: Any) -> bytes:
    """The import template: expected headers, ID/phone as text, an example row, a 说明 sheet."""
    spec = importers.PERSON_LEDGER
    columns = [
        xl.ExportColumn(spec.column(f).header, spec.column(f).width, spec.column(f).text)
        for f in importers.TEMPLATE_FIELDS
    ]
    grids = list(
        Area.objects.filter(code_q(scope_codes(user, "people.import"), "code"), level=AreaLevel.GRID, is_active=True)
        .order_by("code")
        .only("code", "name")
    )
    example_grid = grids[0].code if grids else ""
    example = {
        "name": "张三",
        "sex": "男",
        "id_number": "320508199003071234",
        "birth_date": "1990-03-07",
        "ethnicity": "汉族",
        "phone": "13812345678",
        "relation": "户主",
        "household_number": "0001",
        "address": "平江路1号3幢2单元201室",
        "residency_kind": "户籍",
        "grid": example_grid,
        "tags": "低保,独居老人",
        "note": "示例行，导入前请删除",
    }
    show_sensitive = bool(scope_codes(user, "people.sensitive"))
    tag_names = [
        t.name for t in selectors.all_tags() if t.derived_min_age is None and (show_sensitive or not t.is_sensitive)
    ]
    notes = [
        ("填写说明", "第一行为表头，请勿修改；身份证号、联系电话列为文本格式，请勿改成数字（否则末尾数字会丢失）。"),
        ("必填", "姓名、人员类型；有网格多于一个时须填网格编码或网格名称。"),
        ("人员类型", "、".join(RESIDENCY_TEXT.values())),
        ("与户主关系", "、".join(RELATION_TEXT.values())),
        ("标签", "、".join(tag_names) + "（多个标签用逗号分隔；高龄按出生日期自动计算，无需填写）"),
        ("日期格式", "1990-03-07、1990/3/7、1990.3.7、19900307、1990年3月7日 均可"),
        *((g.code, g.name) for g in grids[:500]),
    ]
    return xl.workbook_bytes(
        columns, [[example[f] for f in importers.TEMPLATE_FIELDS]], sheet_name="实有人口", notes=notes
    )
