"""人: persons, households (一户一档), residencies, key-group tags and visits.

Personal data follows core.personal_data: ID and phone numbers are stored
encrypted (``*_enc``), searchable by keyed hash (``*_hash``) and shown
masked (``*_masked``). The last four characters, visible in the masked form
anyway, are kept in ``*_tail`` for the "search by the last digits" that
community workers use every day.

People who move out or die are never deleted: their ``status`` changes and
the history stays (Residency rows, the audit log).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from civicgrid.areas.models import Area
from civicgrid.core.scoping import ScopedQuerySet
from civicgrid.places.models import Dwelling


class PeopleQuerySet(ScopedQuerySet):
    area_code_lookup = "area__code"


class Sex(models.TextChoices):
    MALE = "male", _("Male")
    FEMALE = "female", _("Female")


class ResidencyKind(models.TextChoices):
    REGISTERED = "registered", _("Registered resident (户籍)")
    RESIDENT = "resident", _("Permanent resident (常住)")
    FLOATING = "floating", _("Floating population (流动)")
    TENANT = "tenant", _("Tenant (租住)")
    REGISTERED_ABSENT = "registered_absent", _("Registered but living elsewhere (户在人不在)")
    PRESENT_UNREGISTERED = "present_unregistered", _("Living here, registered elsewhere (人在户不在)")


class PersonStatus(models.TextChoices):
    ACTIVE = "active", _("Living here")
    MOVED_OUT = "moved_out", _("Moved out")
    DECEASED = "deceased", _("Deceased")
    MERGED = "merged", _("Merged into another record")


class Relation(models.TextChoices):
    HEAD = "head", _("Head of household")
    SPOUSE = "spouse", _("Spouse")
    CHILD = "child", _("Child")
    PARENT = "parent", pgettext_lazy("family relation", "Parent")
    GRANDPARENT = "grandparent", _("Grandparent")
    GRANDCHILD = "grandchild", _("Grandchild")
    SIBLING = "sibling", _("Sibling")
    CHILD_IN_LAW = "child_in_law", _("Son- or daughter-in-law")
    OTHER = "other", _("Other relative")
    NON_RELATIVE = "non_relative", _("Non-relative")


class Household(models.Model):
    """户: the household file (一户一档), the page a community worker opens first."""

    area = models.ForeignKey(Area, verbose_name=_("grid"), on_delete=models.PROTECT, related_name="+")
    dwelling = models.ForeignKey(
        Dwelling, verbose_name=_("dwelling"), null=True, blank=True, on_delete=models.PROTECT, related_name="households"
    )
    number = models.CharField(_("household number"), max_length=30, blank=True, db_index=True)
    head = models.ForeignKey(
        "Person",
        verbose_name=_("head of household"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    is_collective = models.BooleanField(_("collective household"), default=False)
    is_active = models.BooleanField(_("active"), default=True)
    note = models.CharField(_("note"), max_length=500, blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = PeopleQuerySet.as_manager()

    class Meta:
        verbose_name = _("household")
        verbose_name_plural = _("households")
        ordering = ["area", "number"]

    def __str__(self) -> str:
        return self.number or f"#{self.pk}"


class Person(models.Model):
    area = models.ForeignKey(Area, verbose_name=_("grid"), on_delete=models.PROTECT, related_name="+")
    name = models.CharField(_("name"), max_length=50, db_index=True)
    # Lower-case pinyin without tones ("zhangsan") and initials ("zs"), for search.
    name_pinyin = models.CharField(max_length=200, blank=True, db_index=True, editable=False)
    name_initials = models.CharField(max_length=50, blank=True, db_index=True, editable=False)
    sex = models.CharField(_("sex"), max_length=10, choices=Sex.choices, blank=True)
    birth_date = models.DateField(_("date of birth"), null=True, blank=True, db_index=True)
    ethnicity = models.CharField(_("ethnic group"), max_length=20, blank=True)
    id_number_enc = models.TextField(blank=True, editable=False)
    id_number_hash = models.CharField(max_length=40, blank=True, db_index=True, editable=False)
    id_number_masked = models.CharField(_("ID number"), max_length=20, blank=True, editable=False)
    id_number_tail = models.CharField(max_length=4, blank=True, db_index=True, editable=False)
    phone_enc = models.TextField(blank=True, editable=False)
    phone_hash = models.CharField(max_length=40, blank=True, db_index=True, editable=False)
    phone_masked = models.CharField(_("mobile phone"), max_length=20, blank=True, editable=False)
    phone_tail = models.CharField(max_length=4, blank=True, db_index=True, editable=False)
    household = models.ForeignKey(
        Household, verbose_name=_("household"), null=True, blank=True, on_delete=models.SET_NULL, related_name="members"
    )
    relation = models.CharField(_("relation to head"), max_length=20, choices=Relation.choices, blank=True)
    dwelling = models.ForeignKey(
        Dwelling, verbose_name=_("dwelling"), null=True, blank=True, on_delete=models.SET_NULL, related_name="residents"
    )
    residency_kind = models.CharField(_("residency"), max_length=30, choices=ResidencyKind.choices, db_index=True)
    registered_address = models.CharField(_("registered address (户籍地)"), max_length=300, blank=True)
    workplace = models.CharField(_("workplace or school"), max_length=200, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=PersonStatus.choices, default=PersonStatus.ACTIVE, db_index=True
    )
    status_date = models.DateField(_("status since"), null=True, blank=True)
    status_note = models.CharField(_("status note"), max_length=300, blank=True)
    merged_into = models.ForeignKey(
        "self", verbose_name=_("merged into"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    note = models.CharField(_("note"), max_length=500, blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = PeopleQuerySet.as_manager()

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("persons")
        ordering = ["name", "id"]
        indexes = [
            models.Index(fields=["area", "status", "name"]),
            models.Index(fields=["area", "residency_kind"]),
        ]

    def __str__(self) -> str:
        return self.name


class Residency(models.Model):
    """Where a person lived, under which kind, from when to when (history of moves)."""

    person = models.ForeignKey(Person, verbose_name=_("person"), on_delete=models.CASCADE, related_name="residencies")
    dwelling = models.ForeignKey(Dwelling, verbose_name=_("dwelling"), on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("residency"), max_length=30, choices=ResidencyKind.choices)
    since = models.DateField(_("since"), null=True, blank=True)
    until = models.DateField(_("until"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("residency")
        verbose_name_plural = _("residencies")
        ordering = ["person", "-since"]

    def __str__(self) -> str:
        return f"{self.person} @ {self.dwelling}"


class RentalContract(models.Model):
    """出租房屋: a rental of a dwelling, its landlord and tenants, and dates."""

    area = models.ForeignKey(Area, verbose_name=_("grid"), on_delete=models.PROTECT, related_name="+")
    dwelling = models.ForeignKey(Dwelling, verbose_name=_("dwelling"), on_delete=models.PROTECT, related_name="rentals")
    landlord = models.ForeignKey(
        Person, verbose_name=_("landlord"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    landlord_name = models.CharField(_("landlord name"), max_length=50, blank=True)
    tenants = models.ManyToManyField(Person, verbose_name=_("tenants"), related_name="rentals", blank=True)
    starts_on = models.DateField(_("start date"))
    ends_on = models.DateField(_("end date"), null=True, blank=True, db_index=True)
    monthly_rent = models.DecimalField(_("monthly rent"), max_digits=10, decimal_places=2, null=True, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)

    objects = PeopleQuerySet.as_manager()

    class Meta:
        verbose_name = _("rental contract")
        verbose_name_plural = _("rental contracts")
        ordering = ["-starts_on"]

    def __str__(self) -> str:
        return f"{self.dwelling} {self.starts_on}"


class Tag(models.Model):
    """重点人群 / 标签, configurable by admins. Sensitive tags (社区矫正, 吸毒…)
    are visible only with the ``people.sensitive`` capability."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=50, unique=True)
    category = models.CharField(_("category"), max_length=30, blank=True)
    is_sensitive = models.BooleanField(_("sensitive"), default=False)
    has_grade = models.BooleanField(_("has a grade"), default=False)
    # Visits required every N days (e.g. 社区矫正 30, 独居老人 7); empty: none.
    visit_interval_days = models.PositiveSmallIntegerField(_("visit every (days)"), null=True, blank=True)
    # Derived tags are computed (高龄 from the birth date), never set by hand.
    derived_min_age = models.PositiveSmallIntegerField(_("derived from age (years)"), null=True, blank=True)
    sort_order = models.PositiveSmallIntegerField(default=100)
    description = models.CharField(_("description"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("tag")
        verbose_name_plural = _("tags")
        ordering = ["sort_order", "code"]

    def __str__(self) -> str:
        return self.name


class PersonTag(models.Model):
    person = models.ForeignKey(Person, verbose_name=_("person"), on_delete=models.CASCADE, related_name="person_tags")
    tag = models.ForeignKey(Tag, verbose_name=_("tag"), on_delete=models.PROTECT, related_name="person_tags")
    grade = models.CharField(_("grade"), max_length=20, blank=True)
    since = models.DateField(_("since"), null=True, blank=True)
    until = models.DateField(_("until"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("person tag")
        verbose_name_plural = _("person tags")
        constraints = [models.UniqueConstraint(fields=["person", "tag"], name="unique_person_tag")]
        indexes = [models.Index(fields=["tag", "person"])]

    def __str__(self) -> str:
        return f"{self.person} · {self.tag}"


class Visit(models.Model):
    """走访: a visit to a person or household (recorded in the field, issue 5)."""

    area = models.ForeignKey(Area, verbose_name=_("grid"), on_delete=models.PROTECT, related_name="+")
    person = models.ForeignKey(
        Person, verbose_name=_("person"), null=True, blank=True, on_delete=models.PROTECT, related_name="visits"
    )
    household = models.ForeignKey(
        Household, verbose_name=_("household"), null=True, blank=True, on_delete=models.PROTECT, related_name="visits"
    )
    visited_at = models.DateTimeField(_("visited at"), db_index=True)
    visitor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("visitor"), on_delete=models.PROTECT, related_name="+"
    )
    met = models.CharField(_("who was met"), max_length=100, blank=True)
    situation = models.TextField(_("situation"), blank=True)
    needs = models.TextField(_("needs found"), blank=True)

    objects = PeopleQuerySet.as_manager()

    class Meta:
        verbose_name = _("visit")
        verbose_name_plural = _("visits")
        ordering = ["-visited_at"]
        indexes = [models.Index(fields=["person", "-visited_at"])]

    def __str__(self) -> str:
        return f"{self.person or self.household} {self.visited_at:%Y-%m-%d}"
