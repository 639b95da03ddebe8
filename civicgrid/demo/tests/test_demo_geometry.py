"""The demo district's boundaries: valid, tiling their parents, numbered west→east, north→south."""

from __future__ import annotations

from itertools import combinations, pairwise

import pytest
from shapely.geometry import shape
from shapely.ops import unary_union

from civicgrid.areas.models import Area

from .conftest import grids_by_community

pytestmark = pytest.mark.django_db
TINY = 1e-12  # square degrees, about 0.01 m²


def _children(parent: Area) -> list[Area]:
    return list(Area.objects.filter(parent=parent).order_by("code"))


def test_every_boundary_is_a_valid_polygon(demo):
    for area in Area.objects.all():
        geom = shape(area.boundary)
        assert geom.geom_type == "Polygon" and geom.is_valid and geom.area > 0, area.code


def test_district_is_about_eight_by_eight_kilometres_around_gusu(demo):
    min_lon, min_lat, max_lon, max_lat = shape(demo.boundary).bounds
    assert 7_500 < (max_lon - min_lon) * 95_000 < 8_500
    assert 7_500 < (max_lat - min_lat) * 111_000 < 8_500
    assert abs((min_lon + max_lon) / 2 - 120.62) < 0.01 and abs((min_lat + max_lat) / 2 - 31.31) < 0.01


def test_sibling_grids_do_not_overlap(demo):
    for grids in grids_by_community().values():
        for a, b in combinations(grids, 2):
            assert shape(a.boundary).intersection(shape(b.boundary)).area < TINY, (a.code, b.code)


def test_every_area_lies_inside_its_parent(demo):
    for area in Area.objects.exclude(parent=None).select_related("parent"):
        assert shape(area.boundary).within(shape(area.parent.boundary).buffer(1e-9)), area.code


def test_children_tile_their_parent_without_gaps_or_overlaps(demo):
    for parent in Area.objects.exclude(level="grid"):
        children = [shape(child.boundary) for child in _children(parent)]
        outline = shape(parent.boundary)
        # Vertices are stored to 1e-10 degree: allow a rounding error of a millionth of a percent.
        tolerance = outline.area * 1e-8
        assert abs(sum(c.area for c in children) - outline.area) < tolerance, parent.code
        assert unary_union(children).symmetric_difference(outline).area < tolerance, parent.code


def test_first_grid_of_each_community_is_the_north_west_one(demo):
    for grids in grids_by_community().values():
        first = shape(grids[0].boundary).centroid
        for grid in grids[1:]:
            other = shape(grid.boundary).centroid
            assert not (other.x < first.x and other.y > first.y), grid.code


def test_grids_are_numbered_west_to_east_then_north_to_south(demo):
    for grids in grids_by_community().values():
        centres = [shape(g.boundary).centroid for g in grids]
        row_starts = [centres[0]]
        for previous, current in pairwise(centres):
            if current.x < previous.x:  # a new row begins further south
                assert current.y < row_starts[-1].y
                row_starts.append(current)
            else:
                assert abs(current.y - previous.y) < abs(current.x - previous.x) * 3
