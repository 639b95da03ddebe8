"""事件处置: reports become cases that move through the GB/T 30428 closed loop.

A case belongs to the grid where it happened (``area``); its state changes
only through core.workflow.fire with the workflow in cases/workflow.py.
The per-category 立结案标准 (``CaseCategory``) gives each state its clock and
says who handles the case by default.
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from civicgrid.areas.models import Area
from civicgrid.core.scoping import ScopedQuerySet
from civicgrid.core.workcalendar import SlaUnit
from civicgrid.core.workflow import WorkflowFields

TRACKING_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"  # no 0/O, 1/I: read out over the phone


def new_tracking_code() -> str:
    return "".join(secrets.choice(TRACKING_ALPHABET) for _ in range(10))


class HandlerLevel(models.TextChoices):
    GRID = "grid", _("Grid worker")
    COMMUNITY = "community", _("Community")
    SUBDISTRICT = "subdistrict", _("Subdistrict")
    DEPARTMENT = "department", _("District department")


class CaseCategory(models.Model):
    """Two-level category with its 立结案标准 (acceptance/closing criteria, clocks, handler)."""

    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent category"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=50)
    is_public = models.BooleanField(_("residents may report"), default=True)
    accept_criteria = models.CharField(_("acceptance criteria (立案条件)"), max_length=300, blank=True)
    close_criteria = models.CharField(_("closing criteria (结案条件)"), max_length=300, blank=True)
    handler_level = models.CharField(
        _("handled by"), max_length=20, choices=HandlerLevel.choices, default=HandlerLevel.COMMUNITY
    )
    department = models.CharField(_("responsible department"), max_length=50, blank=True)
    accept_hours = models.DecimalField(_("time to accept"), max_digits=6, decimal_places=1, default=4)
    accept_unit = models.CharField(max_length=20, choices=SlaUnit.choices, default=SlaUnit.WORK_HOURS)
    handle_amount = models.DecimalField(_("time to handle"), max_digits=6, decimal_places=1, default=3)
    handle_unit = models.CharField(max_length=20, choices=SlaUnit.choices, default=SlaUnit.WORK_DAYS)
    verify_hours = models.DecimalField(_("time to verify"), max_digits=6, decimal_places=1, default=8)
    verify_unit = models.CharField(max_length=20, choices=SlaUnit.choices, default=SlaUnit.WORK_HOURS)
    sort_order = models.PositiveSmallIntegerField(default=100)
    is_active = models.BooleanField(_("in use"), default=True)

    class Meta:
        ordering = ["sort_order", "code"]
        verbose_name = _("case category")
        verbose_name_plural = _("case categories")

    def __str__(self) -> str:
        return f"{self.parent.name} / {self.name}" if self.parent_id else self.name


class CaseSource(models.TextChoices):
    GRID_WORKER = "grid_worker", _("Grid worker patrol")
    RESIDENT = "resident", _("Resident")
    HOTLINE = "hotline", _("12345 hotline")
    VIDEO = "video", _("Video surveillance")
    LEADER = "leader", _("Assigned by a leader")


class CaseQuerySet(ScopedQuerySet):
    area_code_lookup = "area__code"


class Case(WorkflowFields):
    area = models.ForeignKey(Area, verbose_name=_("grid"), on_delete=models.PROTECT, related_name="+")
    category = models.ForeignKey(
        CaseCategory, verbose_name=_("category"), on_delete=models.PROTECT, related_name="cases"
    )
    title = models.CharField(_("title"), max_length=100)
    description = models.TextField(_("description"), blank=True)
    source = models.CharField(_("source"), max_length=20, choices=CaseSource.choices)
    external_id = models.CharField(_("original number"), max_length=50, blank=True, db_index=True)
    tracking_code = models.CharField(_("tracking code"), max_length=12, unique=True, default=new_tracking_code)
    lon = models.FloatField(_("longitude"), null=True, blank=True)
    lat = models.FloatField(_("latitude"), null=True, blank=True)
    address = models.CharField(_("address"), max_length=300, blank=True)
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("reported by"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip
    reporter_name = models.CharField(_("reporter"), max_length=50, blank=True)
    reporter_phone_enc = models.TextField(blank=True, editable=False)
    reporter_phone_hash = models.CharField(max_length=40, blank=True, db_index=True, editable=False)
    reporter_phone_masked = models.CharField(_("reporter phone"), max_length=20, blank=True, editable=False)
    handler_level = models.CharField(_("handled by"), max_length=20, choices=HandlerLevel.choices, blank=True)
    handler_area = models.ForeignKey(
        Area, verbose_name=_("handling area"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    handler_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("handler"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip
    department = models.CharField(_("department"), max_length=50, blank=True)
    merged_into = models.ForeignKey(
        "self", verbose_name=_("merged into"), null=True, blank=True, on_delete=models.PROTECT, related_name="merged"
    )
    self_handled = models.BooleanField(_("handled on the spot"), default=False)
    escalation_level = models.PositiveSmallIntegerField(_("escalations"), default=0)
    escalated_at = models.DateTimeField(_("last escalated at"), null=True, blank=True)
    supervised = models.BooleanField(_("under supervision (督办)"), default=False, db_index=True)
    supervision_deadline = models.DateTimeField(_("supervision deadline"), null=True, blank=True)
    reworks = models.PositiveSmallIntegerField(_("reworks"), default=0)
    rating = models.CharField(_("rating"), max_length=20, blank=True)
    rating_comment = models.CharField(_("rating comment"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("reported at"), auto_now_add=True, db_index=True)
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True, db_index=True)
    # Written when the handler reports done, from the clock of the dispatched state:
    # the KPI dashboard aggregates these instead of replaying the log on every view.
    handled_at = models.DateTimeField(_("handled at"), null=True, blank=True)
    handled_on_time = models.BooleanField(_("handled on time"), null=True, blank=True)

    objects = CaseQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        indexes = [
            models.Index(fields=["area", "state", "state_due_at"]),
            models.Index(fields=["state", "state_due_at"]),
            models.Index(fields=["category", "created_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.title} [{self.tracking_code}]"


class Rating(models.TextChoices):
    SATISFIED = "satisfied", _("Satisfied")
    BASICALLY = "basically", _("Basically satisfied")
    DISSATISFIED = "dissatisfied", _("Dissatisfied")


class PhotoStage(models.TextChoices):
    REPORT = "report", _("When reported")
    HANDLE = "handle", _("After handling")
    VERIFY = "verify", _("At the on-site check")


class CasePhoto(models.Model):
    """A photo re-encoded as JPEG without metadata (EXIF location, camera serial)."""

    case = models.ForeignKey(Case, verbose_name=_("case"), on_delete=models.CASCADE, related_name="photos")
    stage = models.CharField(_("stage"), max_length=10, choices=PhotoStage.choices, default=PhotoStage.REPORT)
    image = models.ImageField(_("photo"), upload_to="cases/%Y/%m/")
    width = models.PositiveIntegerField(default=0)
    height = models.PositiveIntegerField(default=0)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["uploaded_at"]
        verbose_name = _("case photo")
        verbose_name_plural = _("case photos")

    def __str__(self) -> str:
        return self.image.name


class Open311Client(models.Model):
    """An app allowed to POST service requests through Open311 (its ``api_key``, stored hashed)."""

    name = models.CharField(_("name"), max_length=100)
    key_hash = models.CharField(max_length=64, unique=True)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("Open311 client")
        verbose_name_plural = _("Open311 clients")

    def __str__(self) -> str:
        return self.name
