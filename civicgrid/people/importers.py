"""The person ledger (实有人口台账) import, on the core.excel pipeline.

Steps: ``import_context`` (the importer's grids and tags) → ``clean_person_row``
per row (Chinese reasons) → ``mark_file_duplicates`` → ``plan_person_import``
(read-only: match each row to an existing person by ID-number hash, else by
name + birth date + address; decide create / update / unchanged / review) →
``write_person_import`` (one transaction, bulk operations, one summary audit
event, per-person changes on the job). If any row has an error nothing is
written and the job gets an error workbook instead.

Blank cells keep what the registry already has (ledgers are often partial);
tags in the file are added, never removed. Derived fields (pinyin, masked and
encrypted ID/phone, blind indexes) come from people.protection.
"""

from __future__ import annotations

import io
import logging
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from typing import Any

from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_tasks import task

from civicgrid.areas.models import Area, AreaLevel
from civicgrid.core import audit
from civicgrid.core import excel as xl
from civicgrid.core import personal_data as pd
from civicgrid.core.scoping import code_q, scope_codes
from civicgrid.imports.models import ImportChange, ImportJob, ImportStatus
from civicgrid.people import protection
from civicgrid.people.models import (
    Household,
    Person,
    PersonStatus,
    PersonTag,
    Relation,
    Residency,
    ResidencyKind,
    Sex,
    Tag,
)
from civicgrid.places.models import Dwelling, compose_address

logger = logging.getLogger(__name__)

KIND = "people.person"
BATCH = 1000
PROGRESS_EVERY = 2000
PREVIEW_ROWS = 10
PREVIEW_CHECK_LIMIT = 5000

# Header variants as found in community ledgers; the first is what the template writes.
PERSON_LEDGER = xl.LedgerSpec(
    KIND,
    (
        xl.Column("name", ("姓名", "名字", "居民姓名"), required=True, width=10),
        xl.Column("sex", ("性别",), width=6),
        xl.Column("id_number", ("身份证号", "公民身份号码", "身份证号码", "证件号码", "身份证"), text=True, width=22),
        xl.Column("birth_date", ("出生日期", "出生年月", "出生年月日", "生日"), width=12),
        xl.Column("ethnicity", ("民族",), width=8),
        xl.Column("phone", ("联系电话", "手机号", "手机", "手机号码", "电话", "联系方式"), text=True, width=14),
        xl.Column("relation", ("与户主关系", "与户主的关系", "家庭关系", "关系"), width=10),
        xl.Column("household_number", ("户号", "户编号"), text=True, width=12),
        xl.Column("address", ("居住地址", "现住址", "住址", "地址", "现居住地址", "家庭住址"), width=30),
        xl.Column("street", ("街巷", "街路巷", "道路"), width=12),
        xl.Column("estate", ("小区", "小区名称"), width=12),
        xl.Column("building_no", ("楼栋", "楼栋号", "幢", "楼号"), text=True, width=8),
        xl.Column("unit_no", ("单元", "单元号"), text=True, width=6),
        xl.Column("room_no", ("户室", "室", "房号", "室号", "门牌号"), text=True, width=8),
        xl.Column("residency_kind", ("人员类型", "人口类型", "居住类型", "人员类别"), required=True, width=10),
        xl.Column("grid", ("网格编码", "网格", "所属网格", "网格名称"), text=True, width=18),
        xl.Column("tags", ("标签", "人员标签", "重点人群", "特殊人群类别"), width=16),
        xl.Column("registered_address", ("户籍地址", "户籍地"), width=24),
        xl.Column("workplace", ("工作单位", "工作单位或学校", "服务处所"), width=16),
        xl.Column("note", ("备注",), width=20),
    ),
)
TEMPLATE_FIELDS = [
    "name",
    "sex",
    "id_number",
    "birth_date",
    "ethnicity",
    "phone",
    "relation",
    "household_number",
    "address",
    "residency_kind",
    "grid",
    "tags",
    "note",
]

FIELD_LABELS = {
    "name": gettext_lazy("Name"),
    "sex": gettext_lazy("Sex"),
    "id_number": gettext_lazy("ID number"),
    "birth_date": gettext_lazy("Date of birth"),
    "ethnicity": gettext_lazy("Ethnic group"),
    "phone": gettext_lazy("Mobile phone"),
    "relation": gettext_lazy("Relation to head of household"),
    "household_number": gettext_lazy("Household number"),
    "address": gettext_lazy("Address (one line)"),
    "street": gettext_lazy("Street or lane"),
    "estate": gettext_lazy("Residential estate"),
    "building_no": gettext_lazy("Building"),
    "unit_no": gettext_lazy("Unit"),
    "room_no": gettext_lazy("Room"),
    "residency_kind": gettext_lazy("Residency"),
    "grid": gettext_lazy("Grid"),
    "tags": gettext_lazy("Tags"),
    "registered_address": gettext_lazy("Registered address (户籍地)"),
    "workplace": gettext_lazy("Workplace or school"),
    "note": gettext_lazy("Note"),
}

RESIDENCY_VALUES = {
    "户籍": ResidencyKind.REGISTERED,
    "户籍人口": ResidencyKind.REGISTERED,
    "常住": ResidencyKind.RESIDENT,
    "常住人口": ResidencyKind.RESIDENT,
    "流动": ResidencyKind.FLOATING,
    "流动人口": ResidencyKind.FLOATING,
    "租住": ResidencyKind.TENANT,
    "租户": ResidencyKind.TENANT,
    "租住人口": ResidencyKind.TENANT,
    "户在人不在": ResidencyKind.REGISTERED_ABSENT,
    "人户分离": ResidencyKind.PRESENT_UNREGISTERED,
    "人在户不在": ResidencyKind.PRESENT_UNREGISTERED,
    **{k.value: k.value for k in ResidencyKind},
}
RELATION_VALUES = {
    **dict.fromkeys(["户主", "本人"], Relation.HEAD),
    **dict.fromkeys(["配偶", "妻", "妻子", "夫", "丈夫"], Relation.SPOUSE),
    **dict.fromkeys(
        ["子", "女", "子女", "儿子", "女儿", "长子", "次子", "长女", "次女", "养子", "养女"], Relation.CHILD
    ),
    **dict.fromkeys(["父母", "父亲", "母亲", "父", "母", "公公", "婆婆", "岳父", "岳母"], Relation.PARENT),
    **dict.fromkeys(
        ["祖父母", "祖父", "祖母", "外祖父", "外祖母", "爷爷", "奶奶", "外公", "外婆"], Relation.GRANDPARENT
    ),
    **dict.fromkeys(["孙子", "孙女", "外孙", "外孙女", "孙子女"], Relation.GRANDCHILD),
    **dict.fromkeys(["兄弟姐妹", "兄", "弟", "姐", "妹", "哥哥", "弟弟", "姐姐", "妹妹"], Relation.SIBLING),
    **dict.fromkeys(["儿媳", "女婿", "媳妇", "子女配偶"], Relation.CHILD_IN_LAW),
    **dict.fromkeys(["其他", "其他亲属", "亲属"], Relation.OTHER),
    **dict.fromkeys(["非亲属", "租客", "保姆", "借住"], Relation.NON_RELATIVE),
    **{k.value: k.value for k in Relation},
}
MAX_LENGTHS = {"name": 50, "ethnicity": 20, "note": 500, "registered_address": 300, "workplace": 200, "address": 300}


# --- context: what the importer may write --------------------------------------------------------
@dataclass
class ImportContext:
    user: Any
    import_codes: list[str]
    grids_by_code: dict[str, Area]
    grids_by_name: dict[str, list[Area]]
    tags_by_key: dict[str, Tag]
    sensitive_codes: list[str]
    today: date = field(default_factory=timezone.localdate)

    @property
    def default_grid(self) -> Area | None:
        grids = list(self.grids_by_code.values())
        return grids[0] if len(grids) == 1 else None

    def in_scope(self, area_code: str) -> bool:
        return any(area_code.startswith(c) for c in self.import_codes)


def import_context(user: Any) -> ImportContext:
    codes = scope_codes(user, "people.import")
    grids = list(
        Area.objects.filter(code_q(codes, "code"), level=AreaLevel.GRID, is_active=True).only("id", "code", "name")
    )
    by_name: dict[str, list[Area]] = defaultdict(list)
    for g in grids:
        by_name[xl.half_width(g.name).replace(" ", "")].append(g)
    tags: dict[str, Tag] = {}
    for t in Tag.objects.all():
        tags[xl.half_width(t.name)] = t
        tags[t.code.lower()] = t
    return ImportContext(
        user=user,
        import_codes=codes,
        grids_by_code={g.code: g for g in grids},
        grids_by_name=dict(by_name),
        tags_by_key=tags,
        sensitive_codes=scope_codes(user, "people.sensitive"),
    )


def import_scope_code(user: Any) -> str:
    """The common prefix of the user's import scope: who else may see their jobs."""
    codes = scope_codes(user, "people.import")
    if not codes:
        return ""
    prefix = codes[0]
    for code in codes[1:]:
        while not code.startswith(prefix):
            prefix = prefix[:-3] if len(prefix) > 6 else prefix[:-2]
    return prefix


# --- one row ----------------------------------------------------------------------------------------
@lru_cache(maxsize=200_000)
def _name_fields(name: str) -> tuple[tuple[str, Any], ...]:
    return tuple(protection.name_fields(name).items())


def _text(row: xl.LedgerRow, name: str) -> str:
    value = xl.clean_text(row.values.get(name))
    limit = MAX_LENGTHS.get(name)
    if limit and len(value) > limit:
        row.errors.append(
            _("“%(field)s” is too long: at most %(n)d characters.") % {"field": FIELD_LABELS[name], "n": limit}
        )
    return value


def _message(exc: ValidationError) -> str:
    return " ".join(str(m) for m in exc.messages)


def clean_person_row(row: xl.LedgerRow, ctx: ImportContext) -> None:
    """Fill ``row.data`` with cleaned values and ``row.errors`` with Chinese reasons."""
    d = row.data
    errors = row.errors
    d["name"] = _text(row, "name").replace(" ", "")
    if not d["name"]:
        errors.append(_("The name is missing."))

    # ID number: a numeric cell has already lost digits in Excel.
    raw_id = row.values.get("id_number")
    d["id_number"] = ""
    id_birth: date | None = None
    id_sex = ""
    if xl.is_number_cell(raw_id):
        errors.append(
            _(
                "The ID number cell is stored as a number, so Excel has already lost its last digits. "
                "Format the column as text and type the ID number again."
            )
        )
    elif not xl.is_empty(raw_id):
        try:
            parsed = pd.parse_id_number(xl.clean_text(raw_id))
            d["id_number"], id_birth, id_sex = parsed.number, parsed.birth_date, parsed.sex
        except ValidationError as exc:
            errors.append(_("ID number: %(reason)s") % {"reason": _message(exc)})

    try:
        d["sex"] = xl.clean_sex(row.values.get("sex"))
    except xl.CellError as exc:
        errors.append(str(exc))
        d["sex"] = ""
    if id_sex:
        if d["sex"] and d["sex"] != id_sex:
            errors.append(
                _("Sex “%(sex)s” does not match the ID number, which belongs to a %(id_sex)s.")
                % {"sex": xl.clean_text(row.values.get("sex")), "id_sex": Sex(id_sex).label}
            )
        d["sex"] = id_sex

    try:
        parsed_date = xl.parse_date_cell(row.values.get("birth_date"))
    except xl.CellError as exc:
        errors.append(_("Date of birth: %(reason)s") % {"reason": str(exc)})
        parsed_date = None
    d["birth_date"] = parsed_date[0] if parsed_date else None
    if id_birth:
        if parsed_date:
            given, exact = parsed_date
            same = given == id_birth if exact else (given.year, given.month) == (id_birth.year, id_birth.month)
            if not same:
                errors.append(
                    _("The date of birth %(given)s does not match the ID number (%(id_date)s).")
                    % {"given": xl.clean_text(row.values.get("birth_date")), "id_date": id_birth.isoformat()}
                )
        d["birth_date"] = id_birth
    elif d["birth_date"] and d["birth_date"] > ctx.today:
        errors.append(_("The date of birth is in the future."))

    raw_phone = row.values.get("phone")
    d["phone"] = ""
    if not xl.is_empty(raw_phone):
        try:
            d["phone"] = pd.parse_mobile(xl.clean_text(raw_phone))
        except ValidationError as exc:
            errors.append(_("Phone: %(reason)s") % {"reason": _message(exc)})

    ethnicity = _text(row, "ethnicity")
    if ethnicity and not ethnicity.endswith("族") and len(ethnicity) <= 3:
        ethnicity += "族"  # 汉 → 汉族
    d["ethnicity"] = ethnicity

    relation = _text(row, "relation")
    d["relation"] = ""
    if relation:
        d["relation"] = RELATION_VALUES.get(relation, "")
        if not d["relation"]:
            errors.append(
                _(
                    "Relation to the head of household “%(value)s” is not understood: "
                    "write e.g. 户主, 配偶, 子女, 父母, 其他."
                )
                % {"value": relation}
            )

    residency = _text(row, "residency_kind")
    d["residency_kind"] = RESIDENCY_VALUES.get(residency, "")
    if not residency:
        errors.append(_("The residency kind (人员类型) is missing: write 户籍, 常住, 流动, 租住 or 人户分离."))
    elif not d["residency_kind"]:
        errors.append(
            _("Residency kind “%(value)s” is not understood: write 户籍, 常住, 流动, 租住, 人户分离 or 户在人不在.")
            % {"value": residency}
        )

    d["grid"] = _clean_grid(row, ctx)

    parts = {k: _text(row, k) for k in ("street", "estate", "building_no", "unit_no", "room_no")}
    address = _text(row, "address").replace(" ", "")
    if not address and any(parts.values()):
        address = compose_address(**parts)
    d["address"] = address
    d["address_parts"] = parts

    d["household_number"] = _text(row, "household_number")[:30]
    if d["household_number"] and d["grid"] is None and not errors:
        errors.append(_("A household number needs a grid."))

    d["tags"] = _clean_tags(row, ctx, d["grid"])
    for name in ("note", "registered_address", "workplace"):
        d[name] = _text(row, name)


def _clean_grid(row: xl.LedgerRow, ctx: ImportContext) -> Area | None:
    value = xl.clean_text(row.values.get("grid")).replace(" ", "")
    if not value:
        if ctx.default_grid is not None:
            return ctx.default_grid
        row.errors.append(_("The grid is missing: write the code or the name of the grid this person lives in."))
        return None
    if value in ctx.grids_by_code:
        return ctx.grids_by_code[value]
    named = ctx.grids_by_name.get(value, [])
    if len(named) == 1:
        return named[0]
    if len(named) > 1:
        row.errors.append(
            _("Grid name “%(value)s” matches several grids: write the grid code instead.") % {"value": value}
        )
        return None
    # Same message whether the grid exists elsewhere or not at all: no leak of other areas.
    row.errors.append(
        _("Grid “%(value)s” is not one of the grids you may import into: write the code or name of one of your grids.")
        % {"value": value}
    )
    return None


def _clean_tags(row: xl.LedgerRow, ctx: ImportContext, grid: Area | None) -> list[Tag]:
    tags: list[Tag] = []
    for name in xl.split_list(row.values.get("tags")):
        tag = ctx.tags_by_key.get(name) or ctx.tags_by_key.get(name.lower())
        if tag is None:
            row.errors.append(
                _("Unknown tag “%(value)s”: use the tag names listed on the 说明 sheet of the import template.")
                % {"value": name}
            )
            continue
        if tag.derived_min_age is not None:
            continue  # 高龄 is computed from the birth date
        if tag.is_sensitive and not (grid and any(grid.code.startswith(c) for c in ctx.sensitive_codes)):
            row.errors.append(_("You may not record the sensitive tag “%(value)s” in this grid.") % {"value": tag.name})
            continue
        if tag not in tags:
            tags.append(tag)
    return tags


def fallback_key(d: dict[str, Any]) -> tuple[Any, ...]:
    return (d["name"], d["birth_date"], d["address"], d["grid"].pk if d["grid"] else None)


def mark_file_duplicates(rows: Iterable[xl.LedgerRow]) -> None:
    """The same person twice in one file: the later row is an error."""
    by_id: dict[str, int] = {}
    by_key: dict[tuple[Any, ...], tuple[int, str]] = {}
    for row in rows:
        d = row.data
        if d.get("id_number"):
            first = by_id.setdefault(d["id_number"], row.number)
            if first != row.number:
                row.errors.append(
                    _("Same person as row %(row)d (same ID number): remove one of the two rows.") % {"row": first}
                )
                continue
        if d.get("name") and (d.get("birth_date") or d.get("address")):
            first_number, first_id = by_key.setdefault(fallback_key(d), (row.number, d.get("id_number", "")))
            # Two different valid ID numbers are two people, however alike the rest.
            if first_number != row.number and not (first_id and d.get("id_number")):
                row.errors.append(
                    _("Same person as row %(row)d (same name, date of birth and address): remove one of the two rows.")
                    % {"row": first_number}
                )


# --- reading a job's file ----------------------------------------------------------------------------
def load_sheet(job: ImportJob) -> xl.Sheet:
    with job.file.open("rb") as fh:
        return xl.read_sheet(fh, job.sheet_name or None)


def header_for(job: ImportJob, sheet: xl.Sheet) -> xl.HeaderInfo:
    header = xl.detect_header(sheet, PERSON_LEDGER)
    if job.mapping:
        header.mapping = {int(c): f for c, f in job.mapping.items() if f}
    return header


def mapping_problems(header: xl.HeaderInfo, ctx: ImportContext) -> list[str]:
    mapped = set(header.mapping.values())
    problems = []
    for col in PERSON_LEDGER.columns:
        if col.required and col.field not in mapped:
            problems.append(
                _("No column is mapped to “%(field)s” (e.g. a column headed %(header)s).")
                % {"field": FIELD_LABELS[col.field], "header": col.header}
            )
    if "grid" not in mapped and ctx.default_grid is None:
        problems.append(_("No column is mapped to “Grid”: you manage several grids, so each row must name its grid."))
    if "id_number" not in mapped and "birth_date" not in mapped:
        problems.append(_("Map a column to “ID number” or to “Date of birth”: persons are matched by them."))
    return problems


def checked_rows(
    sheet: xl.Sheet, header: xl.HeaderInfo, ctx: ImportContext, *, limit: int | None = None
) -> list[xl.LedgerRow]:
    rows = list(xl.iter_rows(sheet, header, limit=limit))
    for row in rows:
        clean_person_row(row, ctx)
    mark_file_duplicates(rows)
    return rows


@dataclass
class Preview:
    header: xl.HeaderInfo
    total: int
    checked: int
    rows: list[xl.LedgerRow]  # the first PREVIEW_ROWS, cleaned
    valid: int
    invalid: int
    first_errors: list[xl.LedgerRow]
    problems: list[str]


def build_preview(job: ImportJob, ctx: ImportContext) -> Preview:
    sheet = load_sheet(job)
    header = header_for(job, sheet)
    total = xl.count_rows(sheet, header)
    problems = mapping_problems(header, ctx)
    rows = [] if problems else checked_rows(sheet, header, ctx, limit=PREVIEW_CHECK_LIMIT)
    bad = [r for r in rows if r.errors]
    for r in rows[:PREVIEW_ROWS]:
        d = r.data
        d["id_masked"] = pd.mask_id_number(d["id_number"]) if d.get("id_number") else ""
        d["phone_masked"] = pd.mask_mobile(d["phone"]) if d.get("phone") else ""
        d["residency_label"] = ResidencyKind(d["residency_kind"]).label if d.get("residency_kind") else ""
    return Preview(
        header=header,
        total=total,
        checked=len(rows),
        rows=rows[:PREVIEW_ROWS],
        valid=len(rows) - len(bad),
        invalid=len(bad),
        first_errors=bad[:10],
        problems=problems,
    )


# --- planning: match rows to the registry (read-only) ------------------------------------------------
@dataclass
class PlannedRow:
    row: xl.LedgerRow
    action: str  # create / update / unchanged / review
    person: Person | None = None
    changes: dict[str, list[Any]] = field(default_factory=dict)
    new_tags: list[Tag] = field(default_factory=list)
    reason: str = ""


@dataclass
class Plan:
    rows: list[PlannedRow]

    def of(self, action: str) -> list[PlannedRow]:
        return [p for p in self.rows if p.action == action]


def _chunks(items: list[Any], size: int = BATCH) -> Iterator[list[Any]]:
    for i in range(0, len(items), size):
        yield items[i : i + size]


def _existing_queryset() -> Any:
    return (
        Person.objects.exclude(status=PersonStatus.MERGED)
        .select_related("area")
        .annotate(
            dw_address=F("dwelling__address"),
            dw_area_id=F("dwelling__area_id"),
            hh_number=F("household__number"),
            hh_area_id=F("household__area_id"),
        )
    )


def plan_person_import(rows: list[xl.LedgerRow], ctx: ImportContext) -> Plan:
    by_hash: dict[str, Person] = {}
    hashes = {protection.id_number_hash(r.data["id_number"]): r for r in rows if r.data["id_number"]}
    for chunk in _chunks(list(hashes)):
        for p in _existing_queryset().filter(id_number_hash__in=chunk).order_by("pk"):
            by_hash.setdefault(p.id_number_hash, p)

    unmatched = [
        r for r in rows if not (r.data["id_number"] and protection.id_number_hash(r.data["id_number"]) in by_hash)
    ]
    by_key: dict[tuple[Any, ...], Person] = {}
    grid_ids = [g.pk for g in ctx.grids_by_code.values()]
    for chunk in _chunks(sorted({r.data["name"] for r in unmatched})):
        for p in _existing_queryset().filter(name__in=chunk, area_id__in=grid_ids).order_by("pk"):
            by_key.setdefault((p.name, p.birth_date, p.dw_address or "", p.area_id), p)

    planned: list[PlannedRow] = []
    for row in rows:
        d = row.data
        h = protection.id_number_hash(d["id_number"]) if d["id_number"] else ""
        person = by_hash.get(h) if h else None
        if person is None:
            candidate = by_key.get(fallback_key(d))
            if h and candidate is not None and candidate.id_number_hash and candidate.id_number_hash != h:
                planned.append(
                    PlannedRow(
                        row,
                        "review",
                        candidate,
                        reason=_(
                            "Possible duplicate of %(name)s (same name, date of birth and address, "
                            "but a different ID number): check and merge by hand."
                        )
                        % {"name": candidate.name},
                    )
                )
                continue
            person = candidate
        if person is not None and not ctx.in_scope(person.area.code):
            planned.append(
                PlannedRow(
                    row,
                    "review",
                    None,
                    reason=_(
                        "This ID number is already registered in an area outside yours; the row was not imported. "
                        "Ask the district to check it."
                    ),
                )
            )
            continue
        if person is not None and person.status == PersonStatus.DECEASED:
            planned.append(
                PlannedRow(
                    row, "review", person, reason=_("This person is recorded as deceased; the row was not imported.")
                )
            )
            continue
        planned.append(_plan_row(row, person))
    _plan_tags(planned)
    return Plan(planned)


def _desired(d: dict[str, Any]) -> dict[str, Any]:
    """The values a row sets (blank cells set nothing)."""
    values: dict[str, Any] = {"name": d["name"], "residency_kind": d["residency_kind"]}
    for key in ("sex", "birth_date", "ethnicity", "relation", "note", "registered_address", "workplace"):
        if d[key]:
            values[key] = d[key]
    return values


def _plan_row(row: xl.LedgerRow, person: Person | None) -> PlannedRow:
    d = row.data
    grid = d["grid"]
    if person is None:
        changes = {k: [None, v] for k, v in _desired(d).items()}
        changes["area"] = [None, grid.code]
        if d["id_number"]:
            changes["id_number_masked"] = [None, pd.mask_id_number(d["id_number"])]
        if d["phone"]:
            changes["phone_masked"] = [None, pd.mask_mobile(d["phone"])]
        if d["address"]:
            changes["dwelling"] = [None, d["address"]]
        if d["household_number"]:
            changes["household"] = [None, d["household_number"]]
        return PlannedRow(row, "create", None, audit._jsonable(changes))
    changes = {}
    for key, value in _desired(d).items():
        if getattr(person, key) != value:
            changes[key] = [getattr(person, key), value]
    if person.area_id != grid.pk:
        changes["area"] = [person.area.code, grid.code]
    if d["id_number"] and person.id_number_hash != protection.id_number_hash(d["id_number"]):
        changes["id_number_masked"] = [person.id_number_masked, pd.mask_id_number(d["id_number"])]
    if d["phone"] and person.phone_hash != pd.blind_index(d["phone"], context=protection.PHONE_CONTEXT):
        changes["phone_masked"] = [person.phone_masked, pd.mask_mobile(d["phone"])]
    if d["address"] and (person.dw_address, person.dw_area_id) != (d["address"], grid.pk):
        changes["dwelling"] = [person.dw_address, d["address"]]
    if d["household_number"] and (person.hh_number, person.hh_area_id) != (d["household_number"], grid.pk):
        changes["household"] = [person.hh_number, d["household_number"]]
    return PlannedRow(row, "update" if changes else "unchanged", person, audit._jsonable(changes))


def _plan_tags(planned: list[PlannedRow]) -> None:
    existing: dict[int, set[int]] = defaultdict(set)
    ids = [p.person.pk for p in planned if p.person is not None and p.action in {"update", "unchanged"}]
    for chunk in _chunks(ids):
        for person_id, tag_id in PersonTag.objects.filter(person_id__in=chunk).values_list("person_id", "tag_id"):
            existing[person_id].add(tag_id)
    for p in planned:
        if p.action == "review":
            continue
        have = existing.get(p.person.pk, set()) if p.person else set()
        p.new_tags = [t for t in p.row.data["tags"] if t.pk not in have]
        if p.new_tags:
            p.changes["tags"] = [None, [t.name for t in p.new_tags]]
            if p.action == "unchanged":
                p.action = "update"


# --- writing (one transaction) ------------------------------------------------------------------
def _progress(job: ImportJob, written: int) -> None:
    cache.set(f"import-job-{job.pk}-written", written, 3600)


def written_rows(job: ImportJob) -> int:
    return int(cache.get(f"import-job-{job.pk}-written") or 0)


def _apply(person: Person, d: dict[str, Any]) -> None:
    for key, value in _name_fields(d["name"]):
        setattr(person, key, value)
    for key, value in _desired(d).items():
        if key != "name":
            setattr(person, key, value)
    person.area_id = d["grid"].pk
    if d["id_number"]:
        for key, value in protection.id_number_fields(d["id_number"]).items():
            setattr(person, key, value)
    if d["phone"]:
        for key, value in protection.phone_fields(d["phone"]).items():
            setattr(person, key, value)


PERSON_WRITE_FIELDS = [
    "area",
    "name",
    "name_pinyin",
    "name_initials",
    "sex",
    "birth_date",
    "ethnicity",
    "id_number_enc",
    "id_number_hash",
    "id_number_masked",
    "id_number_tail",
    "phone_enc",
    "phone_hash",
    "phone_masked",
    "phone_tail",
    "household",
    "relation",
    "dwelling",
    "residency_kind",
    "registered_address",
    "workplace",
    "note",
    "version",
    "updated_at",
]


def _dwellings(rows: list[PlannedRow]) -> dict[tuple[int, str], int]:
    wanted: dict[tuple[int, str], dict[str, str]] = {}
    for p in rows:
        d = p.row.data
        if d["address"]:
            wanted.setdefault((d["grid"].pk, d["address"]), d["address_parts"])
    found: dict[tuple[int, str], int] = {}
    grid_ids = sorted({k[0] for k in wanted})
    for chunk in _chunks(sorted({k[1] for k in wanted})):
        for pk, area_id, address in Dwelling.objects.filter(area_id__in=grid_ids, address__in=chunk).values_list(
            "pk", "area_id", "address"
        ):
            found.setdefault((area_id, address), pk)
    missing = [
        Dwelling(area_id=area_id, address=address, grid_fixed=True, **parts)
        for (area_id, address), parts in wanted.items()
        if (area_id, address) not in found
    ]
    for d in Dwelling.objects.bulk_create(missing, batch_size=BATCH):
        found[(d.area_id, d.address)] = d.pk
    return found


def _households(rows: list[PlannedRow], dwellings: dict[tuple[int, str], int]) -> dict[tuple[int, str], Household]:
    wanted: dict[tuple[int, str], int | None] = {}
    for p in rows:
        d = p.row.data
        if d["household_number"]:
            key = (d["grid"].pk, d["household_number"])
            dwelling = dwellings.get((d["grid"].pk, d["address"])) if d["address"] else None
            if wanted.get(key) is None:
                wanted[key] = dwelling
    found: dict[tuple[int, str], Household] = {}
    grid_ids = sorted({k[0] for k in wanted})
    for chunk in _chunks(sorted({k[1] for k in wanted})):
        for h in Household.objects.filter(area_id__in=grid_ids, number__in=chunk, is_active=True).order_by("pk"):
            found.setdefault((h.area_id, h.number), h)
    missing = [
        Household(area_id=area_id, number=number, dwelling_id=dwelling)
        for (area_id, number), dwelling in wanted.items()
        if (area_id, number) not in found
    ]
    for h in Household.objects.bulk_create(missing, batch_size=BATCH):
        found[(h.area_id, h.number)] = h
    return found


def write_person_import(plan: Plan, job: ImportJob, by: Any) -> dict[str, int]:
    """Apply a plan in one transaction with bulk writes; returns the counts."""
    creates, updates = plan.of("create"), plan.of("update")
    today = timezone.localdate()
    now = timezone.now()
    written = 0
    with transaction.atomic():
        dwellings = _dwellings(creates + updates)
        households = _households(creates + updates, dwellings)

        def link(person: Person, d: dict[str, Any]) -> None:
            if d["address"]:
                person.dwelling_id = dwellings[(d["grid"].pk, d["address"])]
            if d["household_number"]:
                person.household_id = households[(d["grid"].pk, d["household_number"])].pk

        new_people = []
        for p in creates:
            person = Person(status=PersonStatus.ACTIVE)
            _apply(person, p.row.data)
            link(person, p.row.data)
            p.person = person
            new_people.append(person)
        for chunk in _chunks(new_people):
            Person.objects.bulk_create(chunk)
            written += len(chunk)
            _progress(job, written)

        moved: list[Person] = []
        for p in updates:
            person = p.person
            assert person is not None
            before = (person.dwelling_id, person.residency_kind)
            _apply(person, p.row.data)
            link(person, p.row.data)
            person.version += 1
            person.updated_at = now
            if person.dwelling_id and (person.dwelling_id, person.residency_kind) != before:
                moved.append(person)
        for chunk in _chunks([p.person for p in updates]):
            Person.objects.bulk_update(chunk, PERSON_WRITE_FIELDS)
            written += len(chunk)
            _progress(job, written)

        # Heads of household named in the file.
        heads = []
        for p in creates + updates:
            d = p.row.data
            if d["relation"] == Relation.HEAD and d["household_number"]:
                household = households[(d["grid"].pk, d["household_number"])]
                if household.head_id != p.person.pk:
                    household.head_id = p.person.pk
                    heads.append(household)
        Household.objects.bulk_update(heads, ["head"], batch_size=BATCH)

        # Residency history: a new residency for new persons and for those who moved.
        Residency.objects.filter(person_id__in=[m.pk for m in moved], until__isnull=True).update(until=today)
        residencies = [
            Residency(
                person_id=p.person.pk, dwelling_id=p.person.dwelling_id, kind=p.person.residency_kind, since=today
            )
            for p in creates
            if p.person.dwelling_id
        ] + [Residency(person_id=m.pk, dwelling_id=m.dwelling_id, kind=m.residency_kind, since=today) for m in moved]
        Residency.objects.bulk_create(residencies, batch_size=BATCH)

        PersonTag.objects.bulk_create(
            [PersonTag(person_id=p.person.pk, tag=t, since=today) for p in creates + updates for t in p.new_tags],
            batch_size=BATCH,
        )
        ImportChange.objects.bulk_create(
            [
                ImportChange(
                    job=job,
                    row_number=p.row.number,
                    object_type="person",
                    object_id=str(p.person.pk),
                    action=p.action,
                    changes=p.changes,
                )
                for p in creates + updates
            ],
            batch_size=2000,
        )
        counts = {
            "created": len(creates),
            "updated": len(updates),
            "unchanged": len(plan.of("unchanged")),
            "review": len(plan.of("review")),
        }
        audit.record(
            action="import",
            object_type="import_job",
            object_id=job.pk,
            object_repr=job.original_name,
            area_code=job.area_code,
            changes={"file": job.original_name, "ledger": KIND, **counts, "rows": len(plan.rows)},
            actor=by,
        )
    return counts


# --- the job ------------------------------------------------------------------------------------------
def _review_entry(p: PlannedRow, ctx: ImportContext) -> dict[str, Any]:
    visible = p.person is not None and ctx.in_scope(p.person.area.code)
    return {
        "row": p.row.number,
        "name": p.row.data.get("name", ""),
        "reason": p.reason,
        "person_id": p.person.pk if visible and p.person else None,
    }


def run_person_import(job: ImportJob) -> ImportJob:
    """Check every row; write all of them or none. Progress is saved as it goes."""
    by = job.created_by
    ctx = import_context(by)
    job.status, job.phase, job.started_at = ImportStatus.RUNNING, "checking", timezone.now()
    job.processed_rows = 0
    job.save(update_fields=["status", "phase", "started_at", "processed_rows"])
    sheet = load_sheet(job)
    header = header_for(job, sheet)
    problems = mapping_problems(header, ctx)
    if problems:
        return _finish(job, ImportStatus.FAILED, message=" ".join(problems))
    rows = list(xl.iter_rows(sheet, header))
    job.total_rows = len(rows)
    for i, row in enumerate(rows, start=1):
        clean_person_row(row, ctx)
        if i % PROGRESS_EVERY == 0:
            ImportJob.objects.filter(pk=job.pk).update(processed_rows=i, total_rows=len(rows))
    mark_file_duplicates(rows)
    bad = [r for r in rows if r.errors]
    job.processed_rows = len(rows)
    if bad:
        text_columns = [c for c, f in header.mapping.items() if PERSON_LEDGER.column(f).text]
        buffer = io.BytesIO()
        xl.write_error_workbook(buffer, headers=header.headers, text_columns=text_columns, rows=bad)
        stem = job.original_name.rsplit(".", 1)[0]
        job.error_file.save(f"{stem}-错误行.xlsx", ContentFile(buffer.getvalue()), save=False)
        job.error_rows = len(bad)
        return _finish(
            job,
            ImportStatus.INVALID,
            counts={"rows": len(rows), "errors": len(bad)},
        )
    plan = plan_person_import(rows, ctx)
    ImportJob.objects.filter(pk=job.pk).update(phase="writing", processed_rows=len(rows), total_rows=len(rows))
    job.phase = "writing"
    counts = write_person_import(plan, job, by)
    job.review = [_review_entry(p, ctx) for p in plan.of("review")]
    if len(rows) >= ANALYZE_AFTER_ROWS:
        refresh_planner_statistics()
    return _finish(job, ImportStatus.DONE, counts={"rows": len(rows), "errors": 0, **counts})


ANALYZE_AFTER_ROWS = 20_000


def refresh_planner_statistics() -> None:
    """After a bulk load, PostgreSQL's planner still believes the tables are small until
    autovacuum catches up, and picks plans that scan every person (seconds instead of
    milliseconds). Refresh the statistics of the tables the import wrote."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        for table in ("people_person", "people_household", "people_persontag", "places_dwelling"):
            cursor.execute(f"ANALYZE {table}")


def _finish(job: ImportJob, status: str, *, counts: dict[str, int] | None = None, message: str = "") -> ImportJob:
    job.status = status
    job.finished_at = timezone.now()
    job.counts = counts or {}
    job.message = message
    job.save()
    return job


@task()
def run_import_job(job_id: int) -> str:
    """Background job: run one confirmed import (see run_person_import)."""
    job = ImportJob.objects.select_related("created_by").get(pk=job_id)
    try:
        run_person_import(job)
    except Exception:
        logger.exception("import job %s failed", job_id)
        job.refresh_from_db()
        _finish(
            job,
            ImportStatus.FAILED,
            message=_("The import stopped because of an internal error; nothing was written. Try again later."),
        )
        raise
    return job.status
