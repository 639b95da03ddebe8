"""A small registry on top of the shared ``district`` fixture: dwellings, households,
persons with valid ID numbers (built with the GB 11643 check digit), tags and visits."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import pytest
from django.utils import timezone
from stdnum.cn import ric

from civicgrid.accounts.models import User
from civicgrid.people import protection
from civicgrid.people.models import Household, Person, PersonTag, Residency, Tag, Visit
from civicgrid.places.models import Dwelling
from civicgrid.testing.factories import UserFactory, assign


def make_id_number(birth: date, seq: int, region: str = "320508") -> str:
    prefix = f"{region}{birth:%Y%m%d}{seq:03d}"
    return prefix + ric.calc_check_digit(prefix + "0")


def make_person(
    *,
    name: str,
    area,
    birth: date,
    seq: int,
    phone: str = "",
    dwelling: Dwelling | None = None,
    household: Household | None = None,
    relation: str = "",
    residency_kind: str = "registered",
) -> Person:
    number = make_id_number(birth, seq)
    person = Person.objects.create(
        area=area,
        sex="male" if seq % 2 else "female",
        birth_date=birth,
        dwelling=dwelling,
        household=household,
        relation=relation,
        residency_kind=residency_kind,
        **protection.name_fields(name),
        **protection.id_number_fields(number),
        **protection.phone_fields(phone),
    )
    if dwelling:
        Residency.objects.create(person=person, dwelling=dwelling, kind=residency_kind, since=date(2020, 1, 1))
    return person


@dataclass
class Registry:
    d: object
    staff_a: User
    dwelling_a1: Dwelling
    dwelling_a2: Dwelling
    dwelling_b1: Dwelling
    household_a1: Household
    zhang: Person  # 张三丰, grid A1-1, head, 低保
    li: Person  # 李小红, grid A1-1, spouse, 社区矫正 (sensitive)
    wang: Person  # 王大明, grid A1-2
    zhao: Person  # 赵四, grid B1-1 (other subdistrict)
    zhang_id: str
    wang_phone: str


def tag(code: str) -> Tag:
    return Tag.objects.get(code=code)


@pytest.fixture
def registry(district) -> Registry:
    d = district
    staff_a = UserFactory(username="staff_a", full_name="社区工作者甲")
    assign(staff_a, "community_staff", d.comm_a)
    da1 = Dwelling.objects.create(area=d.grid_a1, address="平江路88号3幢201室", lon=120.605, lat=31.285)
    da2 = Dwelling.objects.create(area=d.grid_a2, address="大儒巷12号", lon=120.615, lat=31.285)
    db1 = Dwelling.objects.create(area=d.grid_b1, address="南门路5号1幢101室", lon=120.645, lat=31.285)
    hh = Household.objects.create(area=d.grid_a1, dwelling=da1, number="H0001")
    zhang = make_person(
        name="张三丰",
        area=d.grid_a1,
        birth=date(1950, 3, 15),
        seq=123,
        phone="13812345678",
        dwelling=da1,
        household=hh,
        relation="head",
    )
    hh.head = zhang
    hh.save()
    li = make_person(
        name="李小红", area=d.grid_a1, birth=date(1980, 7, 2), seq=246, dwelling=da1, household=hh, relation="spouse"
    )
    wang = make_person(
        name="王大明", area=d.grid_a2, birth=date(1990, 1, 20), seq=357, phone="13900001111", dwelling=da2
    )
    zhao = make_person(name="赵四", area=d.grid_b1, birth=date(1948, 5, 5), seq=468, dwelling=db1)
    PersonTag.objects.create(person=zhang, tag=tag("dibao"))
    PersonTag.objects.create(person=li, tag=tag("correction"))
    PersonTag.objects.create(person=zhao, tag=tag("correction"))
    Visit.objects.create(
        area=d.grid_a1,
        person=zhang,
        visited_at=timezone.now() - timedelta(days=200),
        visitor=d.worker_a1,
        situation="身体尚可",
    )
    return Registry(
        d=d,
        staff_a=staff_a,
        dwelling_a1=da1,
        dwelling_a2=da2,
        dwelling_b1=db1,
        household_a1=hh,
        zhang=zhang,
        li=li,
        wang=wang,
        zhao=zhao,
        zhang_id=make_id_number(date(1950, 3, 15), 123),
        wang_phone="13900001111",
    )
