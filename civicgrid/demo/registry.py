"""The demo district's registry: buildings, dwellings, households, persons with
valid ID numbers, key-group tags, visits, rentals, organizations and
facilities — deterministic by seed, written with bulk paths.

Everything is synthetic: names from Faker, ID numbers built from real county
codes plus a GB 11643 check digit, mobile numbers from unassigned-looking
ranges, credit codes with a GB 32100 check character.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass
from typing import Any

from django.utils import timezone
from faker import Faker
from shapely.geometry import Point
from stdnum.cn import ric, uscc

from civicgrid.areas.geometry import to_shape
from civicgrid.areas.models import Area
from civicgrid.people.models import (
    Household,
    Person,
    PersonTag,
    Relation,
    RentalContract,
    Residency,
    ResidencyKind,
    Tag,
    Visit,
)
from civicgrid.people.protection import id_number_fields, name_fields, phone_fields
from civicgrid.places.models import (
    Building,
    BuildingKind,
    Dwelling,
    DwellingUse,
    Facility,
    FacilityKind,
    Organization,
    OrganizationKind,
    compose_address,
)
from civicgrid.places.services import contact_phone_fields

LOCAL_CODES_BY_ERA = [
    (2012, ["320508"]),
    (2001, ["320505", "320506", "320507"]),
    (1900, ["320502", "320503", "320504"]),
]
FLOATING_CODES = ["340102", "340103", "410103", "410104", "420102", "510104", "430102", "360102", "341202"]
STREETS = [
    "人民路",
    "干将路",
    "十梓街",
    "凤凰街",
    "临顿路",
    "平江路",
    "道前街",
    "学士街",
    "东中市",
    "西中市",
    "北园路",
    "齐门路",
    "景德路",
    "富仁坊",
    "养育巷",
    "带城桥路",
]
ESTATE_SUFFIXES = ["小区", "花园", "新村", "苑", "公寓"]
SHOP_KINDS = ["便利店", "小吃店", "理发店", "五金店", "水果店", "药店", "洗衣店", "快递点"]
SENSITIVE_RATES = {"correction": 0.002, "released": 0.001, "drug_user": 0.001, "mental_disorder": 0.001}


@dataclass
class RegistryCounts:
    buildings: int = 0
    dwellings: int = 0
    households: int = 0
    persons: int = 0
    tags: int = 0
    visits: int = 0
    organizations: int = 0
    facilities: int = 0


def _id_number(rng: random.Random, birth: dt.date, male: bool, floating: bool) -> str:
    if floating:
        county = rng.choice(FLOATING_CODES)
    else:
        county = rng.choice(next(codes for year, codes in LOCAL_CODES_BY_ERA if birth.year >= year))
    order = rng.randrange(0, 500) * 2 + (1 if male else 0)
    body = f"{county}{birth:%Y%m%d}{order:03d}"
    return body + ric.calc_check_digit(body + "0")


def _mobile(rng: random.Random) -> str:
    return (
        rng.choice(["139", "138", "137", "158", "159", "181", "189", "133", "135", "150"])
        + f"{rng.randrange(10**8):08d}"
    )


def _credit_code(rng: random.Random) -> str:
    body = "92" + "320508" + "".join(rng.choice("0123456789ABCDEFGHJKLMNPQRTUWXY") for _ in range(9))
    return body + uscc.calc_check_digit(body)


def _point_in(rng: random.Random, shape: Any) -> tuple[float, float]:
    min_x, min_y, max_x, max_y = shape.bounds
    for _try in range(100):
        x, y = rng.uniform(min_x, max_x), rng.uniform(min_y, max_y)
        if shape.contains(Point(x, y)):
            return round(x, 6), round(y, 6)
    inside = shape.representative_point()
    return inside.x, inside.y


def _birth(rng: random.Random, today: dt.date, age_min: int, age_max: int) -> dt.date:
    age = rng.randint(age_min, age_max)
    return today - dt.timedelta(days=age * 365 + rng.randrange(365))


def generate_registry(
    *, seed: int, grids: list[Area], persons_per_grid: int, visitors: dict[int, Any]
) -> RegistryCounts:
    rng = random.Random(seed * 7919)
    fake = Faker("zh_CN")
    fake.seed_instance(seed + 17)
    today = timezone.localdate()
    counts = RegistryCounts()
    tags = {t.code: t for t in Tag.objects.all()}
    buildings: list[Building] = []
    dwelling_specs: list[tuple[Dwelling, Building]] = []
    for grid in grids:
        shape = to_shape(grid.boundary)
        street = rng.choice(STREETS)
        estate = fake.last_name() + rng.choice(["家", "园", "苑", "桥", "塘"]) + rng.choice(ESTATE_SUFFIXES)
        n_dwellings = max(4, int(persons_per_grid / 2.6))
        n_buildings = max(1, n_dwellings // 24 + 1)
        for b in range(n_buildings):
            lon, lat = _point_in(rng, shape)
            building = Building(
                area=grid,
                lon=lon,
                lat=lat,
                street=street,
                estate=estate,
                number=f"{b + 1}幢",
                kind=BuildingKind.RESIDENTIAL,
                floors=rng.choice([5, 6, 7, 11, 18]),
                units=2,
            )
            buildings.append(building)
            for i in range(n_dwellings // n_buildings):
                unit, floor, room = 1 + i % 2, 1 + (i // 4) % 6, 1 + (i // 2) % 2
                use = rng.choices([DwellingUse.OWNER_OCCUPIED, DwellingUse.RENTED, DwellingUse.VACANT], [75, 18, 7])[0]
                address = compose_address(
                    street=street, estate=estate, building_no=f"{b + 1}幢", unit_no=str(unit), room_no=f"{floor}0{room}"
                )
                dwelling = Dwelling(
                    area=grid,
                    lon=lon,
                    lat=lat,
                    street=street,
                    estate=estate,
                    building_no=f"{b + 1}幢",
                    unit_no=f"{unit}单元",
                    room_no=f"{floor}0{room}室",
                    address=address,
                    use=use,
                    owner_name=fake.name(),
                )
                dwelling_specs.append((dwelling, building))
    Building.objects.bulk_create(buildings, batch_size=1000)
    for dwelling, building in dwelling_specs:
        dwelling.building = building
    dwellings = [d for d, _b in dwelling_specs]
    Dwelling.objects.bulk_create(dwellings, batch_size=1000)
    counts.buildings, counts.dwellings = len(buildings), len(dwellings)

    households: list[Household] = []
    members: list[list[tuple[Person, str]]] = []
    for number, dwelling in enumerate(d for d in dwellings if d.use != DwellingUse.VACANT):
        tenants = dwelling.use == DwellingUse.RENTED
        size = rng.choices([1, 2, 3, 4, 5], [14, 28, 30, 20, 8])[0]
        surname = fake.last_name()
        kind = (
            ResidencyKind.TENANT
            if tenants
            else rng.choices(
                [ResidencyKind.REGISTERED, ResidencyKind.RESIDENT, ResidencyKind.PRESENT_UNREGISTERED], [70, 20, 10]
            )[0]
        )
        head_age = rng.randint(24, 90) if size == 1 else rng.randint(28, 75)
        people: list[tuple[Person, str]] = []
        roles = [Relation.HEAD, Relation.SPOUSE, Relation.CHILD, Relation.CHILD, Relation.PARENT][:size]
        for relation in roles:
            if relation == Relation.HEAD:
                age_min = age_max = head_age
            elif relation == Relation.SPOUSE:
                age_min, age_max = max(20, head_age - 5), head_age + 3
            elif relation == Relation.CHILD:
                age_min, age_max = max(0, head_age - 40), max(0, head_age - 22)
            else:
                age_min, age_max = head_age + 22, min(100, head_age + 35)
            birth = _birth(rng, today, age_min, max(age_min, age_max))
            male = rng.random() < 0.5 if relation != Relation.SPOUSE else people[0][0].sex != "male"
            name = (surname if relation in (Relation.HEAD, Relation.CHILD) else fake.last_name()) + (
                fake.first_name_male() if male else fake.first_name_female()
            )
            number_text = _id_number(rng, birth, male, kind == ResidencyKind.TENANT and rng.random() < 0.7)
            person = Person(
                area=dwelling.area,
                sex="male" if male else "female",
                birth_date=birth,
                ethnicity="汉族" if rng.random() < 0.97 else rng.choice(["回族", "满族", "壮族"]),
                household=None,
                relation=relation,
                dwelling=dwelling,
                residency_kind=kind,
                **name_fields(name),
                **id_number_fields(number_text),
                **(phone_fields(_mobile(rng)) if today.year - birth.year >= 16 else {}),
            )
            people.append((person, relation))
        households.append(Household(area=dwelling.area, dwelling=dwelling, number=f"H{number + 1:07d}"))
        members.append(people)
    Household.objects.bulk_create(households, batch_size=1000)
    persons = []
    for household, people in zip(households, members, strict=True):
        for person, _relation in people:
            person.household = household
            persons.append(person)
    Person.objects.bulk_create(persons, batch_size=1000)
    heads = []
    for household, people in zip(households, members, strict=True):
        household.head = people[0][0]
        heads.append(household)
    Household.objects.bulk_update(heads, ["head"], batch_size=1000)
    Residency.objects.bulk_create(
        [
            Residency(
                person=p,
                dwelling=p.dwelling,
                kind=p.residency_kind,
                since=today - dt.timedelta(days=rng.randrange(30, 3650)),
            )
            for p in persons
        ],
        batch_size=2000,
    )
    counts.households, counts.persons = len(households), len(persons)

    person_tags, visits = [], []
    since_base = today - dt.timedelta(days=400)
    for person, household_size in ((p, len(m)) for m in members for p, _r in m):
        age = (today - person.birth_date).days // 365
        chosen = []
        if rng.random() < 0.03:
            chosen.append(("dibao", ""))
        if rng.random() < 0.015:
            chosen.append(("disabled", rng.choice(["一级", "二级", "三级", "四级"])))
        if age >= 65 and household_size == 1:
            chosen.append(("living_alone", ""))
        if age < 16 and rng.random() < 0.01:
            chosen.append(("left_behind_child", ""))
        if 18 <= age <= 60:
            chosen += [(code, "") for code, rate in SENSITIVE_RATES.items() if rng.random() < rate]
        for code, grade in chosen:
            person_tags.append(
                PersonTag(
                    person=person, tag=tags[code], grade=grade, since=since_base + dt.timedelta(days=rng.randrange(300))
                )
            )
            interval = tags[code].visit_interval_days
            visitor = visitors.get(person.area_id)
            if interval and visitor is not None and rng.random() < 0.8:
                days_ago = rng.randrange(1, interval * 2)  # some are overdue on purpose
                visits.append(
                    Visit(
                        area=person.area,
                        person=person,
                        household=person.household,
                        visitor=visitor,
                        visited_at=timezone.now() - dt.timedelta(days=days_ago, hours=rng.randrange(8)),
                        met=person.name,
                        situation="情况稳定，生活正常。",
                    )
                )
    PersonTag.objects.bulk_create(person_tags, batch_size=2000)
    Visit.objects.bulk_create(visits, batch_size=2000)
    counts.tags, counts.visits = len(person_tags), len(visits)

    rentals = []
    by_dwelling = {p.dwelling_id: p for p in persons}
    for dwelling in dwellings:
        if dwelling.use == DwellingUse.RENTED and dwelling.pk in by_dwelling:
            start = today - dt.timedelta(days=rng.randrange(30, 700))
            rentals.append(
                RentalContract(
                    area=dwelling.area,
                    dwelling=dwelling,
                    landlord_name=dwelling.owner_name,
                    starts_on=start,
                    ends_on=start + dt.timedelta(days=365 * rng.choice([1, 2])),
                    monthly_rent=rng.choice([1800, 2200, 2600, 3200, 4000]),
                )
            )
    RentalContract.objects.bulk_create(rentals, batch_size=1000)
    tenant_links = (
        [
            RentalContract.tenants.through(rentalcontract_id=r.pk, person_id=p.pk)
            for r in rentals
            for p in persons
            if p.dwelling_id == r.dwelling_id
        ]
        if len(rentals) * len(persons) < 50_000_000
        else []
    )
    RentalContract.tenants.through.objects.bulk_create(tenant_links, batch_size=2000)

    organizations, facilities = [], []
    seen_codes: set[str] = set()
    for grid in grids:
        shape = to_shape(grid.boundary)
        for _n in range(3):
            lon, lat = _point_in(rng, shape)
            code = _credit_code(rng)
            while code in seen_codes:
                code = _credit_code(rng)
            seen_codes.add(code)
            kind = rng.choice(
                [
                    OrganizationKind.SHOP,
                    OrganizationKind.NINE_SMALL,
                    OrganizationKind.NINE_SMALL,
                    OrganizationKind.THREE_IN_ONE,
                    OrganizationKind.ENTERPRISE,
                ]
            )
            organizations.append(
                Organization(
                    area=grid,
                    lon=lon,
                    lat=lat,
                    name=fake.last_name() + "记" + rng.choice(SHOP_KINDS),
                    kind=kind,
                    credit_code=code,
                    contact_name=fake.name(),
                    address=f"{rng.choice(STREETS)}{rng.randint(1, 300)}号",
                    employees=rng.randint(1, 30),
                    **contact_phone_fields(_mobile(rng)),
                )
            )
        if rng.random() < 0.3:
            lon, lat = _point_in(rng, shape)
            facilities.append(
                Facility(
                    area=grid,
                    lon=lon,
                    lat=lat,
                    kind=FacilityKind.SHELTER,
                    name=f"{grid.name}应急避难点",
                    capacity=rng.choice([200, 500, 800]),
                )
            )
        lon, lat = _point_in(rng, shape)
        facilities.append(
            Facility(
                area=grid,
                lon=lon,
                lat=lat,
                kind=FacilityKind.CAMERA,
                name=f"{grid.name}监控点",
                code=f"CAM{grid.code[-6:]}",
            )
        )
    Organization.objects.bulk_create(organizations, batch_size=1000)
    Facility.objects.bulk_create(facilities, batch_size=1000)
    counts.organizations, counts.facilities = len(organizations), len(facilities)
    return counts


def delete_registry_and_cases(code_prefix: str) -> None:
    """Remove generated registry rows and cases under an area code (before the areas go)."""
    from civicgrid.cases.models import Case

    area_q = {"area__code__startswith": code_prefix}
    Case.objects.filter(**area_q).update(merged_into=None)
    Case.objects.filter(**area_q).delete()
    Visit.objects.filter(**area_q).delete()
    PersonTag.objects.filter(person__area__code__startswith=code_prefix).delete()
    Residency.objects.filter(person__area__code__startswith=code_prefix).delete()
    RentalContract.objects.filter(**area_q).delete()
    Person.objects.filter(**area_q).update(merged_into=None)
    Household.objects.filter(**area_q).update(head=None)
    Person.objects.filter(**area_q).delete()
    Household.objects.filter(**area_q).delete()
    Organization.objects.filter(**area_q).delete()
    Facility.objects.filter(**area_q).delete()
    Dwelling.objects.filter(**area_q).delete()
    Building.objects.filter(**area_q).delete()
