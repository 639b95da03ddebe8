"""Point-in-polygon grid assignment of dwellings and other places."""

from __future__ import annotations

from civicgrid.core.models import AuditEvent
from civicgrid.people.models import Household
from civicgrid.places.models import Building, Dwelling, Facility, GridAssignmentRun, Organization
from civicgrid.places.services import OUTSIDE, assign_dwellings_to_grids, assign_to_grids
from civicgrid.places.tests.conftest import IN_A1, IN_A2, IN_B2, NOWHERE, make_dwelling, make_person


def test_dwelling_is_put_in_the_grid_that_contains_its_point(district):
    dwelling = make_dwelling(district.grid_a1, IN_A2)
    report = assign_dwellings_to_grids()
    dwelling.refresh_from_db()
    assert dwelling.area == district.grid_a2
    assert report.moved_count == 1
    assert report.moved[0]["from"] == district.grid_a1.code
    assert report.moved[0]["to"] == district.grid_a2.code
    assert report.moved[0]["label"] == dwelling.address


def test_dwellings_in_many_grids_each_find_their_own(district):
    rows = [make_dwelling(district.grid_a1, p, room=str(i)) for i, p in enumerate([IN_A1, IN_A2, IN_B2])]
    assign_dwellings_to_grids()
    assert [Dwelling.objects.get(pk=d.pk).area_id for d in rows] == [
        district.grid_a1.pk,
        district.grid_a2.pk,
        district.grid_b2.pk,
    ]


def test_dwelling_with_grid_set_by_hand_is_not_moved(district):
    dwelling = make_dwelling(district.grid_a1, IN_B2, fixed=True)
    report = assign_dwellings_to_grids()
    dwelling.refresh_from_db()
    assert dwelling.area == district.grid_a1
    assert report.moved_count == 0
    assert report.fixed == 1


def test_point_outside_every_grid_is_reported_and_left_alone(district):
    dwelling = make_dwelling(district.grid_a1, NOWHERE)
    report = assign_dwellings_to_grids()
    dwelling.refresh_from_db()
    assert dwelling.area == district.grid_a1
    assert report.outside == [
        {
            "type": "dwelling",
            "id": dwelling.pk,
            "label": dwelling.address,
            "from": district.grid_a1.code,
            "reason": OUTSIDE,
        }
    ]
    assert report.run.problems[0]["reason"] == "不在任何网格内"


def test_point_on_the_shared_edge_of_two_grids_still_gets_a_grid(district):
    dwelling = make_dwelling(district.grid_b1, (120.61, 31.285))
    report = assign_dwellings_to_grids()
    dwelling.refresh_from_db()
    assert dwelling.area_id in (district.grid_a1.pk, district.grid_a2.pk)
    assert report.outside == []


def test_point_in_overlapping_grids_goes_to_the_smaller_and_is_reported(district):
    from civicgrid.areas.models import Area
    from civicgrid.testing.factories import square

    small = Area.objects.create(
        code="320508001001003", name="小网格", level="grid", parent=district.comm_a,
        boundary=square(120.604, 31.284, 0.002),
        min_lon=120.604, min_lat=31.284, max_lon=120.606, max_lat=31.286,
    )  # fmt: skip
    dwelling = make_dwelling(district.grid_a1, IN_A1)
    report = assign_dwellings_to_grids()
    dwelling.refresh_from_db()
    assert dwelling.area == small
    assert [o["id"] for o in report.overlaps] == [dwelling.pk]


def test_residents_and_household_follow_their_dwelling(district):
    dwelling = make_dwelling(district.grid_a1, IN_A2)
    household = Household.objects.create(area=district.grid_a1, dwelling=dwelling, number="H1")
    person = make_person(district.grid_a1, dwelling, household=household)
    report = assign_dwellings_to_grids()
    person.refresh_from_db()
    household.refresh_from_db()
    assert person.area == district.grid_a2
    assert household.area == district.grid_a2
    assert (report.persons_moved, report.households_moved) == (1, 1)


def test_residents_of_dwellings_that_stay_are_not_touched(district):
    dwelling = make_dwelling(district.grid_a1, IN_A1)
    person = make_person(district.grid_a1, dwelling)
    version = person.version
    assign_dwellings_to_grids()
    person.refresh_from_db()
    assert person.version == version


def test_second_run_moves_nothing(district):
    make_dwelling(district.grid_a1, IN_A2)
    make_dwelling(district.grid_a2, IN_B2, room="2")
    assert assign_dwellings_to_grids().moved_count == 2
    again = assign_dwellings_to_grids()
    assert again.moved_count == 0
    assert again.unchanged == 2


def test_each_run_writes_one_summary_audit_event(district):
    make_dwelling(district.grid_a1, IN_A2)
    make_dwelling(district.grid_a1, IN_B2, room="2")
    before = AuditEvent.objects.filter(object_type="grid_assignment").count()
    report = assign_dwellings_to_grids(by=district.admin)
    events = AuditEvent.objects.filter(object_type="grid_assignment")
    assert events.count() == before + 1
    event = events.latest("id")
    assert event.action == "update"
    assert event.changes["dwelling"]["moved"] == 2
    assert GridAssignmentRun.objects.get(pk=report.run.pk).counts["dwelling"]["moved"] == 2


def test_dwellings_without_a_point_are_counted_not_moved(district):
    dwelling = make_dwelling(district.grid_a1, None)
    report = assign_dwellings_to_grids()
    dwelling.refresh_from_db()
    assert dwelling.area == district.grid_a1
    assert report.without_point == 1


def test_only_the_given_dwellings_are_looked_at(district):
    one = make_dwelling(district.grid_a1, IN_A2, room="1")
    other = make_dwelling(district.grid_a1, IN_A2, room="2")
    assign_dwellings_to_grids(dwellings=Dwelling.objects.filter(pk=one.pk))
    assert Dwelling.objects.get(pk=one.pk).area == district.grid_a2
    assert Dwelling.objects.get(pk=other.pk).area == district.grid_a1


def test_moving_a_dwelling_bumps_its_version(district):
    dwelling = make_dwelling(district.grid_a1, IN_A2)
    assign_dwellings_to_grids()
    assert Dwelling.objects.get(pk=dwelling.pk).version == dwelling.version + 1


def test_buildings_organizations_and_facilities_are_assigned_the_same_way(district):
    building = Building.objects.create(area=district.grid_a1, lon=IN_B2[0], lat=IN_B2[1], number="1幢")
    org = Organization.objects.create(area=district.grid_a1, lon=IN_A2[0], lat=IN_A2[1], name="店", kind="shop")
    fac = Facility.objects.create(area=district.grid_a1, lon=IN_A2[0], lat=IN_A2[1], name="井盖", kind="component")
    for model in (Building, Organization, Facility):
        assert assign_to_grids(model=model).moved_count == 1
    assert Building.objects.get(pk=building.pk).area == district.grid_b2
    assert Organization.objects.get(pk=org.pk).area == district.grid_a2
    assert Facility.objects.get(pk=fac.pk).area == district.grid_a2
