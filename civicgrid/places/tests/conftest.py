"""Places on top of the shared ``district`` fixture (grids are 0.01° squares:
A1-1 from 120.60, A1-2 from 120.61, B1-1 from 120.64, B1-2 from 120.65; all from 31.28)."""

from __future__ import annotations

import pytest

from civicgrid.people.models import Household, Person
from civicgrid.places.models import Building, Dwelling, Facility, Organization

# A point inside each fixture grid
IN_A1 = (120.605, 31.285)
IN_A2 = (120.615, 31.285)
IN_B1 = (120.645, 31.285)
IN_B2 = (120.655, 31.285)
NOWHERE = (120.70, 31.20)
VALID_CREDIT_CODE = "91320508MA1MXXXX0X"  # replaced in fixtures by a computed one


def credit_code(body: str = "91320508MA1N2P3Q4") -> str:
    from stdnum.cn import uscc

    return body + uscc.calc_check_digit(body)


def make_dwelling(area, point=None, *, room: str = "101", fixed: bool = False, **extra) -> Dwelling:
    lon, lat = point or (None, None)
    return Dwelling.objects.create(
        area=area,
        lon=lon,
        lat=lat,
        estate="桃花苑",
        building_no="1",
        room_no=room,
        address=f"桃花苑1幢{room}室",
        grid_fixed=fixed,
        **extra,
    )


def make_person(area, dwelling: Dwelling | None = None, name: str = "张三", household=None) -> Person:
    return Person.objects.create(
        area=area, name=name, residency_kind="registered", dwelling=dwelling, household=household
    )


@pytest.fixture
def places(district):
    d = district
    return {
        "d1": make_dwelling(d.grid_a1, IN_A1, room="101"),
        "d2": make_dwelling(d.grid_b1, IN_B1, room="201"),
        "org_a": Organization.objects.create(
            area=d.grid_a1, lon=IN_A1[0], lat=IN_A1[1], name="平江小吃店", kind="nine_small"
        ),
        "org_b": Organization.objects.create(
            area=d.grid_b1, lon=IN_B1[0], lat=IN_B1[1], name="南门五金店", kind="shop"
        ),
        "fac_a": Facility.objects.create(
            area=d.grid_a1, lon=IN_A1[0], lat=IN_A1[1], name="平江避难所", kind="shelter", capacity=300
        ),
        "fac_b": Facility.objects.create(area=d.grid_b1, lon=IN_B1[0], lat=IN_B1[1], name="南门摄像头", kind="camera"),
        "bld_a": Building.objects.create(area=d.grid_a1, lon=IN_A1[0], lat=IN_A1[1], estate="桃花苑", number="1幢"),
        "bld_b": Building.objects.create(area=d.grid_b1, lon=IN_B1[0], lat=IN_B1[1], estate="南门新村", number="3幢"),
    }


__all__ = ["Household", "credit_code", "make_dwelling", "make_person"]
