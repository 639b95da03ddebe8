"""The state of an Excel ledger import (core.excel pipeline), and what it changed.

An ImportJob keeps the uploaded file, the header mapping the user confirmed,
progress for the progress bar, counts, the rows held back for review and the
error workbook. Imports write with bulk operations, which bypass per-row
audit: each import records one summary audit event, and ImportChange keeps
the per-record change list (masked values only) for that event.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from civicgrid.core.scoping import ScopedQuerySet


class ImportJobQuerySet(ScopedQuerySet):
    area_code_lookup = "area_code"


class ImportStatus(models.TextChoices):
    UPLOADED = "uploaded", _("Waiting for confirmation")
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    INVALID = "invalid", _("Rejected: the file has errors")
    DONE = "done", _("Imported")
    FAILED = "failed", _("Failed")


class ImportJob(models.Model):
    kind = models.CharField(_("ledger"), max_length=40)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("uploaded by"), on_delete=models.PROTECT, related_name="+"
    )
    # The uploader's import scope (common prefix): who else may see this job.
    area_code = models.CharField(_("area code"), max_length=15, db_index=True)
    file = models.FileField(_("file"), upload_to="imports/%Y/%m/", max_length=300)
    original_name = models.CharField(_("file name"), max_length=255)
    sheet_name = models.CharField(_("sheet"), max_length=100, blank=True)
    headers = models.JSONField(default=list)
    mapping = models.JSONField(default=dict)  # {"column index": "field"}
    status = models.CharField(
        _("status"), max_length=20, choices=ImportStatus.choices, default=ImportStatus.UPLOADED, db_index=True
    )
    phase = models.CharField(max_length=20, blank=True)  # checking / writing
    total_rows = models.PositiveIntegerField(default=0)
    processed_rows = models.PositiveIntegerField(default=0)
    error_rows = models.PositiveIntegerField(default=0)
    counts = models.JSONField(default=dict)
    review = models.JSONField(default=list)  # rows held back: possible duplicates
    error_file = models.FileField(upload_to="imports/errors/%Y/%m/", blank=True, max_length=300)
    message = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    objects = ImportJobQuerySet.as_manager()

    class Meta:
        verbose_name = _("import job")
        verbose_name_plural = _("import jobs")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.original_name

    @property
    def is_finished(self) -> bool:
        return self.status in {ImportStatus.INVALID, ImportStatus.DONE, ImportStatus.FAILED}


class ImportChange(models.Model):
    """One record an import created or changed, with the field diff (masked values)."""

    job = models.ForeignKey(ImportJob, on_delete=models.CASCADE, related_name="changes")
    row_number = models.PositiveIntegerField()
    object_type = models.CharField(max_length=30)
    object_id = models.CharField(max_length=64, db_index=True)
    action = models.CharField(max_length=10)
    changes = models.JSONField(default=dict)

    class Meta:
        ordering = ["job", "row_number"]

    def __str__(self) -> str:
        return f"{self.job_id}:{self.row_number} {self.action} {self.object_type} {self.object_id}"
