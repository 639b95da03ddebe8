"""Background jobs of the places app (Django tasks API, run by huey)."""

from __future__ import annotations

from django_tasks import task

from civicgrid.places.services import run_grid_assignment


@task()
def reassign_after_boundary_change(community_code: str) -> dict:
    """Re-run point-in-polygon assignment around a community whose grid boundaries changed.

    Moves dwellings (with their residents and households), buildings,
    organizations and facilities; the run and what moved is kept as a
    GridAssignmentRun (see /places/grid-assignment/). Returns the counts.
    """
    reports = run_grid_assignment(community_code=community_code, trigger="boundary_change")
    return {r.object_type: r.counts() for r in reports}
