"""地、物、房、组织: buildings, dwellings, organizations and public facilities.

Every row belongs to exactly one grid (``area``, an Area of level grid).
Dwellings and buildings get their grid from their point (point-in-polygon,
places.services.assign_dwellings_to_grids) unless ``grid_fixed`` says a
person chose it by hand. Addresses are structured after GB/T 39609:
行政区划 (the area) → 街巷/小区 → 楼栋门牌 → 单元户室.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from civicgrid.areas.models import Area
from civicgrid.core.scoping import ScopedQuerySet


class PlaceQuerySet(ScopedQuerySet):
    area_code_lookup = "area__code"


class Located(models.Model):
    """Fields shared by everything with a place on the map and in a grid."""

    area = models.ForeignKey(Area, verbose_name=_("grid"), on_delete=models.PROTECT, related_name="+")
    lon = models.FloatField(_("longitude"), null=True, blank=True)
    lat = models.FloatField(_("latitude"), null=True, blank=True)
    # True when staff chose the grid by hand: boundary changes do not move it.
    grid_fixed = models.BooleanField(_("grid set by hand"), default=False)
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = PlaceQuerySet.as_manager()

    class Meta:
        abstract = True


class BuildingKind(models.TextChoices):
    RESIDENTIAL = "residential", _("Residential")
    COMMERCIAL = "commercial", _("Commercial")
    MIXED = "mixed", _("Mixed use")
    PUBLIC = "public", _("Public building")
    SELF_BUILT = "self_built", _("Self-built house")


class Building(Located):
    """楼栋: a building (or a self-built house) in an estate or on a street."""

    street = models.CharField(_("street or lane"), max_length=100, blank=True)
    estate = models.CharField(_("residential estate"), max_length=100, blank=True)
    number = models.CharField(_("building number"), max_length=50)
    kind = models.CharField(_("kind"), max_length=20, choices=BuildingKind.choices, default=BuildingKind.RESIDENTIAL)
    floors = models.PositiveSmallIntegerField(_("floors"), null=True, blank=True)
    units = models.PositiveSmallIntegerField(_("units"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("building")
        verbose_name_plural = _("buildings")
        ordering = ["area", "estate", "number"]
        indexes = [models.Index(fields=["area", "estate", "number"])]

    def __str__(self) -> str:
        return f"{self.estate or self.street}{self.number}"


class DwellingUse(models.TextChoices):
    OWNER_OCCUPIED = "owner_occupied", _("Owner-occupied")
    RENTED = "rented", _("Rented out")
    VACANT = "vacant", _("Vacant")
    COMMERCIAL = "commercial", _("Commercial use")
    OTHER = "other", _("Other")


class Dwelling(Located):
    """房屋: one dwelling (户室) with a structured address and a point."""

    building = models.ForeignKey(
        Building, verbose_name=_("building"), null=True, blank=True, on_delete=models.PROTECT, related_name="dwellings"
    )
    street = models.CharField(_("street or lane"), max_length=100, blank=True)
    estate = models.CharField(_("residential estate"), max_length=100, blank=True)
    building_no = models.CharField(_("building number"), max_length=50, blank=True)
    unit_no = models.CharField(_("unit"), max_length=20, blank=True)
    room_no = models.CharField(_("room"), max_length=20, blank=True)
    # The full address as one line, kept in sync by services; searched by fragment.
    address = models.CharField(_("address"), max_length=300, db_index=True)
    use = models.CharField(_("use"), max_length=20, choices=DwellingUse.choices, default=DwellingUse.OWNER_OCCUPIED)
    owner_name = models.CharField(_("owner"), max_length=50, blank=True)
    floor_area = models.DecimalField(_("floor area (m²)"), max_digits=8, decimal_places=2, null=True, blank=True)
    is_active = models.BooleanField(_("in use"), default=True)
    note = models.CharField(_("note"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("dwelling")
        verbose_name_plural = _("dwellings")
        ordering = ["address"]
        indexes = [models.Index(fields=["area", "address"])]

    def __str__(self) -> str:
        return self.address


def compose_address(
    *, street: str = "", estate: str = "", building_no: str = "", unit_no: str = "", room_no: str = ""
) -> str:
    """One line after GB/T 39609: 街巷 小区 楼栋 单元 户室 (the area is shown separately)."""
    parts = [street, estate]
    if building_no:
        parts.append(building_no if building_no.endswith(("幢", "栋", "号", "号楼")) else f"{building_no}幢")
    if unit_no:
        parts.append(unit_no if unit_no.endswith("单元") else f"{unit_no}单元")
    if room_no:
        parts.append(room_no if room_no.endswith(("室", "号")) else f"{room_no}室")
    return "".join(p.strip() for p in parts if p and p.strip())


class OrganizationKind(models.TextChoices):
    ENTERPRISE = "enterprise", _("Enterprise")
    SHOP = "shop", _("Shop")
    NINE_SMALL = "nine_small", _("Small venue (九小场所)")
    THREE_IN_ONE = "three_in_one", _("Three-in-one venue (三合一场所)")
    SOCIAL = "social", _("Social organization")
    SCHOOL = "school", _("School or kindergarten")
    CLINIC = "clinic", _("Clinic or hospital")
    PUBLIC_BODY = "public_body", _("Government or public institution")
    OTHER = "other", _("Other")


class OrganizationStatus(models.TextChoices):
    OPERATING = "operating", _("Operating")
    SUSPENDED = "suspended", _("Suspended")
    CLOSED = "closed", _("Closed")


class Organization(Located):
    """组织/单位/场所, including social organizations (登记/备案/年检/等级评估/诚信)."""

    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=OrganizationKind.choices)
    credit_code = models.CharField(_("unified social credit code"), max_length=18, blank=True, db_index=True)
    legal_representative = models.CharField(_("legal representative"), max_length=50, blank=True)
    contact_name = models.CharField(_("responsible person"), max_length=50, blank=True)
    contact_phone_enc = models.TextField(blank=True, editable=False)
    contact_phone_hash = models.CharField(max_length=40, blank=True, db_index=True, editable=False)
    contact_phone_masked = models.CharField(_("contact phone"), max_length=20, blank=True, editable=False)
    address = models.CharField(_("address"), max_length=300, blank=True)
    dwelling = models.ForeignKey(
        Dwelling, verbose_name=_("premises"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    status = models.CharField(
        _("status"), max_length=20, choices=OrganizationStatus.choices, default=OrganizationStatus.OPERATING
    )
    employees = models.PositiveIntegerField(_("employees"), null=True, blank=True)
    # Social organizations (社会组织)
    registration = models.CharField(_("registration (登记/备案)"), max_length=20, blank=True)
    last_annual_inspection = models.PositiveSmallIntegerField(_("last annual inspection year"), null=True, blank=True)
    rating_grade = models.CharField(_("evaluation grade"), max_length=10, blank=True)
    integrity_note = models.CharField(_("integrity record"), max_length=300, blank=True)
    note = models.CharField(_("note"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("organization")
        verbose_name_plural = _("organizations")
        ordering = ["name"]
        indexes = [models.Index(fields=["area", "kind"])]
        constraints = [
            models.UniqueConstraint(
                fields=["credit_code"], condition=~models.Q(credit_code=""), name="unique_org_credit_code"
            )
        ]

    def __str__(self) -> str:
        return self.name


class FacilityKind(models.TextChoices):
    COMPONENT = "component", _("Public facility (部件)")
    SHELTER = "shelter", _("Emergency shelter")
    CAMERA = "camera", _("Camera")
    FIRE_HYDRANT = "fire_hydrant", _("Fire hydrant")
    AED = "aed", _("AED")
    OTHER = "other", _("Other")


class Facility(Located):
    kind = models.CharField(_("kind"), max_length=20, choices=FacilityKind.choices)
    name = models.CharField(_("name"), max_length=200)
    code = models.CharField(_("facility code"), max_length=50, blank=True, db_index=True)
    capacity = models.PositiveIntegerField(_("capacity (people)"), null=True, blank=True)
    owner_unit = models.CharField(_("responsible unit"), max_length=100, blank=True)
    is_working = models.BooleanField(_("in working order"), default=True)
    note = models.CharField(_("note"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("facility")
        verbose_name_plural = _("facilities")
        ordering = ["kind", "name"]

    def __str__(self) -> str:
        return self.name


class GridAssignmentRunQuerySet(ScopedQuerySet):
    area_code_lookup = "scope_code"

    def visible_to(self, user, capability: str = "people.view"):  # type: ignore[no-untyped-def,override]
        """Runs that touch the user's areas: runs inside them, and wider runs that cover them."""
        from civicgrid.core.scoping import scope_codes

        codes = scope_codes(user, capability)
        if not codes:
            return self.none()
        q = models.Q()
        for code in codes:
            q |= models.Q(scope_code__startswith=code)
            q |= models.Q(scope_code__in=[code[:n] for n in (0, 6, 9, 12) if n < len(code)])
        return self.filter(q)


class GridAssignmentRun(models.Model):
    """One run of point-in-polygon grid assignment and what it moved (kept for review)."""

    started_at = models.DateTimeField(_("started"), db_index=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    # The area the run looked at: a community's code, or the common prefix of all grids ("" = everything).
    scope_code = models.CharField(_("area code"), max_length=15, blank=True, db_index=True)
    trigger = models.CharField(_("trigger"), max_length=30, blank=True)
    triggered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    counts = models.JSONField(_("counts"), default=dict)
    # [{"type", "id", "label", "from", "to"}], capped (see places.services.MOVED_KEPT)
    moved = models.JSONField(_("moved"), default=list)
    # [{"type", "id", "label", "reason", "grids"?}]
    problems = models.JSONField(_("problems"), default=list)

    objects = GridAssignmentRunQuerySet.as_manager()

    class Meta:
        verbose_name = _("grid assignment run")
        verbose_name_plural = _("grid assignment runs")
        ordering = ["-started_at", "-id"]

    def __str__(self) -> str:
        return f"{self.started_at:%Y-%m-%d %H:%M} {self.scope_code}"
