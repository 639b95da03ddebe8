"""Open311 GeoReport v2 conformance, with the georeport client library (PyPI)
against the live server for reads, and plain HTTP for POST (no maintained
Python client implements it)."""

import pytest
import requests
import xmltodict
from georeport import GeoReport

from civicgrid.cases.models import Case
from civicgrid.cases.open311 import issue_client_key
from civicgrid.cases.services import transition


@pytest.fixture
def endpoint(seeded_transactional_db, live_server, district):
    return f"{live_server.url}/open311/v2"


@pytest.fixture
def api_key(district):
    return issue_client_key("测试应用")[1]


def _post(endpoint, fmt="json", **params):
    return requests.post(f"{endpoint}/requests.{fmt}", data=params, timeout=10)


def test_services_in_json_and_xml_through_the_client_library(endpoint):
    services = GeoReport(endpoint, jurisdiction="civicgrid").get_service_list()
    codes = {s["service_code"] for s in services}
    assert "street_light" in codes and "suspicious" not in codes  # non-public categories stay hidden
    xml_services = GeoReport(endpoint, output_format="xml").get_service_list()
    assert {s["service_code"] for s in xml_services} == codes
    definition = GeoReport(endpoint).get_service_definition("street_light")
    assert definition == {"service_code": "street_light", "attributes": []}


def test_post_then_read_back_with_the_client(endpoint, api_key, district):
    response = _post(endpoint, api_key=api_key, service_code="street_light", lat="31.285", long="120.605",
                     description="路灯不亮", phone="13812345678", jurisdiction_id="")  # fmt: skip
    assert response.status_code == 200
    request_id = response.json()[0]["service_request_id"]
    client = GeoReport(endpoint)
    one = client.get_service_request(request_id)
    assert one["status"] == "open" and one["service_code"] == "street_light"
    assert one["requested_datetime"].endswith("+08:00")
    assert [r["service_request_id"] for r in client.get_service_requests(status="open")] == [request_id]
    xml_one = GeoReport(endpoint, output_format="xml").get_service_request(request_id)
    assert xml_one["service_request_id"] == request_id
    case = Case.objects.get(tracking_code=request_id)
    assert case.area == district.grid_a1 and case.reporter_phone_masked == "138****5678"


def test_errors_are_lists_with_codes(endpoint, api_key):
    no_key = _post(endpoint, service_code="street_light", lat="31.285", long="120.605")
    assert no_key.status_code == 403 and no_key.json()[0]["code"] == 403
    unknown = requests.get(f"{endpoint}/services/nope.xml", timeout=10)
    assert unknown.status_code == 404
    assert xmltodict.parse(unknown.content)["errors"]["error"]["code"] == "404"
    assert requests.get(f"{endpoint}/requests.json", params={"service_code": "nope"}, timeout=10).status_code == 404
    outside = _post(endpoint, api_key=api_key, service_code="street_light", lat="39.9", long="116.4")
    assert outside.status_code == 400 and "网格" in outside.json()[0]["description"]
    assert requests.get(f"{endpoint}/services.json", params={"jurisdiction_id": "other"}, timeout=10).status_code == 404


def test_status_updates_extension_lists_transitions(endpoint, api_key, district):
    request_id = _post(endpoint, api_key=api_key, service_code="garbage", lat="31.285", long="120.605").json()[0][
        "service_request_id"
    ]
    case = Case.objects.get(tracking_code=request_id)
    transition(case=case, name="verify_invalid", by=district.worker_a1, comment="现场未发现")
    updates = requests.get(f"{endpoint}/servicerequestupdates.json", timeout=10).json()
    assert updates[-1]["service_request_id"] == request_id and updates[-1]["status"] == "closed"
