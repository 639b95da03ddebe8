from civicgrid.core.models import AuditEvent
from civicgrid.places.models import Organization
from civicgrid.places.services import reveal_contact_phone
from civicgrid.places.tests.conftest import IN_A1, credit_code


def org_form(**extra):
    return {"name": "平江便利店", "kind": "nine_small", "status": "operating", "lon": IN_A1[0], "lat": IN_A1[1]} | extra


def test_grid_worker_sees_only_their_grids_organizations(places, district, login):
    page = login(district.worker_a1).get("/places/organizations/").content.decode()
    assert "平江小吃店" in page and "南门五金店" not in page


def test_filter_by_kind(places, district, login):
    page = login(district.admin).get("/places/organizations/", {"kind": "nine_small"}).content.decode()
    assert "平江小吃店" in page and "南门五金店" not in page


def test_organization_outside_scope_is_404(places, district, login):
    assert login(district.worker_a1).get(f"/places/organizations/{places['org_b'].pk}/").status_code == 404


def test_create_with_valid_credit_code_and_phone(district, login):
    code = credit_code()
    response = login(district.community_a).post(
        "/places/organizations/new/", org_form(credit_code=code.lower(), contact_phone="13812345678")
    )
    assert response.status_code == 302
    org = Organization.objects.get()
    assert org.credit_code == code
    assert org.contact_phone_masked == "138****5678"
    assert "13812345678" not in org.contact_phone_enc
    assert reveal_contact_phone(org) == "13812345678"
    assert org.area == district.grid_a1
    assert AuditEvent.objects.filter(object_type="organization", action="create").exists()


def test_wrong_credit_code_check_character_is_explained(district, login):
    code = credit_code()
    wrong = code[:-1] + ("0" if code[-1] != "0" else "1")
    page = login(district.community_a).post("/places/organizations/new/", org_form(credit_code=wrong)).content.decode()
    assert "校验" in page
    assert not Organization.objects.exists()


def test_short_credit_code_is_explained(district, login):
    page = login(district.community_a).post("/places/organizations/new/", org_form(credit_code="9132")).content.decode()
    assert "18" in page
    assert not Organization.objects.exists()


def test_duplicate_credit_code_names_the_visible_organization(places, district, login):
    code = credit_code()
    Organization.objects.filter(pk=places["org_a"].pk).update(credit_code=code)
    page = login(district.community_a).post("/places/organizations/new/", org_form(credit_code=code)).content.decode()
    assert "平江小吃店" in page
    assert Organization.objects.count() == 2


def test_duplicate_credit_code_elsewhere_does_not_leak_the_name(places, district, login):
    code = credit_code()
    Organization.objects.filter(pk=places["org_b"].pk).update(credit_code=code)
    page = login(district.community_a).post("/places/organizations/new/", org_form(credit_code=code)).content.decode()
    assert "南门五金店" not in page
    assert "其他区域" in page


def test_bad_phone_is_explained(district, login):
    page = (
        login(district.community_a).post("/places/organizations/new/", org_form(contact_phone="12345")).content.decode()
    )
    assert "手机号" in page
    assert not Organization.objects.exists()


def test_editing_without_a_phone_keeps_the_stored_one(district, login):
    client = login(district.community_a)
    client.post("/places/organizations/new/", org_form(contact_phone="13812345678"))
    org = Organization.objects.get()
    client.post(f"/places/organizations/{org.pk}/edit/", org_form(name="新名字", version=org.version))
    org.refresh_from_db()
    assert org.name == "新名字" and org.contact_phone_masked == "138****5678"


def test_list_makes_a_constant_number_of_queries(district, login, django_assert_max_num_queries):
    for i in range(30):
        Organization.objects.create(area=district.grid_a1, name=f"店{i}", kind="shop")
    client = login(district.admin)
    with django_assert_max_num_queries(12):
        client.get("/places/organizations/")
