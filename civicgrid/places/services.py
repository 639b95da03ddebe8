"""Changes to buildings, dwellings, organizations and facilities, and the
point-in-polygon grid assignment that keeps each of them in the right grid.

Every change is audited in the same transaction (core.audit.record).
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import shapely
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from civicgrid.areas.geometry import to_shape
from civicgrid.areas.models import Area, AreaLevel
from civicgrid.core import audit
from civicgrid.core import personal_data as pd
from civicgrid.core.scoping import user_can
from civicgrid.places.models import (
    Building,
    Dwelling,
    Facility,
    GridAssignmentRun,
    Organization,
    compose_address,
)

CONTACT_PHONE_CONTEXT = "organization.contact_phone"
LON_RANGE, LAT_RANGE = (73.0, 136.0), (3.0, 54.0)
MOVED_KEPT = 5000  # moved rows listed in a run's report; the counts are always complete
FETCH_CHUNK = 50_000
UPDATE_CHUNK = 2000

OUTSIDE = "不在任何网格内"
OVERLAP = "位于多个网格的重叠处，已归入面积最小的网格"

OBJECT_TYPES: dict[type[models.Model], str] = {
    Dwelling: "dwelling",
    Building: "building",
    Organization: "organization",
    Facility: "facility",
}


class PlaceConflict(ValidationError):
    """Someone else saved the row since the form was opened (optimistic locking)."""


class DuplicateCreditCode(ValidationError):
    def __init__(self, message: str, existing: Organization | None = None) -> None:
        super().__init__(message, code="duplicate")
        self.existing = existing


# --- organization contact phone -----------------------------------------
def contact_phone_fields(number: str) -> dict[str, str]:
    """Columns for a *validated* mobile number (see personal_data.parse_mobile)."""
    return pd.protected_columns("contact_phone", number, context=CONTACT_PHONE_CONTEXT, mask=pd.mask_mobile)


def contact_phone_hash(number: str) -> str:
    return pd.blind_index(pd.parse_mobile(number), context=CONTACT_PHONE_CONTEXT)


def reveal_contact_phone(organization: Organization) -> str:
    """The clear number. Callers check ``personal.unmask`` and audit the view."""
    enc = organization.contact_phone_enc
    return pd.decrypt(enc, context=CONTACT_PHONE_CONTEXT) if enc else ""


# --- point-in-polygon grid assignment ------------------------------------------------------------------
@dataclass
class GridIndex:
    """Grid polygons in an STRtree, with arrays to map tree positions back to grids."""

    tree: shapely.STRtree
    ids: np.ndarray  # Area.id per tree position
    areas: np.ndarray  # polygon area (degrees², only for ordering)
    codes: dict[int, str]
    names: dict[int, str]

    @property
    def empty(self) -> bool:
        return len(self.ids) == 0


def load_grid_index(
    *, community_code: str | None = None, bbox: tuple[float, float, float, float] | None = None
) -> GridIndex:
    """Active grids with a boundary (optionally only those under a code prefix or touching a bbox)."""
    qs = Area.objects.filter(level=AreaLevel.GRID, is_active=True).exclude(boundary=None)
    if community_code:
        qs = qs.filter(code__startswith=community_code)
    if bbox:
        min_lon, min_lat, max_lon, max_lat = bbox
        qs = qs.filter(min_lon__lte=max_lon, max_lon__gte=min_lon, min_lat__lte=max_lat, max_lat__gte=min_lat)
    rows = list(qs.order_by("code").values_list("id", "code", "name", "boundary"))
    geoms = [to_shape(r[3]) for r in rows]
    return GridIndex(
        tree=shapely.STRtree(geoms),
        ids=np.fromiter((r[0] for r in rows), dtype=np.int64, count=len(rows)),
        areas=shapely.area(np.asarray(geoms, dtype=object)) if geoms else np.zeros(0),
        codes={r[0]: r[1] for r in rows},
        names={r[0]: r[2] for r in rows},
    )


def locate_points(index: GridIndex, lon: np.ndarray, lat: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The grid id of each point (-1: in no grid) and a mask of points in more than one grid.

    Vectorised: one ``STRtree.query(points, predicate="within")`` for all points;
    the few points left over (on a boundary line) get a second ``intersects`` pass.
    In an overlap the smallest grid wins.
    """
    n = len(lon)
    result = np.full(n, -1, dtype=np.int64)
    overlap = np.zeros(n, dtype=bool)
    if n == 0 or index.empty:
        return result, overlap
    points = shapely.points(lon, lat)
    pt, geom = index.tree.query(points, predicate="within")
    _resolve(index, pt, geom, result, overlap, np.arange(n))
    left = np.flatnonzero(result == -1)
    if len(left):
        pt2, geom2 = index.tree.query(points[left], predicate="intersects")
        # a point on a shared edge touches both grids: not an overlap worth reporting
        _resolve(index, pt2, geom2, result, np.zeros(n, dtype=bool), left)
    return result, overlap


def _resolve(
    index: GridIndex, pt: np.ndarray, geom: np.ndarray, result: np.ndarray, overlap: np.ndarray, positions: np.ndarray
) -> None:
    if len(pt) == 0:
        return
    counts = np.bincount(pt, minlength=len(positions))
    if counts.max() <= 1:
        result[positions[pt]] = index.ids[geom]
        return
    order = np.lexsort((index.ids[geom], index.areas[geom], pt))  # by point, then smallest area, then id
    pt_sorted, geom_sorted = pt[order], geom[order]
    first = np.flatnonzero(np.r_[True, pt_sorted[1:] != pt_sorted[:-1]])
    result[positions[pt_sorted[first]]] = index.ids[geom_sorted[first]]
    overlap[positions[np.flatnonzero(counts > 1)]] = True


@dataclass
class AssignmentReport:
    object_type: str
    checked: int = 0
    unchanged: int = 0
    fixed: int = 0
    without_point: int = 0
    moved: list[dict[str, Any]] = field(default_factory=list)  # capped at MOVED_KEPT
    moved_count: int = 0
    outside: list[dict[str, Any]] = field(default_factory=list)
    overlaps: list[dict[str, Any]] = field(default_factory=list)
    persons_moved: int = 0
    households_moved: int = 0
    rentals_moved: int = 0
    run: GridAssignmentRun | None = None

    def counts(self) -> dict[str, int]:
        return {
            "checked": self.checked,
            "moved": self.moved_count,
            "unchanged": self.unchanged,
            "fixed": self.fixed,
            "without_point": self.without_point,
            "outside": len(self.outside),
            "overlaps": len(self.overlaps),
            "persons_moved": self.persons_moved,
            "households_moved": self.households_moved,
            "rentals_moved": self.rentals_moved,
        }


def _label_fields(model: type[models.Model]) -> str:
    return "address" if model is Dwelling else "name" if model in (Organization, Facility) else "number"


def _labels(model: type[models.Model], ids: list[int]) -> dict[int, str]:
    if not ids:
        return {}
    if model is Building:
        return {
            pk: f"{e or s}{n}"
            for pk, e, s, n in model.objects.filter(pk__in=ids).values_list("id", "estate", "street", "number")
        }
    return dict(model.objects.filter(pk__in=ids).values_list("id", _label_fields(model)))


def _scope_prefix(codes: list[str]) -> str:
    """The longest level code (6/9/12/15 digits) that all ``codes`` start with ("" if none)."""
    if not codes:
        return ""
    prefix = codes[0]
    for code in codes[1:]:
        while not code.startswith(prefix):
            prefix = prefix[:-1]
    for n in (15, 12, 9, 6):
        if len(prefix) >= n:
            return prefix[:n]
    return ""


def _fetch_points(qs: models.QuerySet) -> np.ndarray:
    """(id, lon, lat, area_id) rows as one float64 array, read in chunks."""
    parts: list[np.ndarray] = []
    rows = qs.values_list("id", "lon", "lat", "area_id").iterator(chunk_size=FETCH_CHUNK)
    while True:
        chunk = list(itertools.islice(rows, FETCH_CHUNK))
        if not chunk:
            break
        flat = np.fromiter(itertools.chain.from_iterable(chunk), dtype=np.float64, count=4 * len(chunk))
        parts.append(flat.reshape(-1, 4))
    return np.concatenate(parts) if parts else np.zeros((0, 4))


def _move_rows(model: type[models.Model], ids: np.ndarray, targets: np.ndarray, *, extra: Q | None = None) -> None:
    """Write new grids: one UPDATE … WHERE id IN (…) per target grid and chunk (only changed rows)."""
    now = timezone.now()
    order = np.argsort(targets, kind="stable")
    ids, targets = ids[order], targets[order]
    bounds = np.flatnonzero(np.r_[True, targets[1:] != targets[:-1], True])
    for start, stop in itertools.pairwise(bounds):
        target = int(targets[start])
        for i in range(start, stop, UPDATE_CHUNK):
            chunk = ids[i : min(stop, i + UPDATE_CHUNK)].tolist()
            qs = model.objects.filter(pk__in=chunk)
            if extra is not None:
                qs = qs.filter(extra)
            qs.update(area_id=target, version=F("version") + 1, updated_at=now)


def _follow_dwellings(report: AssignmentReport, moved_ids: np.ndarray, targets: np.ndarray) -> None:
    """Residents, households and rental contracts follow their dwelling's grid."""
    from civicgrid.people.models import Household, Person, RentalContract

    order = np.argsort(targets, kind="stable")
    ids, targets = moved_ids[order], targets[order]
    bounds = np.flatnonzero(np.r_[True, targets[1:] != targets[:-1], True])
    now = timezone.now()
    for start, stop in itertools.pairwise(bounds):
        target = int(targets[start])
        for i in range(start, stop, UPDATE_CHUNK):
            chunk = ids[i : min(stop, i + UPDATE_CHUNK)].tolist()
            report.persons_moved += (
                Person.objects.filter(dwelling_id__in=chunk)
                .exclude(area_id=target)
                .update(area_id=target, version=F("version") + 1, updated_at=now)
            )
            report.households_moved += (
                Household.objects.filter(dwelling_id__in=chunk)
                .exclude(area_id=target)
                .update(area_id=target, version=F("version") + 1, updated_at=now)
            )
            report.rentals_moved += (
                RentalContract.objects.filter(dwelling_id__in=chunk).exclude(area_id=target).update(area_id=target)
            )


def assign_to_grids(
    *,
    model: type[models.Model],
    queryset: models.QuerySet | None = None,
    community_code: str | None = None,
    bbox: tuple[float, float, float, float] | None = None,
    index: GridIndex | None = None,
) -> AssignmentReport:
    """Put each row of a Located model in the grid that contains its point.

    Rows with ``grid_fixed`` stay where staff put them; rows without a point
    are counted, not moved; points in no grid are reported. With
    ``community_code`` only that community's rows and rows near it are looked at.
    Does not audit: callers (``assign_dwellings_to_grids``, ``run_grid_assignment``) do.
    """
    report = AssignmentReport(object_type=OBJECT_TYPES[model])
    qs = queryset if queryset is not None else model.objects.all()
    near_bbox = bbox
    if community_code and not bbox:
        box = Area.objects.filter(code__startswith=community_code, level=AreaLevel.GRID).aggregate(
            a=models.Min("min_lon"), b=models.Min("min_lat"), c=models.Max("max_lon"), d=models.Max("max_lat")
        )
        near_bbox = (box["a"], box["b"], box["c"], box["d"]) if box["a"] is not None else None
    if community_code:
        near = Q(area__code__startswith=community_code)
        if near_bbox:
            near |= Q(lon__gte=near_bbox[0], lat__gte=near_bbox[1], lon__lte=near_bbox[2], lat__lte=near_bbox[3])
        qs = qs.filter(near)
    elif bbox:
        qs = qs.filter(lon__gte=bbox[0], lat__gte=bbox[1], lon__lte=bbox[2], lat__lte=bbox[3])

    report.fixed = qs.filter(grid_fixed=True).count()
    report.without_point = qs.filter(grid_fixed=False).filter(Q(lon=None) | Q(lat=None)).count()
    rows = _fetch_points(qs.filter(grid_fixed=False, lon__isnull=False, lat__isnull=False).order_by())
    report.checked = len(rows)
    if not len(rows):
        return report
    ids, lon, lat, current = rows[:, 0].astype(np.int64), rows[:, 1], rows[:, 2], rows[:, 3].astype(np.int64)
    if index is None:
        # Load only the grids around these points (neighbours included), so a point that
        # left the community still finds its new grid.
        index = load_grid_index(bbox=(lon.min(), lat.min(), lon.max(), lat.max()))
    found, overlap = locate_points(index, lon, lat)

    outside = found == -1
    changed = ~outside & (found != current)
    report.unchanged = int((~outside & ~changed).sum())
    report.moved_count = int(changed.sum())
    moved_ids, moved_to, moved_from = ids[changed], found[changed], current[changed]

    listed = moved_ids[:MOVED_KEPT].tolist()
    problem_ids = [*ids[outside][:MOVED_KEPT].tolist(), *ids[overlap][:MOVED_KEPT].tolist()]
    labels = _labels(model, listed + problem_ids)
    from_codes = _area_codes(set(moved_from[:MOVED_KEPT].tolist()) | set(current[outside][:MOVED_KEPT].tolist()))
    report.moved = [
        {
            "type": report.object_type,
            "id": pk,
            "label": labels.get(pk, ""),
            "from": from_codes.get(int(f), ""),
            "to": index.codes.get(int(t), ""),
        }
        for pk, f, t in zip(listed, moved_from[:MOVED_KEPT].tolist(), moved_to[:MOVED_KEPT].tolist(), strict=True)
    ]
    report.outside = [
        {
            "type": report.object_type,
            "id": pk,
            "label": labels.get(pk, ""),
            "from": from_codes.get(int(c), ""),
            "reason": OUTSIDE,
        }
        for pk, c in zip(ids[outside][:MOVED_KEPT].tolist(), current[outside][:MOVED_KEPT].tolist(), strict=True)
    ]
    report.overlaps = [
        {
            "type": report.object_type,
            "id": pk,
            "label": labels.get(pk, ""),
            "to": index.codes.get(int(t), ""),
            "reason": OVERLAP,
        }
        for pk, t in zip(ids[overlap][:MOVED_KEPT].tolist(), found[overlap][:MOVED_KEPT].tolist(), strict=True)
    ]

    if report.moved_count:
        with transaction.atomic():
            _move_rows(model, moved_ids, moved_to, extra=Q(grid_fixed=False))
            if model is Dwelling:
                _follow_dwellings(report, moved_ids, moved_to)
    return report


def _area_codes(ids: set[int]) -> dict[int, str]:
    return dict(Area.objects.filter(pk__in=ids).values_list("id", "code")) if ids else {}


def _save_run(
    *, reports: list[AssignmentReport], scope_code: str, trigger: str, by: Any, started: Any
) -> GridAssignmentRun:
    counts: dict[str, Any] = {}
    for r in reports:
        counts[r.object_type] = r.counts()
    moved = list(itertools.chain.from_iterable(r.moved for r in reports))[:MOVED_KEPT]
    problems = list(itertools.chain.from_iterable(r.outside + r.overlaps for r in reports))[:MOVED_KEPT]
    run = GridAssignmentRun.objects.create(
        started_at=started,
        finished_at=timezone.now(),
        scope_code=scope_code,
        trigger=trigger,
        triggered_by=by if getattr(by, "is_authenticated", False) else None,
        counts=counts,
        moved=moved,
        problems=problems,
    )
    audit.record(
        action="update",
        object_type="grid_assignment",
        object_id=run.pk,
        object_repr=_("Grid assignment %(scope)s") % {"scope": scope_code or "*"},
        area_code=scope_code,
        changes={"trigger": trigger, **counts},
        actor=by,
    )
    for r in reports:
        r.run = run
    return run


def assign_dwellings_to_grids(
    *,
    dwellings: models.QuerySet | None = None,
    community_code: str | None = None,
    bbox: tuple[float, float, float, float] | None = None,
    by: Any = None,
    trigger: str = "manual",
) -> AssignmentReport:
    """Assign dwellings (and, with them, their residents and households) to the grid of their point.

    Saves a GridAssignmentRun with what moved and writes one summary audit event.
    """
    started = timezone.now()
    with transaction.atomic():
        report = assign_to_grids(model=Dwelling, queryset=dwellings, community_code=community_code, bbox=bbox)
        _save_run(reports=[report], scope_code=community_code or "", trigger=trigger, by=by, started=started)
    return report


def run_grid_assignment(
    *, community_code: str | None = None, by: Any = None, trigger: str = "manual"
) -> list[AssignmentReport]:
    """Reassign dwellings, buildings, organizations and facilities; one run, one audit event."""
    started = timezone.now()
    with transaction.atomic():
        # One index for a whole-district run; a community run loads the grids around its points.
        index = None if community_code else load_grid_index()
        reports = [
            assign_to_grids(model=model, community_code=community_code, index=index)
            for model in (Dwelling, Building, Organization, Facility)
        ]
        scope = community_code or _scope_prefix(
            list(Area.objects.filter(level=AreaLevel.GRID).values_list("code", flat=True)[:10_000])
        )
        _save_run(reports=reports, scope_code=scope, trigger=trigger, by=by, started=started)
    return reports


# --- one point, one grid (forms) -----------------------------------------------------------------------
def grid_at_point(lon: float, lat: float) -> Area | None:
    """The active grid containing the point (bbox prefilter in SQL, then shapely); smallest on overlap."""
    candidates = list(
        Area.objects.filter(
            level=AreaLevel.GRID, is_active=True, min_lon__lte=lon, max_lon__gte=lon, min_lat__lte=lat, max_lat__gte=lat
        ).exclude(boundary=None)
    )
    point = shapely.Point(lon, lat)
    inside = [(to_shape(a.boundary).area, a.code, a) for a in candidates if to_shape(a.boundary).covers(point)]
    return min(inside, key=lambda t: (t[0], t[1]))[2] if inside else None


def resolve_grid(*, by: Any, lon: float | None, lat: float | None, grid: Area | None) -> tuple[Area, bool]:
    """The grid for a saved place and whether it was set by hand (``grid_fixed``).

    A hand-picked grid must be one the user may edit; otherwise the point decides,
    and it must lie in a grid the user may edit.
    """
    if grid is not None:
        if grid.level != AreaLevel.GRID or not user_can(by, "people.change", grid):
            raise ValidationError(
                _("You cannot put places in the grid %(name)s: it is outside your areas.") % {"name": grid.name}
            )
        return grid, True
    if lon is None or lat is None:
        raise ValidationError(
            _("Give the location (click the map or enter longitude and latitude), or choose the grid by hand.")
        )
    if not (LON_RANGE[0] <= lon <= LON_RANGE[1] and LAT_RANGE[0] <= lat <= LAT_RANGE[1]):
        raise ValidationError(_("The location is not a place in China: check the longitude and latitude."))
    found = grid_at_point(lon, lat)
    if found is None:
        raise ValidationError(
            _("The location is not inside any grid. Check the point on the map, or choose the grid by hand.")
        )
    if not user_can(by, "people.change", found):
        raise ValidationError(
            _(
                "The location lies in the grid %(name)s, which you cannot edit. "
                "Check the point on the map, or ask that grid's staff to register it."
            )
            % {"name": found.name}
        )
    return found, False


# --- saving places -------------------------------------------------------------------------------------
DWELLING_FIELDS = [
    "street", "estate", "building_no", "unit_no", "room_no", "address", "use", "owner_name",
    "floor_area", "note", "lon", "lat", "area_id", "grid_fixed", "building_id", "is_active",
]  # fmt: skip
ORGANIZATION_FIELDS = [
    "name", "kind", "credit_code", "legal_representative", "contact_name", "contact_phone_masked",
    "address", "status", "employees", "registration", "last_annual_inspection", "rating_grade",
    "integrity_note", "note", "lon", "lat", "area_id", "grid_fixed",
]  # fmt: skip
FACILITY_FIELDS = [
    "kind", "name", "code", "capacity", "owner_unit", "is_working", "note", "lon", "lat", "area_id", "grid_fixed",
]  # fmt: skip


def _save_located(
    *,
    model: type[models.Model],
    obj: Any,
    by: Any,
    expected_version: int | None,
    audit_fields: list[str],
    values: dict[str, Any],
) -> Any:
    object_type = OBJECT_TYPES[model]
    if obj is None:
        obj = model.objects.create(**values)
        before: dict[str, Any] = {}
        action = "create"
    else:
        if not user_can(by, "people.change", obj.area):
            raise ValidationError(_("You cannot edit places outside your areas."))
        before = audit.snapshot(obj, audit_fields)
        changed = model.objects.filter(pk=obj.pk, version=expected_version).update(
            version=F("version") + 1, updated_at=timezone.now(), **values
        )
        if not changed:
            raise PlaceConflict(
                _(
                    "Someone else changed this record in the meantime. "
                    "Reload the page to see their changes, then edit again."
                )
            )
        obj.refresh_from_db()
        action = "update"
    obj.area = Area.objects.get(pk=obj.area_id)
    audit.record(
        action=action,
        object_type=object_type,
        object_id=obj.pk,
        object_repr=str(obj),
        area_code=obj.area.code,
        changes=audit.diff(before, audit.snapshot(obj, audit_fields)),
        actor=by,
    )
    return obj


@transaction.atomic
def dwelling_save(
    *,
    by: Any,
    dwelling: Dwelling | None = None,
    expected_version: int | None = None,
    lon: float | None,
    lat: float | None,
    grid: Area | None = None,
    street: str = "",
    estate: str = "",
    building_no: str = "",
    unit_no: str = "",
    room_no: str = "",
    building: Building | None = None,
    **fields: Any,
) -> Dwelling:
    """Create or edit a dwelling; the grid comes from the point unless chosen by hand."""
    area, fixed = resolve_grid(by=by, lon=lon, lat=lat, grid=grid)
    address = compose_address(street=street, estate=estate, building_no=building_no, unit_no=unit_no, room_no=room_no)
    if not address:
        raise ValidationError(_("Enter at least the street or the estate of the address."))
    values = {
        "street": street.strip(),
        "estate": estate.strip(),
        "building_no": building_no.strip(),
        "unit_no": unit_no.strip(),
        "room_no": room_no.strip(),
        "address": address,
        "lon": lon,
        "lat": lat,
        "area_id": area.pk,
        "grid_fixed": fixed,
        "building_id": building.pk if building else (dwelling.building_id if dwelling else None),
        **fields,
    }
    old_area_id = dwelling.area_id if dwelling else None
    saved = _save_located(
        model=Dwelling,
        obj=dwelling,
        by=by,
        expected_version=expected_version,
        audit_fields=DWELLING_FIELDS,
        values=values,
    )
    if old_area_id is not None and old_area_id != saved.area_id:
        # residents, households and rentals follow the dwelling to its new grid
        _follow_dwellings(AssignmentReport(object_type="dwelling"), np.array([saved.pk]), np.array([saved.area_id]))
    return saved


def check_credit_code(*, value: str, user: Any, exclude_pk: int | None = None) -> str:
    """Validate a 统一社会信用代码 and make sure no other organization holds it."""
    if not value or not value.strip():
        return ""
    code = pd.parse_credit_code(value)
    existing = Organization.objects.filter(credit_code=code).exclude(pk=exclude_pk).select_related("area").first()
    if existing is not None:
        if Organization.objects.visible_to(user, "people.view").filter(pk=existing.pk).exists():
            raise DuplicateCreditCode(
                _("This credit code is already registered for %(name)s (%(grid)s). Open that organization instead.")
                % {"name": existing.name, "grid": existing.area.name},
                existing,
            )
        raise DuplicateCreditCode(
            _(
                "This credit code is already registered for an organization in another area. "
                "Contact that area's community, or check the code."
            )
        )
    return code


@transaction.atomic
def organization_save(
    *,
    by: Any,
    organization: Organization | None = None,
    expected_version: int | None = None,
    lon: float | None,
    lat: float | None,
    grid: Area | None = None,
    credit_code: str = "",
    contact_phone: str | None = None,
    **fields: Any,
) -> Organization:
    """Create or edit an organization. ``contact_phone`` None keeps the stored number, "" clears it."""
    area, fixed = resolve_grid(by=by, lon=lon, lat=lat, grid=grid)
    code = check_credit_code(value=credit_code, user=by, exclude_pk=organization.pk if organization else None)
    values: dict[str, Any] = {
        "credit_code": code,
        "lon": lon,
        "lat": lat,
        "area_id": area.pk,
        "grid_fixed": fixed,
        **fields,
    }
    if contact_phone is not None:
        values.update(contact_phone_fields(pd.parse_mobile(contact_phone) if contact_phone else ""))
    return _save_located(
        model=Organization,
        obj=organization,
        by=by,
        expected_version=expected_version,
        audit_fields=ORGANIZATION_FIELDS,
        values=values,
    )


@transaction.atomic
def facility_save(
    *,
    by: Any,
    facility: Facility | None = None,
    expected_version: int | None = None,
    lon: float | None,
    lat: float | None,
    grid: Area | None = None,
    **fields: Any,
) -> Facility:
    area, fixed = resolve_grid(by=by, lon=lon, lat=lat, grid=grid)
    values = {"lon": lon, "lat": lat, "area_id": area.pk, "grid_fixed": fixed, **fields}
    return _save_located(
        model=Facility,
        obj=facility,
        by=by,
        expected_version=expected_version,
        audit_fields=FACILITY_FIELDS,
        values=values,
    )


def organization_unmask_phone(*, organization: Organization, by: Any, reason: str) -> str:
    if not user_can(by, "personal.unmask", organization.area):
        raise ValidationError(_("You may not see unmasked phone numbers in this area."))
    if not reason.strip():
        raise ValidationError(_("Say why you need the full number."))
    audit.record(
        action="unmask",
        object_type="organization",
        object_id=organization.pk,
        object_repr=str(organization),
        area_code=organization.area.code,
        changes={"field": "contact_phone"},
        reason=reason.strip(),
        actor=by,
    )
    return reveal_contact_phone(organization)
