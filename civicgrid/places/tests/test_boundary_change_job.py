"""After a community's grid boundaries change, a job moves places and keeps a report."""

import json

from civicgrid.areas.services import import_grid_boundaries
from civicgrid.places.models import Dwelling, GridAssignmentRun
from civicgrid.places.tasks import reassign_after_boundary_change
from civicgrid.places.tests.conftest import make_dwelling, make_person


def rect(w, s, e, n):
    return {"type": "Polygon", "coordinates": [[[w, s], [e, s], [e, n], [w, n], [w, s]]]}


def move_the_border(district):
    """Shrink grid A1-1 to 120.600–120.605 and grow A1-2 west to meet it."""
    text = json.dumps({"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"code": district.grid_a1.code, "name": district.grid_a1.name},
         "geometry": rect(120.600, 31.28, 120.605, 31.29)},
        {"type": "Feature", "properties": {"code": district.grid_a2.code, "name": district.grid_a2.name},
         "geometry": rect(120.605, 31.28, 120.62, 31.29)},
    ]})  # fmt: skip
    result = import_grid_boundaries(community=district.comm_a, text=text, by=district.admin)
    assert result.ok


def test_boundary_upload_moves_dwellings_across_the_new_border_with_their_residents(district):
    stays = make_dwelling(district.grid_a1, (120.602, 31.285), room="1")
    moves = make_dwelling(district.grid_a1, (120.607, 31.285), room="2")
    resident = make_person(district.grid_a1, moves)
    move_the_border(district)  # the boundary upload enqueues the reassignment job itself
    assert Dwelling.objects.get(pk=stays.pk).area == district.grid_a1
    assert Dwelling.objects.get(pk=moves.pk).area == district.grid_a2
    resident.refresh_from_db()
    assert resident.area == district.grid_a2


def test_report_page_shows_what_moved(district, login):
    moves = make_dwelling(district.grid_a1, (120.607, 31.285), room="2")
    move_the_border(district)  # the boundary upload enqueues the reassignment job itself
    run = GridAssignmentRun.objects.get()
    assert run.trigger == "boundary_change" and run.scope_code == district.comm_a.code
    client = login(district.community_a)
    assert run.started_at.strftime("%Y-%m-%d") in client.get("/places/grid-assignment/").content.decode()
    page = client.get(f"/places/grid-assignment/{run.pk}/").content.decode()
    assert moves.address in page
    assert district.grid_a2.code in page


def test_report_is_hidden_from_other_areas(district, login):
    make_dwelling(district.grid_a1, (120.607, 31.285), room="2")
    move_the_border(district)  # the boundary upload enqueues the reassignment job itself
    run = GridAssignmentRun.objects.get()
    assert login(district.worker_b1).get(f"/places/grid-assignment/{run.pk}/").status_code == 404


def test_grid_worker_sees_only_moves_touching_their_grid(district, login):
    move_the_border(district)
    # a dwelling that moves between the B grids (outside worker A1's view)
    other = make_dwelling(district.grid_b1, (120.655, 31.285), room="7")
    reassign_after_boundary_change.enqueue(district.comm_b.code)
    run = GridAssignmentRun.objects.filter(scope_code=district.comm_b.code).get()
    page = login(district.street_b).get(f"/places/grid-assignment/{run.pk}/").content.decode()
    assert other.address in page
    assert login(district.worker_a1).get(f"/places/grid-assignment/{run.pk}/").status_code == 404
