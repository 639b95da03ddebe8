"""Excel in and out for the people registry: ledger import (upload → header
mapping with a preview → background job with a progress bar → result or error
workbook), the import template, and the streaming person-list export."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from civicgrid.core import excel as xl
from civicgrid.core.scoping import user_can
from civicgrid.imports.models import ImportJob, ImportStatus
from civicgrid.people import exporters, importers, selectors
from civicgrid.people.models import PersonStatus, ResidencyKind, Sex


def _require(user: Any, capability: str) -> None:
    if not user_can(user, capability):
        raise PermissionDenied


def _job_or_404(user: Any, pk: int) -> ImportJob:
    job = ImportJob.objects.visible_to(user, "people.import").filter(pk=pk, kind=importers.KIND).first()
    if job is None:
        raise Http404(_("No such import, or it belongs to an area outside yours."))
    return job


@login_required
def import_list(request: HttpRequest) -> HttpResponse:
    _require(request.user, "people.import")
    jobs = (
        ImportJob.objects.visible_to(request.user, "people.import")
        .filter(kind=importers.KIND)
        .select_related("created_by")[:50]
    )
    return render(request, "people/import_list.html", {"jobs": jobs, "nav_active": "imports"})


@login_required
@require_POST
def import_upload(request: HttpRequest) -> HttpResponse:
    _require(request.user, "people.import")
    upload = request.FILES.get("file")
    if upload is None:
        messages.error(request, _("Choose an Excel file to upload."))
        return redirect("people:import_list")
    try:
        xl.check_upload(upload.name or "", upload.size or 0)
        sheet = xl.read_sheet(upload.file)
        header = xl.detect_header(sheet, importers.PERSON_LEDGER)
    except xl.LedgerError as exc:
        messages.error(request, str(exc))
        return redirect("people:import_list")
    upload.seek(0)
    job = ImportJob(
        kind=importers.KIND,
        created_by=request.user,
        area_code=importers.import_scope_code(request.user),
        original_name=upload.name[:255],
        sheet_name=sheet.name,
        headers=header.headers,
        mapping={str(c): f for c, f in header.mapping.items()},
        total_rows=xl.count_rows(sheet, header),
    )
    job.file.save(upload.name, upload, save=False)
    job.save()
    return redirect("people:import_detail", pk=job.pk)


@login_required
def import_detail(request: HttpRequest, pk: int) -> HttpResponse:
    job = _job_or_404(request.user, pk)
    context: dict[str, Any] = {"job": job, "nav_active": "imports"}
    if job.status == ImportStatus.UPLOADED:
        ctx = importers.import_context(request.user)
        if request.method == "POST":
            valid = {c.field for c in importers.PERSON_LEDGER.columns}
            mapping: dict[str, str] = {}
            for c in range(len(job.headers)):
                value = request.POST.get(f"col_{c}", "")
                if value in valid and value not in mapping.values():
                    mapping[str(c)] = value
            job.mapping = mapping
            job.save(update_fields=["mapping"])
        try:
            preview = importers.build_preview(job, ctx)
        except xl.LedgerError as exc:
            messages.error(request, str(exc))
            return redirect("people:import_list")
        context.update(
            preview=preview,
            columns=[
                (c, h, preview.header.mapping.get(c, ""), _cells(preview.rows, c)) for c, h in enumerate(job.headers)
            ],
            field_choices=[(c.field, importers.FIELD_LABELS[c.field]) for c in importers.PERSON_LEDGER.columns],
        )
    elif job.status == ImportStatus.DONE:
        context["changes"] = job.changes.order_by("row_number")[:200]
    return render(request, "people/import_detail.html", context)


def _cells(rows: list[Any], column: int) -> list[Any]:
    return [xl.clean_text(r.cells[column]) if column < len(r.cells) else "" for r in rows[:3]]


@login_required
@require_POST
def import_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    job = _job_or_404(request.user, pk)
    if job.status != ImportStatus.UPLOADED:
        messages.info(request, _("This import has already been started."))
        return redirect("people:import_detail", pk=job.pk)
    ctx = importers.import_context(request.user)
    sheet = importers.load_sheet(job)
    problems = importers.mapping_problems(importers.header_for(job, sheet), ctx)
    if problems:
        for problem in problems:
            messages.error(request, problem)
        return redirect("people:import_detail", pk=job.pk)
    job.status = ImportStatus.QUEUED
    job.processed_rows = 0
    job.save(update_fields=["status", "processed_rows"])
    importers.run_import_job.enqueue(job_id=job.pk)
    return redirect("people:import_detail", pk=job.pk)


@login_required
def import_progress(request: HttpRequest, pk: int) -> HttpResponse:
    job = _job_or_404(request.user, pk)
    if job.is_finished:
        response = HttpResponse(status=204)
        response["HX-Refresh"] = "true"
        return response
    total = max(job.total_rows, 1)
    writing = job.phase == "writing"
    done = total + min(importers.written_rows(job), total) if writing else job.processed_rows
    percent = int(done * 100 / (2 * total))
    return render(request, "people/import_progress.html", {"job": job, "percent": percent})


@login_required
def import_errors(request: HttpRequest, pk: int) -> FileResponse:
    job = _job_or_404(request.user, pk)
    if not job.error_file:
        raise Http404(_("This import has no error workbook."))
    stem = job.original_name.rsplit(".", 1)[0]
    response = FileResponse(job.error_file.open("rb"), content_type=xl.XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = xl.content_disposition(f"{stem}-错误行.xlsx")
    return response


@login_required
def import_template(request: HttpRequest) -> HttpResponse:
    _require(request.user, "people.import")
    data = exporters.person_template(request.user)
    response = HttpResponse(data, content_type=xl.XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = xl.content_disposition("实有人口台账导入模板.xlsx")
    return response


# --- export -------------------------------------------------------------------------------------------
@login_required
def person_export(request: HttpRequest) -> HttpResponse:
    """GET: the options page for the current filters; POST: the streamed workbook."""
    _require(request.user, "people.export")
    params = request.POST if request.method == "POST" else request.GET
    filters = selectors.PersonFilters.from_params(params)
    can_unmask = user_can(request.user, "personal.unmask")
    if request.method == "POST":
        clear = can_unmask and params.get("clear") == "1"
        reason = (params.get("reason") or "").strip()
        if clear and not reason:
            messages.error(request, _("Say why you need the clear ID and phone numbers: the reason is logged."))
        else:
            chunks, filename = exporters.person_export(user=request.user, filters=filters, clear=clear, reason=reason)
            return xl.xlsx_response(chunks, filename)
    count = selectors.person_queryset(request.user, filters).count()
    return render(
        request,
        "people/import_export.html",
        {
            "filters": filters,
            "count": count,
            "can_unmask": can_unmask,
            "nav_active": "people",
            "labels": _filter_labels(filters),
            "generated": timezone.now(),
        },
    )


def _filter_labels(filters: selectors.PersonFilters) -> list[tuple[str, str]]:
    labels = []
    if filters.q:
        labels.append((_("Search"), filters.q))
    if filters.area:
        labels.append((_("Area"), filters.area))
    if filters.tag:
        labels.append((_("Tag"), filters.tag))
    if filters.residency:
        labels.append((_("Residency"), str(dict(ResidencyKind.choices).get(filters.residency, filters.residency))))
    if filters.status:
        labels.append((_("Status"), str(dict(PersonStatus.choices).get(filters.status, _("All")))))
    if filters.age:
        labels.append((_("Age"), filters.age))
    if filters.sex:
        labels.append((_("Sex"), str(dict(Sex.choices).get(filters.sex, filters.sex))))
    return labels
