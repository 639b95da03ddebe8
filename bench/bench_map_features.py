"""The grid map's GeoJSON for a district admin (all grids) against the raw
SQL that reads the same cached features."""

from __future__ import annotations

from django.core.management import call_command
from django.db import connection
from django.test import Client

from bench.harness import Context, Result, latencies, percentile

GRIDS_FOR_SCALE = {"small": "default", "medium": "district", "district": "district"}


def run(ctx: Context) -> list[Result]:
    from civicgrid.accounts.models import User
    from civicgrid.areas.models import Area

    demo_scale = GRIDS_FOR_SCALE[ctx.scale]
    wanted = 300 if demo_scale == "default" else 4000
    if abs(Area.objects.filter(level="grid").count() - wanted) > wanted * 0.2:
        call_command("generate_demo", scale=demo_scale, seed=2026, reset=True, verbosity=0)
    grids = Area.objects.filter(level="grid").count()
    client = Client()
    client.force_login(User.objects.get(username="admin"))
    url = "/areas/map/features.geojson"
    assert client.get(url).status_code == 200

    ours = latencies(lambda: client.get(url).content, n=30)

    def raw() -> bytes:
        with connection.cursor() as cursor:
            cursor.execute("SELECT map_feature FROM areas_area WHERE level = 'grid' AND map_feature <> ''")
            body = ",".join(row[0] for row in cursor.fetchall())
        return ('{"type":"FeatureCollection","features":[' + body + "]}").encode()

    base = latencies(raw, n=30)
    p95, base95 = percentile(ours, 95), percentile(base, 95)
    return [
        Result(
            benchmark="map_features_p95",
            scale=ctx.scale,
            n=grids,
            unit="ms p95",
            ours=p95,
            baseline=base95,
            baseline_name="raw SQL + join",
            higher_is_better=False,
            target="≤ 2× raw SQL",
            target_met=p95 <= 2 * base95 + 5,  # 5 ms floor: request overhead dominates tiny payloads
        )
    ]
