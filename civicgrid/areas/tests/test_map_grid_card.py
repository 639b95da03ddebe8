"""GET /areas/<code>/card/ — the grid card in the map popup."""

from datetime import timedelta

from django.utils import timezone

from civicgrid.accounts.models import RoleAssignment
from civicgrid.testing.factories import UserFactory, assign


def card_url(area):
    return f"/areas/{area.code}/card/"


def test_card_shows_name_code_and_parents(district, login):
    card = login(district.worker_a1).get(card_url(district.grid_a1)).content.decode()
    assert district.grid_a1.name in card and district.grid_a1.code in card
    assert "平江街道" in card and "平江路社区" in card


def test_card_is_a_fragment_not_a_page(district, login):
    card = login(district.worker_a1).get(card_url(district.grid_a1)).content.decode()
    assert "<html" not in card and "grid-card" in card


def test_card_lists_the_responsibility_network_with_work_phones(district, login):
    police = UserFactory(username="police_a1", full_name="李警官", work_phone="0512-65550110")
    assign(police, "police", district.grid_a1)
    card = login(district.community_a).get(card_url(district.grid_a1)).content.decode()
    assert "worker_a1姓名" in card
    assert "李警官" in card and "0512-65550110" in card
    assert "网格员" in card


def test_card_leaves_out_non_responsibility_roles(district, login):
    card = login(district.admin).get(card_url(district.comm_a)).content.decode()
    assert "community_a姓名" not in card


def test_card_leaves_out_ended_assignments(district, login):
    RoleAssignment.objects.filter(user=district.worker_a1).update(valid_until=timezone.localdate() - timedelta(days=1))
    card = login(district.admin).get(card_url(district.grid_a1)).content.decode()
    assert "worker_a1姓名" not in card


def test_card_links_to_the_area_page(district, login):
    card = login(district.worker_a1).get(card_url(district.grid_a1)).content.decode()
    assert f'href="/areas/{district.grid_a1.code}/"' in card


def test_card_outside_scope_is_404(district, login):
    assert login(district.worker_a1).get(card_url(district.grid_b1)).status_code == 404


def test_card_for_unknown_code_is_404(district, login):
    assert login(district.admin).get("/areas/320508009009009/card/").status_code == 404


def test_user_without_role_gets_404(district, login):
    assert login(district.nobody).get(card_url(district.grid_a1)).status_code == 404


def test_card_makes_constant_queries(district, login, django_assert_max_num_queries):
    client = login(district.admin)
    with django_assert_max_num_queries(13):  # + three headline counts
        client.get(card_url(district.grid_a1))


def test_card_counts_residents_dwellings_and_open_cases(district, login):
    from civicgrid.cases.models import CaseCategory, CaseSource
    from civicgrid.cases.services import report_case

    report_case(
        category=CaseCategory.objects.get(code="garbage"),
        title="垃圾",
        source=CaseSource.GRID_WORKER,
        by=district.worker_a1,
        lon=120.605,
        lat=31.285,
    )
    page = login(district.worker_a1).get(card_url(district.grid_a1)).content.decode()
    assert "未结案件" in page and "<dd>1</dd>" in page
