"""Background jobs of the areas app (Django tasks API, run by huey)."""

from __future__ import annotations

from django_tasks import task

from civicgrid.areas.geometry import refresh_map_features
from civicgrid.areas.models import Area


@task()
def rebuild_map_features(area_codes: list[str] | None = None) -> int:
    """Regenerate the map's cached GeoJSON features after boundaries change.

    ``area_codes``: prefixes to rebuild (e.g. one community's code); all if None.
    Returns the number of areas rebuilt.
    """
    if not area_codes:
        return refresh_map_features()
    from civicgrid.core.scoping import code_q

    areas = Area.objects.filter(code_q(area_codes, "code")).exclude(boundary=None)
    return refresh_map_features(areas)
