import datetime as dt

from django.utils import timezone

from civicgrid.people.models import Household, RentalContract
from civicgrid.places.tests.conftest import make_person


def test_detail_lists_residents_households_and_rentals(places, district, login):
    d = places["d1"]
    household = Household.objects.create(area=district.grid_a1, dwelling=d, number="H-0001")
    tenant = make_person(district.grid_a1, d, name="李租客", household=household)
    contract = RentalContract.objects.create(
        area=district.grid_a1, dwelling=d, landlord_name="王房东", starts_on=dt.date(2025, 1, 1),
        ends_on=timezone.localdate() + dt.timedelta(days=10),
    )  # fmt: skip
    contract.tenants.add(tenant)
    page = login(district.worker_a1).get(f"/places/dwellings/{d.pk}/").content.decode()
    assert "李租客" in page and "H-0001" in page and "王房东" in page
    assert "30天内到期" in page
    assert 'id="place-map"' in page


def test_dwelling_outside_scope_is_404(places, district, login):
    assert login(district.worker_a1).get(f"/places/dwellings/{places['d2'].pk}/").status_code == 404


def test_rental_housing_page_highlights_contracts_ending_soon(places, district, login):
    d = places["d1"]
    d.use = "rented"
    d.save()
    RentalContract.objects.create(
        area=district.grid_a1, dwelling=d, landlord_name="王房东", starts_on=dt.date(2025, 1, 1),
        ends_on=timezone.localdate() + dt.timedelta(days=5),
    )  # fmt: skip
    page = login(district.worker_a1).get("/places/rentals/").content.decode()
    assert "王房东" in page and 'class="expiring"' in page


def test_rental_housing_page_is_scoped(places, district, login):
    d = places["d2"]
    d.use = "rented"
    d.save()
    RentalContract.objects.create(
        area=district.grid_b1, dwelling=d, landlord_name="赵房东", starts_on=dt.date(2025, 1, 1)
    )
    assert "赵房东" not in login(district.worker_a1).get("/places/rentals/").content.decode()


def test_building_page_lists_its_dwellings(places, district, login):
    b = places["bld_a"]
    d = places["d1"]
    d.building = b
    d.save()
    page = login(district.worker_a1).get(f"/places/buildings/{b.pk}/").content.decode()
    assert d.address in page
    assert login(district.worker_a1).get(f"/places/buildings/{places['bld_b'].pk}/").status_code == 404
