from __future__ import annotations

import datetime as dt
import json
import secrets

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.paginator import Paginator
from django.db import transaction
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from civicgrid.cases import hotline, kpis, selectors, services
from civicgrid.cases.forms import (
    CaseReportForm,
    CategoryForm,
    PublicReportForm,
    RatingForm,
    SuperviseForm,
    TransitionForm,
)
from civicgrid.cases.models import Case, CaseCategory, CaseSource
from civicgrid.cases.workflow import CASES, OPEN_STATES, S
from civicgrid.core import audit, excel
from civicgrid.core.scoping import user_can
from civicgrid.core.workflow import WorkflowError, available, history


@login_required
def inbox(request: HttpRequest) -> HttpResponse:
    if not user_can(request.user, "cases.view"):
        raise PermissionDenied
    tab = request.GET.get("tab", "open")
    if tab not in selectors.TABS:
        tab = "open"
    cases = selectors.inbox(request.user, tab=tab, filters=request.GET.dict())
    page = Paginator(cases, 30).get_page(request.GET.get("page"))
    now = timezone.now()
    rows = [(c, selectors.deadline_status(c, now), CASES.state_label(c.state)) for c in page]
    context = {
        "page": page,
        "rows": rows,
        "tab": tab,
        "tabs": [
            (key, CASES.state_label(states[0]) if len(states) == 1 else None) for key, states in selectors.TABS.items()
        ],
        "counts": selectors.tab_counts(request.user),
        "categories": CaseCategory.objects.filter(parent__isnull=True, is_active=True),
        "filters": request.GET,
        "can_report": user_can(request.user, "cases.report"),
        "can_configure": user_can(request.user, "cases.configure"),
        "nav_active": "cases",
    }
    return render(request, "cases/inbox.html", context)


@login_required
def case_report(request: HttpRequest) -> HttpResponse:
    """A grid worker reports a problem in a few taps (phone-first)."""
    if not user_can(request.user, "cases.report"):
        raise PermissionDenied
    form = CaseReportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            with transaction.atomic():
                case = _report_with_photos(request, data)
        except (ValidationError, WorkflowError) as err:
            form.add_error(None, err if isinstance(err, ValidationError) else str(err))
        else:
            messages.success(request, _("Reported. Tracking code: %(code)s") % {"code": case.tracking_code})
            return redirect("cases:detail", pk=case.pk)
    return render(request, "cases/report.html", {"form": form, "nav_active": "cases"})


def _report_with_photos(request: HttpRequest, data: dict) -> Case:  # type: ignore[type-arg]
    case = services.report_case(
        category=data["category"],
        title=data["title"],
        description=data["description"],
        source=CaseSource.GRID_WORKER,
        by=request.user,
        lon=data["lon"],
        lat=data["lat"],
        address=data["address"],
    )
    services.attach_photos(case=case, photos=data["photos"], stage="report", by=request.user)
    if data["self_handled"]:
        services.transition(case=case, name="self_handle", by=request.user, comment=data["handled_note"])
    return case


def _visible_case_or_404(request: HttpRequest, pk: int) -> Case:
    case = (
        Case.objects.visible_to(request.user, "cases.view")
        .select_related("category", "area", "handler_area", "handler_user", "merged_into")
        .filter(pk=pk)
        .first()
    )
    if case is None:
        raise Http404(_("No such case, or it is outside your areas."))
    return case


@login_required
def case_detail(request: HttpRequest, pk: int) -> HttpResponse:
    case = _visible_case_or_404(request, pk)
    actions = available(CASES, case, request.user)
    context = {
        "case": case,
        "state_label": CASES.state_label(case.state),
        "deadline": selectors.deadline_status(case),
        "timeline": [(log, CASES.by_name.get(log.transition)) for log in history(case)],
        "actions": actions,
        "form": TransitionForm(initial={"version": case.version, "key": secrets.token_urlsafe(16)}),
        "similar": services.similar_open_cases(case) if case.state in OPEN_STATES else [],
        "supervise_form": SuperviseForm() if user_can(request.user, "cases.supervise", case.area) else None,
        "boundary_json": json.dumps(case.area.boundary) if case.area.boundary else "",
        "nav_active": "cases",
    }
    return render(request, "cases/detail.html", context)


@require_POST
@login_required
def case_transition(request: HttpRequest, pk: int, name: str) -> HttpResponse:
    case = _visible_case_or_404(request, pk)
    form = TransitionForm(request.POST, request.FILES)
    if not form.is_valid():
        problems = [str(e) for errors in form.errors.values() for e in errors]
        messages.error(request, " ".join(problems) or _("The form was incomplete. Reload the page and try again."))
        return redirect("cases:detail", pk=case.pk)
    data = {}
    if name == "merge":
        target = (
            Case.objects.visible_to(request.user, "cases.view")
            .filter(tracking_code=form.cleaned_data["merge_into"].strip().upper())
            .first()
        )
        if target is None:
            messages.error(request, _("Enter the tracking code of a case you can see to merge into."))
            return redirect("cases:detail", pk=case.pk)
        data["into"] = target
    try:
        with transaction.atomic():
            services.transition(
                case=case,
                name=name,
                by=request.user,
                comment=form.cleaned_data["comment"],
                idempotency_key=form.cleaned_data["key"],
                expected_version=form.cleaned_data["version"],
                **data,
            )
            stage = {"handle": "handle", "close": "verify", "rework": "verify"}.get(name, "report")
            services.attach_photos(case=case, photos=form.cleaned_data["photos"], stage=stage, by=request.user)
    except WorkflowError as err:
        messages.error(request, str(err))
    else:
        label = CASES.by_name[name].label if name in CASES.by_name else name
        messages.success(request, _("Done: %(action)s.") % {"action": label})
    return redirect("cases:detail", pk=case.pk)


# --- residents: no login, a tracking code ------------------------------------------------


def public_report(request: HttpRequest) -> HttpResponse:
    form = PublicReportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            with transaction.atomic():
                case = services.report_case(
                    category=data["category"],
                    title=data["title"],
                    description=data["description"],
                    source=CaseSource.RESIDENT,
                    lon=data["lon"],
                    lat=data["lat"],
                    address=data["address"],
                    reporter_name=data["name"],
                    reporter_phone=data["phone"],
                )
                services.attach_photos(case=case, photos=data["photos"], stage="report")
        except ValidationError as err:
            form.add_error(None, err)
        else:
            return redirect("cases:public_track", code=case.tracking_code)
    return render(request, "cases/public_report.html", {"form": form})


def public_track(request: HttpRequest, code: str) -> HttpResponse:
    case = Case.objects.select_related("category").filter(tracking_code=code.strip().upper()).first()
    if case is None:
        raise Http404(_("No case has this tracking code."))
    form = RatingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.rate_case(tracking_code=case.tracking_code, **form.cleaned_data)
        except (ValidationError, WorkflowError) as err:
            messages.error(request, " ".join(getattr(err, "messages", [str(err)])))
        else:
            messages.success(request, _("Thank you for your rating."))
        return redirect("cases:public_track", code=case.tracking_code)
    steps = [(log.at, CASES.state_label(log.to_state)) for log in history(case)]
    context = {
        "case": case,
        "state_label": CASES.state_label(case.state),
        "steps": steps,
        "form": form,
        "can_rate": case.state == S.CLOSED and not case.rating,
    }
    return render(request, "cases/public_track.html", context)


def public_lookup(request: HttpRequest) -> HttpResponse:
    code = request.GET.get("code", "").strip()
    if code:
        return redirect("cases:public_track", code=code)
    return render(request, "cases/public_lookup.html")


@require_POST
@login_required
def case_supervise(request: HttpRequest, pk: int) -> HttpResponse:
    case = _visible_case_or_404(request, pk)
    form = SuperviseForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give a valid supervision deadline."))
        return redirect("cases:detail", pk=case.pk)
    try:
        services.supervise_case(case=case, by=request.user, **form.cleaned_data)
    except ValidationError as err:
        messages.error(request, " ".join(err.messages))
    else:
        messages.success(request, _("The case is now under supervision."))
    return redirect("cases:detail", pk=case.pk)


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    """KPIs by grid, community, subdistrict, category or month, with charts; rows drill down to the inbox."""
    if not user_can(request.user, "cases.view"):
        raise PermissionDenied
    today = timezone.localdate()
    group = request.GET.get("group", "community")
    if group not in kpis.GROUPS:
        group = "community"
    try:
        start = dt.date.fromisoformat(request.GET.get("from", ""))
    except ValueError:
        start = today.replace(day=1) - dt.timedelta(days=150)
        start = start.replace(day=1)
    try:
        end = dt.date.fromisoformat(request.GET.get("to", ""))
    except ValueError:
        end = today
    rows = kpis.kpis(request.user, group=group, start=start, end=end)
    chart = {
        "labels": [r.label for r in rows],
        "series": {
            "close_rate": [r.close_rate for r in rows],
            "on_time_handling_rate": [r.on_time_handling_rate for r in rows],
            "satisfaction_rate": [r.satisfaction_rate for r in rows],
        },
        "names": {
            "close_rate": _("Closing rate"),
            "on_time_handling_rate": _("On-time handling rate"),
            "satisfaction_rate": _("Satisfaction rate"),
        },
    }
    total = kpis.KpiRow(
        key="",
        label=_("Total"),
        due=sum(r.due for r in rows),
        closed=sum(r.closed for r in rows),
        handled=sum(r.handled for r in rows),
        handled_on_time=sum(r.handled_on_time for r in rows),
        closed_on_time=sum(r.closed_on_time for r in rows),
        reworked=sum(r.reworked for r in rows),
        rated=sum(r.rated for r in rows),
        satisfied=sum(r.satisfied for r in rows),
        avg_hours=None,
        overdue=sum(r.overdue for r in rows),
    )
    context = {
        "rows": rows,
        "total": total,
        "chart": chart,
        "group": group,
        "start": start,
        "end": end,
        "groups": [
            ("subdistrict", _("Subdistrict")),
            ("community", _("Community")),
            ("grid", _("Grid")),
            ("category", _("Category")),
            ("month", _("Month")),
        ],
        "nav_active": "case_dashboard",
    }
    return render(request, "cases/dashboard.html", context)


@login_required
def case_photo(request: HttpRequest, pk: int, photo_id: int) -> HttpResponse:
    """Photos are served only to people who may see the case (never as public media files)."""
    case = _visible_case_or_404(request, pk)
    photo = case.photos.filter(pk=photo_id).first()
    if photo is None:
        raise Http404
    response = FileResponse(photo.image.open("rb"), content_type="image/jpeg")
    response["Cache-Control"] = "private, max-age=86400"
    return response


@login_required
def hotline_import(request: HttpRequest) -> HttpResponse:
    """Upload a 12345 export; every row is checked, all are imported or none."""
    if not user_can(request.user, "cases.accept"):
        raise PermissionDenied
    context: dict = {"nav_active": "cases"}  # type: ignore[type-arg]
    if request.method == "POST":
        upload = request.FILES.get("file")
        try:
            if upload is None:
                raise ValidationError(_("Choose the 12345 export file."))
            excel.check_upload(upload.name, upload.size)
        except (ValidationError, excel.LedgerError) as err:
            context["problems"] = getattr(err, "messages", [str(err)])
        else:
            result = hotline.import_hotline(source=upload, by=request.user)
            context["result"] = result
            if result.error_workbook:
                name = f"hotline-errors/{secrets.token_urlsafe(12)}.xlsx"
                default_storage.save(name, ContentFile(result.error_workbook))
                request.session["hotline_error_file"] = name
    return render(request, "cases/hotline_import.html", context)


@login_required
def hotline_errors(request: HttpRequest) -> HttpResponse:
    name = request.session.get("hotline_error_file")
    if not name or not default_storage.exists(name):
        raise Http404
    response = FileResponse(default_storage.open(name, "rb"), as_attachment=True, filename="12345导入错误行.xlsx")
    return response


def _require_configure(request: HttpRequest) -> None:
    if not user_can(request.user, "cases.configure"):
        raise PermissionDenied


@login_required
def category_list(request: HttpRequest) -> HttpResponse:
    _require_configure(request)
    tops = CaseCategory.objects.filter(parent__isnull=True).prefetch_related("children")
    return render(request, "cases/category_list.html", {"tops": tops, "nav_active": "cases"})


@login_required
def category_edit(request: HttpRequest, pk: int | None = None, parent_pk: int | None = None) -> HttpResponse:
    """Edit one category's 立结案标准, or create one (a first-level one, or below ``parent_pk``)."""
    _require_configure(request)
    category = (
        get_object_or_404(CaseCategory, pk=pk)
        if pk
        else CaseCategory(
            parent=get_object_or_404(CaseCategory, pk=parent_pk, parent__isnull=True) if parent_pk else None
        )
    )
    before = {f: str(getattr(category, f)) for f in CategoryForm.Meta.fields} if pk else {}
    form = CategoryForm(request.POST or None, instance=category)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            saved = form.save()
            after = {f: str(getattr(saved, f)) for f in CategoryForm.Meta.fields}
            audit.record(
                action="update" if pk else "create",
                object_type="case_category",
                object_id=saved.pk,
                object_repr=str(saved),
                area_code="",
                actor=request.user,
                changes=audit.diff(before, after),
            )
        messages.success(request, _("Saved."))
        return redirect("cases:category_list")
    return render(request, "cases/category_edit.html", {"form": form, "category": category, "nav_active": "cases"})
