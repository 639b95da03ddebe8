"""Boundary geometry: GeoJSON in, shapely for checks, pre-serialised map features out.

Stored coordinates are WGS84/CGCS2000 longitude/latitude. Conversion to
GCJ-02 happens only for display, when the configured tile layer needs it.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable
from typing import Any

from shapely.geometry import mapping, shape
from shapely.geometry.base import BaseGeometry

from civicgrid.areas.models import Area

# A colour-blind-friendly qualitative palette; communities cycle through it.
PALETTE = [
    "#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f",
    "#edc948", "#b07aa1", "#ff9da7", "#9c755f", "#bab0ac",
]  # fmt: skip


def to_shape(geometry: dict[str, Any]) -> BaseGeometry:
    return shape(geometry)


def bbox_fields(geom: BaseGeometry) -> dict[str, float]:
    """The Area columns derived from a boundary: bbox and a point inside it."""
    min_lon, min_lat, max_lon, max_lat = geom.bounds
    inside = geom.representative_point()
    return {
        "min_lon": min_lon,
        "min_lat": min_lat,
        "max_lon": max_lon,
        "max_lat": max_lat,
        "center_lon": inside.x,
        "center_lat": inside.y,
    }


def square_metres(geom: BaseGeometry) -> float:
    """Approximate area in m² of a small lon/lat geometry (local equirectangular)."""
    if geom.is_empty:
        return 0.0
    lat = math.radians(geom.centroid.y)
    metres_per_degree = 111_320.0
    return geom.area * metres_per_degree * metres_per_degree * math.cos(lat)


def _rounded(geometry: dict[str, Any], places: int = 6) -> dict[str, Any]:
    def walk(value: Any) -> Any:
        if isinstance(value, (list, tuple)):
            if value and isinstance(value[0], (int, float)):
                return [round(float(v), places) for v in value]
            return [walk(v) for v in value]
        return value

    return {"type": geometry["type"], "coordinates": walk(geometry["coordinates"])}


def community_colour(community_code: str, ordered_codes: list[str]) -> str:
    try:
        index = ordered_codes.index(community_code)
    except ValueError:
        index = int(community_code[-3:] or 0)
    return PALETTE[index % len(PALETTE)]


def build_map_feature(area: Area, colour: str) -> str:
    """The GeoJSON Feature (as text) the map draws for one area."""
    if not area.boundary:
        return ""
    geom = to_shape(area.boundary).simplify(0.00001, preserve_topology=True)
    feature = {
        "type": "Feature",
        "id": area.code,
        "geometry": _rounded(mapping(geom)),
        "properties": {
            "code": area.code,
            "name": area.name,
            "level": area.level,
            "community": area.code[:12],
            "colour": colour,
        },
    }
    return json.dumps(feature, ensure_ascii=False, separators=(",", ":"))


def refresh_map_features(areas: Iterable[Area] | None = None) -> int:
    """Rebuild ``Area.map_feature`` for the given areas (all areas with a boundary if None).

    Colours are per community, in code order within the district, so
    neighbouring communities differ and a grid keeps its colour between runs.
    """
    if areas is None:
        areas = Area.objects.exclude(boundary=None).only("id", "code", "name", "level", "boundary")
    community_codes = list(Area.objects.filter(level="community").order_by("code").values_list("code", flat=True))
    changed = []
    count = 0
    for area in areas:
        count += 1
        colour = community_colour(area.code[:12], community_codes)
        area.map_feature = build_map_feature(area, colour)
        changed.append(area)
        if len(changed) >= 500:
            Area.objects.bulk_update(changed, ["map_feature"])
            changed = []
    if changed:
        Area.objects.bulk_update(changed, ["map_feature"])
    return count


def to_gcj02_feature(feature_text: str) -> str:
    """A cached WGS84 feature converted to GCJ-02 for Amap/Tencent-style tiles (display only)."""
    import prcoords

    feature = json.loads(feature_text)

    def convert(value: Any) -> Any:
        if value and isinstance(value[0], (int, float)):
            shifted = prcoords.wgs_gcj((value[1], value[0]), check_china=False)
            return [round(shifted.lon, 6), round(shifted.lat, 6)]
        return [convert(v) for v in value]

    feature["geometry"]["coordinates"] = convert(feature["geometry"]["coordinates"])
    return json.dumps(feature, ensure_ascii=False, separators=(",", ":"))
