from civicgrid.cases.models import Case, CaseCategory
from civicgrid.cases.workflow import S
from civicgrid.core.models import TransitionLog


def test_inbox_shows_only_cases_in_scope(district, login, reported):
    assert reported.title in login(district.community_a).get("/cases/").content.decode()
    assert reported.title not in login(district.street_b).get("/cases/").content.decode()


def test_inbox_makes_constant_queries(district, login, reported, django_assert_max_num_queries):
    client = login(district.admin)
    with django_assert_max_num_queries(12):
        client.get("/cases/")


def test_grid_worker_reports_from_the_phone_form(district, login):
    category = CaseCategory.objects.get(code="garbage")
    response = login(district.worker_a1).post(
        "/cases/new/", {"category": category.pk, "title": "楼道堆物", "lon": "120.603", "lat": "31.283"}
    )
    case = Case.objects.get(title="楼道堆物")
    assert response.status_code == 302 and case.area == district.grid_a1


def test_report_without_location_gets_a_chinese_message(district, login):
    category = CaseCategory.objects.get(code="garbage")
    page = login(district.worker_a1).post("/cases/new/", {"category": category.pk, "title": "楼道堆物"}).content
    assert "缺少位置" in page.decode()
    assert not Case.objects.exists()


def test_staff_accept_from_the_case_page_and_a_double_click_counts_once(district, login, reported):
    client = login(district.community_a)
    assert "立案" in client.get(f"/cases/{reported.pk}/").content.decode()
    form = {"comment": "", "merge_into": "", "version": reported.version, "key": "double-click-1"}
    client.post(f"/cases/{reported.pk}/do/accept/", form)
    client.post(f"/cases/{reported.pk}/do/accept/", form)
    reported.refresh_from_db()
    assert reported.state == S.ACCEPTED
    assert TransitionLog.objects.filter(transition="accept").count() == 1


def test_case_outside_scope_is_404(district, login, reported):
    assert login(district.worker_b1).get(f"/cases/{reported.pk}/").status_code == 404


def test_resident_reports_without_login_then_follows_and_rates(district, client):
    category = CaseCategory.objects.get(code="street_light")
    response = client.post(
        "/cases/public/report/",
        {"category": category.pk, "title": "路灯坏了", "lon": "120.641", "lat": "31.281", "phone": "13912345678"},
    )
    case = Case.objects.get(title="路灯坏了")
    assert response["Location"] == f"/cases/public/track/{case.tracking_code}/"
    page = client.get(response["Location"]).content.decode()
    assert case.tracking_code in page and "13912345678" not in page
    Case.objects.filter(pk=case.pk).update(state=S.CLOSED)
    client.post(response["Location"], {"rating": "dissatisfied", "comment": "还是不亮"})
    case.refresh_from_db()
    assert case.state == S.ACCEPTED and case.rating == "dissatisfied"


def test_non_public_category_is_not_offered_to_residents(district, client):
    page = client.get("/cases/public/report/").content.decode()
    assert "可疑人员物品" not in page and "垃圾暴露" in page
