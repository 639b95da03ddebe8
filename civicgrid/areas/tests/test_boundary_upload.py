import json

import pytest

from civicgrid.areas.models import Area
from civicgrid.core.models import AuditEvent
from civicgrid.testing.factories import square


def feature(code, geometry, name=""):
    return {"type": "Feature", "properties": {"code": code, "name": name}, "geometry": geometry}


def collection(*features):
    return json.dumps({"type": "FeatureCollection", "features": list(features)})


@pytest.fixture
def upload(district, login):
    client = login(district.admin)

    def _upload(text, confirm=False):
        data = {"text": text}
        if confirm:
            data["confirm"] = "1"
        return client.post(f"/areas/{district.comm_a.code}/boundaries/", data)

    return _upload


def _snapshot():
    return list(Area.objects.order_by("code").values_list("code", "name", "boundary", "version"))


SELF_INTERSECTING = {
    "type": "Polygon",
    "coordinates": [[[120.600, 31.280], [120.605, 31.285], [120.605, 31.280], [120.600, 31.285], [120.600, 31.280]]],
}


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("{not json", "不是有效的 JSON"),
        (json.dumps({"type": "Feature"}), "FeatureCollection"),
        (collection(feature("320508001001001", SELF_INTERSECTING)), "不是有效的多边形"),
        (collection(feature("320508001001001", {"type": "Point", "coordinates": [120.6, 31.28]})), "Polygon"),
        (collection(feature("320508001001001", square(31.28, 120.60, 0.005))), "经纬度是否写反"),
        (collection(feature("320508002001009", square(120.60, 31.28, 0.005))), "必须以社区代码"),
        (collection(feature("3205080010010", square(120.60, 31.28, 0.005))), "15位"),
        (
            collection(
                feature("320508001001001", square(120.600, 31.280, 0.006)),
                feature("320508001001002", square(120.604, 31.280, 0.006)),
            ),
            "重叠",
        ),
        (
            collection(
                feature("320508001001001", square(120.600, 31.280, 0.005)),
                feature("320508001001001", square(120.606, 31.280, 0.005)),
            ),
            "重复出现",
        ),
        (collection(feature("320508001001001", square(120.615, 31.280, 0.01))), "超出平江路社区边界"),
    ],
)
def test_bad_upload_is_explained_in_chinese_and_changes_nothing(upload, text, message):
    before = _snapshot()
    page = upload(text, confirm=True).content.decode()
    assert message in page
    assert "未保存任何内容" in page
    assert _snapshot() == before
    assert not AuditEvent.objects.filter(object_type="area_boundary").exists()


def test_new_grid_overlapping_an_existing_grid_not_in_the_file_is_refused(upload):
    page = upload(collection(feature("320508001001003", square(120.605, 31.280, 0.008))), confirm=True)
    assert "现有网格" in page.content.decode()
    assert not Area.objects.filter(code="320508001001003").exists()


def test_valid_upload_previews_then_saves_audits_and_rebuilds_the_map(upload, district):
    text = collection(
        feature("320508001001001", square(120.600, 31.280, 0.01), "第一网格"),
        feature("320508001001002", square(120.610, 31.280, 0.01)),
        feature("320508001001003", square(120.600, 31.290, 0.01), "第三网格"),
    )
    preview = upload(text).content.decode()
    assert "确认保存" in preview and "新增" in preview
    assert not Area.objects.filter(code="320508001001003").exists()

    response = upload(text, confirm=True)
    assert response.status_code == 302
    new = Area.objects.get(code="320508001001003")
    assert new.parent == district.comm_a and new.min_lat == pytest.approx(31.29)
    assert json.loads(new.map_feature)["properties"]["code"] == new.code  # job ran
    renamed = Area.objects.get(code="320508001001001")
    assert renamed.name == "第一网格" and renamed.version == 2
    assert AuditEvent.objects.filter(object_type="area_boundary").count() == 2  # one unchanged


def test_boundary_upload_needs_edit_rights_in_the_community(district, login):
    assert login(district.community_a).get(f"/areas/{district.comm_a.code}/boundaries/").status_code == 403
