"""Changes to the area tree. Every change is audited in the same transaction."""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from shapely import STRtree, make_valid
from shapely.errors import GEOSException
from shapely.geometry.base import BaseGeometry
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
    if all(before.get(key) == value for key, value in fields.items()):
        # Nothing to change: still refuse a stale form, but write nothing.
        if not Area.objects.filter(pk=area.pk, version=expected_version).exists():
            raise AreaConflict(_("Someone else changed this area in the meantime. Reload the page and try again."))
        return area
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
    """How an error names a feature: its position in the file, then its code and name if any."""
    code = props.get("code") or ""
    name = props.get("name") or ""
    detail = " ".join(str(x) for x in (code, name) if x)
    return _("Feature %(n)d") % {"n": index + 1} + (f"（{detail}）" if detail else "")


def _points(value: Any) -> Iterator[list[Any]]:
    if isinstance(value, (list, tuple)) and value and not isinstance(value[0], (list, tuple)):
        yield list(value)
    elif isinstance(value, (list, tuple)):
        for item in value:
            yield from _points(item)


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


def _in_china(lon: float, lat: float) -> bool:
    lon0, lat0, lon1, lat1 = CHINA_BOUNDS
    return lon0 <= lon <= lon1 and lat0 <= lat <= lat1


def _coordinate_problem(geometry: dict[str, Any]) -> str | None:
    """Why the coordinates are not WGS84 longitude/latitude inside China, or None if they are."""
    points = list(_points(geometry.get("coordinates")))
    if not points or any(len(p) < 2 or not all(_is_number(v) for v in p) for p in points):
        return _("each point must be a pair of numbers [longitude, latitude]")
    if any(abs(p[0]) > 180 or abs(p[1]) > 90 for p in points):
        if all(_in_china(p[1], p[0]) for p in points):
            return _(
                "a latitude is above 90°; longitude and latitude look swapped — write each point as "
                "[longitude, latitude], e.g. [120.6, 31.3]"
            )
        return _(
            "the values are out of range for degrees (longitude −180…180, latitude −90…90); "
            "they look like projected metres — convert to WGS84 longitude/latitude"
        )
    if all(_in_china(p[0], p[1]) for p in points):
        return None
    if all(_in_china(p[1], p[0]) for p in points):
        return _("longitude and latitude look swapped — write each point as [longitude, latitude], e.g. [120.6, 31.3]")
    return _("some points lie outside China (longitude 73–136° E, latitude 3–54° N)")


# GEOS reasons from shapely's explain_validity, in the words a GIS user understands.
VALIDITY_REASONS = {
    "Self-intersection": gettext_lazy("the boundary crosses itself (self-intersection)"),
    "Ring Self-intersection": gettext_lazy("a ring touches itself (ring self-intersection)"),
    "Too few points in geometry component": gettext_lazy("a ring has too few points (at least 4, first = last)"),
    "Hole lies outside shell": gettext_lazy("a hole lies outside the outer ring"),
    "Holes are nested": gettext_lazy("a hole lies inside another hole"),
    "Interior is disconnected": gettext_lazy("the interior is split in pieces by its holes"),
    "Nested shells": gettext_lazy("one part of the MultiPolygon lies inside another"),
    "Duplicate Rings": gettext_lazy("a ring appears twice"),
    "Invalid Coordinate": gettext_lazy("a coordinate is not a number"),
    "Ring is not closed": gettext_lazy("a ring is not closed (its last point must equal its first)"),
}


def explain_invalid_polygon(shape: BaseGeometry) -> str:
    """shapely's explain_validity (e.g. "Self-intersection[120.6 31.28]") in Chinese, with the location."""
    raw = explain_validity(shape)
    match = re.match(r"^(?P<reason>[^\[]+?)\s*(?:\[(?P<x>[-\d.eE]+)\s+(?P<y>[-\d.eE]+)\])?$", raw)
    if not match:
        return raw
    reason = str(VALIDITY_REASONS.get(match["reason"], match["reason"]))
    if match["x"] is None:
        return reason
    return _("%(reason)s near longitude %(x)s, latitude %(y)s") % {
        "reason": reason,
        "x": match["x"],
        "y": match["y"],
    }


def _repaired(geometry: dict[str, Any]) -> BaseGeometry:
    """A stored boundary as a shape fit for overlap arithmetic, even if it was saved invalid."""
    shape = to_shape(geometry)
    return shape if shape.is_valid else make_valid(shape)


def check_grid_boundaries(*, community: Area, text: str, create_missing: bool = True) -> BoundaryImport:
    """Validate a GeoJSON FeatureCollection of one community's grids; change nothing."""
    result = BoundaryImport(community=community)
    errors = result.errors
    tolerance = settings.GRID_OVERLAP_TOLERANCE_M2
    try:
        data = json.loads(text)
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        errors.append(
            _(
                "The file is not valid JSON (problem at line %(line)s, column %(col)s). "
                "Export it again as GeoJSON from your GIS tool, or check for a missing comma or quote."
            )
            % {"line": getattr(exc, "lineno", "?"), "col": getattr(exc, "colno", "?")}
        )
        return result
    if (
        not isinstance(data, dict)
        or data.get("type") != "FeatureCollection"
        or not isinstance(data.get("features"), list)
    ):
        found = data.get("type") if isinstance(data, dict) else type(data).__name__
        errors.append(
            _(
                "The file must be a GeoJSON FeatureCollection with a list of features (one per grid); "
                "this one is “%(found)s”."
            )
            % {"found": found or "?"}
        )
        return result
    if not data["features"]:
        errors.append(_("The FeatureCollection has no features."))
        return result

    existing = {a.code: a for a in Area.objects.filter(parent=community, level=AreaLevel.GRID)}
    seen: dict[str, int] = {}
    shapes = []
    for index, feature in enumerate(data["features"]):
        if not isinstance(feature, dict) or feature.get("type") != "Feature":
            errors.append(_("%(f)s is not a GeoJSON Feature.") % {"f": _label(index, {})})
            continue
        props = feature.get("properties")
        props = props if isinstance(props, dict) else {}
        label = _label(index, props)
        geometry = feature.get("geometry")
        code = str(props.get("code") or "").strip()
        if not code:
            errors.append(_("%(f)s has no “code” property (the 15-digit grid code).") % {"f": label})
        elif not code.isdigit() or len(code) != 15:
            errors.append(
                _("%(f)s: the grid code must be 15 digits (the community code %(code)s plus 3 digits).")
                % {"f": label, "code": community.code}
            )
        elif not code.startswith(community.code):
            errors.append(
                _("%(f)s: the grid code must start with the community code %(code)s.")
                % {"f": label, "code": community.code}
            )
        elif code in seen:
            errors.append(
                _("%(f)s: the code %(code)s appears twice in the file (first as feature %(first)d).")
                % {"f": label, "code": code, "first": seen[code] + 1}
            )
        else:
            seen[code] = index
        if not isinstance(geometry, dict) or "coordinates" not in geometry:
            errors.append(_("%(f)s has no geometry.") % {"f": label})
            continue
        if geometry.get("type") not in ("Polygon", "MultiPolygon"):
            errors.append(
                _("%(f)s: the geometry must be a Polygon or MultiPolygon, not %(t)s.")
                % {"f": label, "t": geometry.get("type")}
            )
            continue
        problem = _coordinate_problem(geometry)
        if problem:
            errors.append(
                _("%(f)s: the coordinates must be WGS84 longitude, latitude in degrees inside China: %(why)s.")
                % {"f": label, "why": problem}
            )
            continue
        try:
            shape = to_shape(geometry)
        except (ValueError, TypeError, AttributeError, IndexError, GEOSException):
            errors.append(_("%(f)s: the coordinates cannot be read as a polygon.") % {"f": label})
            continue
        if shape.is_empty:
            errors.append(_("%(f)s: the polygon has no points.") % {"f": label})
            continue
        if not shape.is_valid:
            errors.append(
                _("%(f)s is not a valid polygon: %(why)s. Fix it in your GIS tool and upload again.")
                % {"f": label, "why": explain_invalid_polygon(shape)}
            )
            continue
        name = str(props.get("name") or "").strip() or (existing[code].name if code in existing else "")
        if not name and code.isdigit():
            name = _("Grid %(n)d") % {"n": int(code[-3:])}
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

    new_codes = [c for c in seen if c not in existing]
    for other in Area.objects.filter(code__in=new_codes).select_related("parent"):
        errors.append(
            _("Feature %(n)d: the code %(code)s is already used by %(name)s, outside this community.")
            % {"n": seen[other.code] + 1, "code": other.code, "name": other.name}
        )

    # Grids of the community that the file does not mention keep their boundary and take part in the checks.
    n_in_file = len(shapes)
    for code, area in existing.items():
        if code not in seen and area.boundary:
            shapes.append(
                (_("existing grid %(name)s (%(code)s)") % {"name": area.name, "code": code}, _repaired(area.boundary))
            )
            result.warnings.append(
                _("Grid %(code)s %(name)s is not in the file and keeps its boundary.")
                % {"code": code, "name": area.name}
            )

    geoms = [s for _label_, s in shapes]
    tree = STRtree(geoms)
    for i, j in zip(*tree.query(geoms, predicate="intersects"), strict=True):
        if i < j and i < n_in_file:
            overlap = square_metres(geoms[i].intersection(geoms[j]))
            if overlap > tolerance:
                errors.append(
                    _(
                        "%(a)s and %(b)s overlap by about %(m2).0f m² (allowed: %(tol).0f m²). "
                        "Adjust the shared edge so that the grids do not cover the same ground."
                    )
                    % {"a": shapes[i][0], "b": shapes[j][0], "m2": overlap, "tol": tolerance}
                )
    if community.boundary:
        outline = _repaired(community.boundary)
        for label, shape in shapes[:n_in_file]:
            outside = square_metres(shape.difference(outline))
            if outside > tolerance:
                errors.append(
                    _("%(f)s extends about %(m2).0f m² beyond the boundary of %(community)s (allowed: %(tol).0f m²).")
                    % {"f": label, "m2": outside, "community": community.name, "tol": tolerance}
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

    # Serialise uploads for one community, so two confirmations cannot both create the same grid.
    Area.objects.select_for_update().filter(pk=community.pk).exists()
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
    # Dwellings, buildings, organizations and facilities follow the new boundaries (a job, with a report).
    from civicgrid.places.tasks import reassign_after_boundary_change

    reassign_after_boundary_change.enqueue(community.code)
    return result
