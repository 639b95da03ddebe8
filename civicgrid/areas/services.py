"""Changes to the area tree. Every change is audited in the same transaction."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from shapely import STRtree
from shapely.validation import explain_validity

from civicgrid.areas.geometry import bbox_fields, square_metres, to_shape
from civicgrid.areas.models import CODE_LENGTH, Area, AreaLevel, child_level
from civicgrid.core import audit

EDITABLE_FIELDS = ["name", "note", "is_active"]
CHINA_BOUNDS = (73.0, 3.0, 136.0, 54.0)  # lon/lat box that holds every Chinese area


class AreaConflict(ValidationError):
    pass


@transaction.atomic
def area_update(*, area: Area, by: Any, expected_version: int, **fields: Any) -> Area:
    """Change name/note/active; refuses a stale edit (optimistic locking on ``version``)."""
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValueError(f"not editable: {unknown}")
    before = audit.snapshot(area, EDITABLE_FIELDS)
    changed = Area.objects.filter(pk=area.pk, version=expected_version).update(version=expected_version + 1, **fields)
    if not changed:
        raise AreaConflict(_("Someone else changed this area in the meantime. Reload the page and try again."))
    area.refresh_from_db()
    audit.record(
        action="update",
        object_type="area",
        object_id=area.pk,
        object_repr=f"{area.name} ({area.code})",
        area_code=area.code,
        changes=audit.diff(before, audit.snapshot(area, EDITABLE_FIELDS)),
        actor=by,
    )
    return area


def validate_child_code(parent: Area, code: str) -> str:
    code = (code or "").strip()
    level = child_level(parent.level)
    if level is None:
        raise ValidationError(_("A grid cannot have areas below it."))
    length = CODE_LENGTH[AreaLevel(level)]
    if not code.isdigit():
        raise ValidationError(_("The code may contain digits only."))
    if len(code) != length:
        raise ValidationError(
            _("A %(level)s code has %(length)d digits: the %(parent_length)d digits of %(parent)s plus 3.")
            % {
                "level": AreaLevel(level).label,
                "length": length,
                "parent_length": len(parent.code),
                "parent": parent.name,
            }
        )
    if not code.startswith(parent.code):
        raise ValidationError(
            _("The code must start with the code of %(parent)s (%(code)s).")
            % {"parent": parent.name, "code": parent.code}
        )
    if code[len(parent.code) :] == "000":
        raise ValidationError(_("The last three digits cannot be 000."))
    existing = Area.objects.filter(code=code).first()
    if existing is not None:
        raise ValidationError(
            _("The code %(code)s is already used by %(name)s.") % {"code": code, "name": existing.name}
        )
    return code


@transaction.atomic
def area_create(*, parent: Area, code: str, name: str, by: Any) -> Area:
    code = validate_child_code(parent, code)
    name = (name or "").strip()
    if not name:
        raise ValidationError(_("Please enter a name."))
    area = Area.objects.create(code=code, name=name, level=child_level(parent.level), parent=parent)
    audit.record(
        action="create",
        object_type="area",
        object_id=area.pk,
        object_repr=f"{area.name} ({area.code})",
        area_code=area.code,
        changes={"code": [None, code], "name": [None, name], "parent": [None, parent.code]},
        actor=by,
    )
    return area


# --- grid boundaries from GeoJSON -------------------------------------------------------


@dataclass
class FeatureOutcome:
    index: int
    code: str
    name: str
    action: str  # "create" | "update" | "unchanged"
    geometry: dict[str, Any]
    area_m2: float


@dataclass
class BoundaryImport:
    community: Area
    outcomes: list[FeatureOutcome] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors and bool(self.outcomes)

    def count(self, action: str) -> int:
        return sum(1 for o in self.outcomes if o.action == action)


def _label(index: int, props: dict[str, Any]) -> str:
    code = props.get("code") or ""
    name = props.get("name") or ""
    detail = " ".join(str(x) for x in (code, name) if x)
    return _("Feature %(n)d") % {"n": index + 1} + (f"（{detail}）" if detail else "")


def _coordinates_in_china(geometry: dict[str, Any]) -> bool:
    def points(value: Any):  # type: ignore[no-untyped-def]
        if isinstance(value, (list, tuple)) and value and isinstance(value[0], (int, float)):
            yield value
        elif isinstance(value, (list, tuple)):
            for item in value:
                yield from points(item)

    lon0, lat0, lon1, lat1 = CHINA_BOUNDS
    return all(
        len(p) >= 2 and lon0 <= float(p[0]) <= lon1 and lat0 <= float(p[1]) <= lat1
        for p in points(geometry["coordinates"])
    )


def check_grid_boundaries(*, community: Area, text: str, create_missing: bool = True) -> BoundaryImport:
    """Validate a GeoJSON FeatureCollection of one community's grids; change nothing."""
    result = BoundaryImport(community=community)
    errors = result.errors
    tolerance = settings.GRID_OVERLAP_TOLERANCE_M2
    try:
        data = json.loads(text)
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        errors.append(
            _("The file is not valid JSON (line %(line)s): %(msg)s") % {"line": getattr(exc, "lineno", "?"), "msg": exc}
        )
        return result
    if (
        not isinstance(data, dict)
        or data.get("type") != "FeatureCollection"
        or not isinstance(data.get("features"), list)
    ):
        errors.append(_("The file must be a GeoJSON FeatureCollection with a list of features (one per grid)."))
        return result
    if not data["features"]:
        errors.append(_("The FeatureCollection has no features."))
        return result

    existing = {a.code: a for a in Area.objects.filter(parent=community, level=AreaLevel.GRID)}
    seen: dict[str, int] = {}
    shapes = []
    for index, feature in enumerate(data["features"]):
        props = (feature or {}).get("properties") or {}
        label = _label(index, props)
        geometry = (feature or {}).get("geometry")
        code = str(props.get("code") or "").strip()
        if not code:
            errors.append(_("%(f)s has no “code” property (the 15-digit grid code).") % {"f": label})
        elif not code.isdigit() or len(code) != 15:
            errors.append(_("%(f)s: the grid code must be 15 digits.") % {"f": label})
        elif not code.startswith(community.code):
            errors.append(
                _("%(f)s: the grid code must start with the community code %(code)s.")
                % {"f": label, "code": community.code}
            )
        elif code in seen:
            errors.append(_("%(f)s: the code %(code)s appears twice in the file.") % {"f": label, "code": code})
        else:
            seen[code] = index
            other = Area.objects.filter(code=code).exclude(parent=community).first()
            if other is not None:
                errors.append(
                    _("%(f)s: the code %(code)s belongs to %(name)s, outside this community.")
                    % {"f": label, "code": code, "name": other.name}
                )
        if not isinstance(geometry, dict) or "coordinates" not in geometry:
            errors.append(_("%(f)s has no geometry.") % {"f": label})
            continue
        if geometry.get("type") not in ("Polygon", "MultiPolygon"):
            errors.append(
                _("%(f)s: the geometry must be a Polygon or MultiPolygon, not %(t)s.")
                % {"f": label, "t": geometry.get("type")}
            )
            continue
        try:
            shape = to_shape(geometry)
        except (ValueError, TypeError, AttributeError, IndexError):
            errors.append(_("%(f)s: the coordinates cannot be read as a polygon.") % {"f": label})
            continue
        if not _coordinates_in_china(geometry):
            errors.append(
                _(
                    "%(f)s: coordinates must be longitude, latitude in degrees (WGS84) inside China; "
                    "check that they are not swapped or projected."
                )
                % {"f": label}
            )
            continue
        if shape.is_empty or not shape.is_valid:
            reason = explain_validity(shape)
            errors.append(
                _("%(f)s is not a valid polygon (%(why)s): fix self-intersections or unclosed rings.")
                % {"f": label, "why": reason}
            )
            continue
        name = str(props.get("name") or "").strip() or (existing[code].name if code in existing else "")
        if not name and code[-3:].isdigit():
            name = f"{community.name}第{int(code[-3:])}网格"
        if code and code not in existing and not create_missing:
            errors.append(_("%(f)s: there is no grid %(code)s in this community.") % {"f": label, "code": code})
        if code not in existing:
            action = "create"
        elif existing[code].boundary == geometry and existing[code].name == name:
            action = "unchanged"
        else:
            action = "update"
        result.outcomes.append(FeatureOutcome(index, code, name, action, geometry, square_metres(shape)))
        shapes.append((label, shape))

    # Grids of the community that the file does not mention keep their boundary and take part in the checks.
    for code, area in existing.items():
        if code not in seen and area.boundary:
            shapes.append(
                (_("existing grid %(name)s (%(code)s)") % {"name": area.name, "code": code}, to_shape(area.boundary))
            )
            result.warnings.append(
                _("Grid %(code)s %(name)s is not in the file and keeps its boundary.")
                % {"code": code, "name": area.name}
            )

    geoms = [s for _label_, s in shapes]
    tree = STRtree(geoms)
    for i, j in zip(*tree.query(geoms, predicate="intersects"), strict=True):
        if i < j:
            overlap = square_metres(geoms[i].intersection(geoms[j]))
            if overlap > tolerance:
                errors.append(
                    _("%(a)s and %(b)s overlap by about %(m2).0f m² (allowed: %(tol).0f m²).")
                    % {"a": shapes[i][0], "b": shapes[j][0], "m2": overlap, "tol": tolerance}
                )
    if community.boundary:
        outline = to_shape(community.boundary)
        for label, shape in shapes[: len(result.outcomes)]:
            outside = square_metres(shape.difference(outline))
            if outside > tolerance:
                errors.append(
                    _("%(f)s extends about %(m2).0f m² beyond the boundary of %(community)s.")
                    % {"f": label, "m2": outside, "community": community.name}
                )
    else:
        result.warnings.append(
            _("%(name)s has no boundary yet, so grids were not checked against it.") % {"name": community.name}
        )
    return result


@transaction.atomic
def import_grid_boundaries(*, community: Area, text: str, by: Any, create_missing: bool = True) -> BoundaryImport:
    """Validate, then apply all or nothing. Rebuilds the map features in a job."""
    from civicgrid.areas.tasks import rebuild_map_features

    result = check_grid_boundaries(community=community, text=text, create_missing=create_missing)
    if not result.ok:
        return result
    for outcome in result.outcomes:
        if outcome.action == "unchanged":
            continue
        fields = {"boundary": outcome.geometry, "name": outcome.name, **bbox_fields(to_shape(outcome.geometry))}
        if outcome.action == "create":
            area = Area.objects.create(code=outcome.code, level=AreaLevel.GRID, parent=community, **fields)
            before: dict[str, Any] = {}
        else:
            area = Area.objects.select_for_update().get(code=outcome.code)
            before = {"name": area.name, "boundary": area.boundary}
            for key, value in fields.items():
                setattr(area, key, value)
            area.version += 1
            area.save()
        audit.record(
            action=outcome.action,
            object_type="area_boundary",
            object_id=area.pk,
            object_repr=f"{area.name} ({area.code})",
            area_code=area.code,
            changes=audit.diff(before, {"name": area.name, "boundary": area.boundary}),
            actor=by,
        )
    rebuild_map_features.enqueue(area_codes=[community.code])
    return result


def grids_geojson(community: Area) -> dict[str, Any]:
    """The community's grids as a FeatureCollection (the upload format)."""
    features = [
        {"type": "Feature", "properties": {"code": g.code, "name": g.name}, "geometry": g.boundary}
        for g in Area.objects.filter(parent=community, level=AreaLevel.GRID).order_by("code")
        if g.boundary
    ]
    return {"type": "FeatureCollection", "features": features}
