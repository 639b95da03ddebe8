"""factory_boy factories shared by every app's tests."""

from __future__ import annotations

import factory

from civicgrid.accounts.models import Role, RoleAssignment, User
from civicgrid.areas.models import Area, AreaLevel


def square(lon: float, lat: float, size: float = 0.01) -> dict:
    """A GeoJSON square polygon with its south-west corner at (lon, lat)."""
    ring = [[lon, lat], [lon + size, lat], [lon + size, lat + size], [lon, lat + size], [lon, lat]]
    return {"type": "Polygon", "coordinates": [ring]}


class AreaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Area
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"{320500 + n:06d}")
    name = factory.Sequence(lambda n: f"测试区{n}")
    level = AreaLevel.DISTRICT


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    full_name = factory.Sequence(lambda n: f"用户{n}")

    @factory.post_generation
    def password(obj, create, extracted, **kwargs):
        obj.set_password(extracted or "Passw0rd!2026")
        if create:
            obj.save(update_fields=["password"])


def assign(user: User, role_code: str, area: Area) -> RoleAssignment:
    role = Role.objects.get(code=role_code)
    assignment, _created = RoleAssignment.objects.get_or_create(user=user, role=role, area=area)
    return assignment
