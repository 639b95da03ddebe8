from civicgrid.areas.models import Area
from civicgrid.core.scoping import user_can


def test_grid_worker_sees_only_their_grid(district):
    visible = set(Area.objects.visible_to(district.worker_a1).values_list("code", flat=True))
    assert visible == {district.grid_a1.code}


def test_subdistrict_user_sees_their_subdistrict_and_nothing_of_the_next(district):
    visible = set(Area.objects.visible_to(district.street_a).values_list("code", flat=True))
    assert district.grid_a2.code in visible
    assert district.comm_a.code in visible
    assert not any(code.startswith(district.sub_b.code) for code in visible)


def test_user_without_role_sees_nothing(district):
    assert not Area.objects.visible_to(district.nobody).exists()
    assert not user_can(district.nobody, "areas.view")


def test_capability_is_checked_in_the_area(district):
    assert user_can(district.admin, "areas.change", district.grid_b2)
    assert not user_can(district.street_a, "areas.change", district.grid_a1)
    assert user_can(district.street_a, "audit.view", district.grid_a1)
    assert not user_can(district.street_a, "audit.view", district.grid_b1)
