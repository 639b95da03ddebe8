import json

from civicgrid.areas.models import Area
from civicgrid.areas.tasks import rebuild_map_features


def test_map_feature_job_rebuilds_the_cached_geojson(district):
    Area.objects.update(map_feature="")
    result = rebuild_map_features.enqueue(area_codes=[district.comm_a.code])
    assert result.status == "SUCCESSFUL"
    assert result.return_value == 3  # the community and its two grids
    feature = json.loads(Area.objects.get(pk=district.grid_a1.pk).map_feature)
    assert feature["properties"]["code"] == district.grid_a1.code
    assert Area.objects.get(pk=district.grid_b1.pk).map_feature == ""
