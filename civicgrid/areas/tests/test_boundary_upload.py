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
    return list(
        Area.objects.order_by("code").values_list("code", "name", "boundary", "version", "min_lon", "map_feature")
    )


SELF_INTERSECTING = {
    "type": "Polygon",
    "coordinates": [[[120.600, 31.280], [120.605, 31.285], [120.605, 31.280], [120.600, 31.285], [120.600, 31.280]]],
}


BAD_UPLOADS = {
    "malformed_json": ("{not json", "不是有效的 JSON（问题出现在第 1 行"),
    "not_a_feature_collection": (json.dumps({"type": "Feature"}), "当前文件的类型是“Feature”"),
    "empty_collection": (collection(), "没有任何要素"),
    "feature_is_not_an_object": (json.dumps({"type": "FeatureCollection", "features": ["x"]}), "第1个要素不是"),
    "feature_without_geometry": (collection(feature("320508001001001", None)), "第1个要素（320508001001001）没有几何"),
    "self_intersecting_polygon": (
        collection(feature("320508001001001", SELF_INTERSECTING)),
        "边界线自身交叉（自相交）",
    ),
    "point_instead_of_polygon": (
        collection(feature("320508001001001", {"type": "Point", "coordinates": [120.6, 31.28]})),
        "Polygon",
    ),
    "latitude_above_90_swapped": (
        collection(feature("320508001001001", square(31.28, 120.60, 0.005))),
        "经纬度似乎写反了",
    ),
    "projected_metres": (
        collection(feature("320508001001001", square(500000.0, 3460000.0, 100.0))),
        "投影坐标",
    ),
    "outside_china": (collection(feature("320508001001001", square(2.35, 48.85, 0.005))), "中国境外"),
    "wrong_code_prefix": (collection(feature("320508002001009", square(120.60, 31.28, 0.005))), "必须以社区代码"),
    "code_not_15_digits": (collection(feature("3205080010010", square(120.60, 31.28, 0.005))), "15位"),
    "code_missing": (collection(feature("", square(120.60, 31.28, 0.005))), "缺少“code”属性"),
    "overlapping_grids": (
        collection(
            feature("320508001001001", square(120.600, 31.280, 0.006)),
            feature("320508001001002", square(120.604, 31.280, 0.006)),
        ),
        "重叠",
    ),
    "duplicate_codes": (
        collection(
            feature("320508001001001", square(120.600, 31.280, 0.005)),
            feature("320508001001001", square(120.606, 31.280, 0.005)),
        ),
        "重复出现",
    ),
    "grid_outside_community": (
        collection(feature("320508001001001", square(120.615, 31.280, 0.01))),
        "超出平江路社区边界",
    ),
}


@pytest.mark.parametrize(("text", "message"), BAD_UPLOADS.values(), ids=BAD_UPLOADS.keys())
def test_bad_upload_is_explained_in_chinese_and_changes_nothing(upload, text, message):
    before = _snapshot()
    events = AuditEvent.objects.count()
    page = upload(text, confirm=True).content.decode()
    assert message in page
    assert "未保存任何内容" in page
    assert _snapshot() == before
    assert AuditEvent.objects.count() == events


def test_one_bad_feature_among_good_ones_saves_none_of_them(upload):
    before = _snapshot()
    text = collection(
        feature("320508001001001", square(120.600, 31.280, 0.01), "改名一"),
        feature("320508001001003", square(120.600, 31.290, 0.01), "新网格"),
        feature("320508001001004", SELF_INTERSECTING),
    )
    page = upload(text, confirm=True).content.decode()
    assert "第3个要素（320508001001004）不是有效的多边形" in page
    assert _snapshot() == before


def test_invalid_polygon_error_says_where_it_crosses_itself(upload):
    page = upload(collection(feature("320508001001001", SELF_INTERSECTING))).content.decode()
    assert "位置约在经度 120.6025、纬度 31.2825" in page


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


def test_preview_counts_new_changed_and_unchanged_grids_and_saves_nothing(upload, district):
    text = collection(
        feature(district.grid_a1.code, district.grid_a1.boundary, district.grid_a1.name),
        feature(district.grid_a2.code, square(120.610, 31.280, 0.009)),
        feature("320508001001003", square(120.600, 31.290, 0.01)),
    )
    before = _snapshot()
    page = upload(text).content.decode()
    assert "新增网格" in page and "变更网格" in page and "未变网格" in page
    assert "第3网格" in page  # a grid without a name is named after its sequence
    assert _snapshot() == before


def test_grids_left_out_of_the_file_keep_their_boundary_with_a_warning(upload, district):
    page = upload(collection(feature(district.grid_a1.code, square(120.600, 31.280, 0.009))), confirm=True)
    assert page.status_code == 302
    grid_a2 = Area.objects.get(pk=district.grid_a2.pk)
    assert grid_a2.boundary == district.grid_a2.boundary
    assert Area.objects.get(pk=district.grid_a1.pk).max_lon == pytest.approx(120.609)


def test_community_without_boundary_is_not_checked_but_warns(upload, district):
    Area.objects.filter(pk=district.comm_a.pk).update(boundary=None)
    page = upload(collection(feature("320508001001003", square(120.70, 31.40, 0.01)))).content.decode()
    assert "尚无边界" in page
    assert "确认保存" in page


def test_multipolygon_grid_is_accepted(upload):
    geometry = {
        "type": "MultiPolygon",
        "coordinates": [square(120.600, 31.290, 0.004)["coordinates"], square(120.606, 31.290, 0.004)["coordinates"]],
    }
    assert upload(collection(feature("320508001001003", geometry, "两块网格")), confirm=True).status_code == 302
    assert Area.objects.get(code="320508001001003").boundary["type"] == "MultiPolygon"


def test_service_refuses_unknown_grids_when_not_creating(district):
    from civicgrid.areas.services import import_grid_boundaries

    result = import_grid_boundaries(
        community=district.comm_a,
        text=collection(feature("320508001001003", square(120.600, 31.290, 0.01))),
        by=district.admin,
        create_missing=False,
    )
    assert not result.ok and "本社区没有代码为 320508001001003 的网格" in result.errors[0]
    assert not Area.objects.filter(code="320508001001003").exists()


def test_uploaded_file_is_read_like_pasted_text(district, login):
    from django.core.files.uploadedfile import SimpleUploadedFile

    text = collection(feature("320508001001003", square(120.600, 31.290, 0.01), "文件网格"))
    upload = SimpleUploadedFile("grids.geojson", text.encode("utf-8"), content_type="application/geo+json")
    page = login(district.admin).post(f"/areas/{district.comm_a.code}/boundaries/", {"file": upload})
    assert "文件网格" in page.content.decode() and "确认保存" in page.content.decode()


def test_download_returns_the_community_grids_as_geojson(district, login):
    response = login(district.community_a).get(f"/areas/{district.comm_a.code}/boundaries.geojson")
    data = json.loads(response.content)
    assert data["type"] == "FeatureCollection"
    assert [f["properties"]["code"] for f in data["features"]] == [district.grid_a1.code, district.grid_a2.code]


def test_download_of_another_community_is_404(district, login):
    client = login(district.street_a)
    assert client.get(f"/areas/{district.comm_b.code}/boundaries.geojson").status_code == 404
    assert login(district.worker_a1).get(f"/areas/{district.comm_a.code}/boundaries.geojson").status_code == 404


def test_boundary_upload_of_another_subdistrict_is_404(district, login):
    assert login(district.admin).get(f"/areas/{district.comm_b.code}/boundaries/").status_code == 200
    assert login(district.street_a).get(f"/areas/{district.comm_b.code}/boundaries/").status_code == 404
