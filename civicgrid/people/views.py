"""Pages of the people registry: thin views over people.selectors and people.services."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from civicgrid.core import personal_data as pd
from civicgrid.core.scoping import scope_codes, user_can
from civicgrid.people import forms, selectors, services
from civicgrid.people.models import Household, Person, PersonStatus, ResidencyKind, Sex, Tag
from civicgrid.places.models import Dwelling

PAGE_SIZE = 50


def _require_view(user: Any) -> None:
    if not user_can(user, "people.view"):
        raise PermissionDenied


def _person_or_404(user: Any, pk: int, capability: str = "people.view") -> Person:
    person = selectors.person_for(user, pk, "people.view")
    if person is None:
        raise Http404(_("No such person, or they are outside your areas."))
    if capability != "people.view" and not user_can(user, capability, person.area):
        raise PermissionDenied
    return person


def _household_or_404(user: Any, pk: int, capability: str = "people.view") -> Household:
    household = selectors.household_for(user, pk)
    if household is None:
        raise Http404(_("No such household, or it is outside your areas."))
    if capability != "people.view" and not user_can(user, capability, household.area):
        raise PermissionDenied
    return household


# --- person list and search -------------------------------------------------------------------------
@login_required
def person_list(request: HttpRequest) -> HttpResponse:
    _require_view(request.user)
    filters = selectors.PersonFilters.from_params(request.GET)
    tags = selectors.all_tags()
    qs = selectors.with_list_relations(selectors.person_queryset(request.user, filters, tags=tags))
    page = Paginator(qs.order_by("name", "pk"), PAGE_SIZE).get_page(request.GET.get("page"))
    page.object_list = selectors.decorate_persons(list(page.object_list), user=request.user, tags=tags)
    params = request.GET.copy()
    params.pop("page", None)
    context = {
        "page": page,
        "filters": filters,
        "querystring": params.urlencode(),
        "nav_active": "people",
    }
    if request.headers.get("HX-Request") and request.headers.get("HX-Target") == "person-results":
        return render(request, "people/_person_results.html", context)
    show_sensitive = user_can(request.user, "people.sensitive")
    context.update(
        areas=selectors.area_options(request.user),
        tag_choices=[t for t in tags if show_sensitive or not t.is_sensitive],
        residency_choices=ResidencyKind.choices,
        status_choices=[*PersonStatus.choices, ("all", _("All"))],
        age_choices=[(k, v[0]) for k, v in selectors.AGE_BANDS.items()],
        sex_choices=Sex.choices,
        can_change=user_can(request.user, "people.change"),
        can_admin_tags=selectors.can_admin_tags(request.user),
    )
    return render(request, "people/person_list.html", context)


# --- one person ------------------------------------------------------------------------------------------
@login_required
def person_detail(request: HttpRequest, pk: int) -> HttpResponse:
    person = _person_or_404(request.user, pk)
    tags = selectors.all_tags()
    sensitive_codes = scope_codes(request.user, "people.sensitive")
    tag_views = selectors.person_tag_views(person, user=request.user, tags=tags, sensitive_codes=sensitive_codes)
    shown_sensitive = [tv.tag.code for tv in tag_views if tv.tag.is_sensitive]
    if shown_sensitive:
        services.record_sensitive_view(person=person, by=request.user, tags=shown_sensitive)
    can_change = user_can(request.user, "people.change", person.area)
    context = {
        "person": person,
        "age": selectors.age_on(person.birth_date),
        "tag_views": tag_views,
        "visit_status": selectors.visit_status_of(person),
        "visits": selectors.person_visits(person),
        "residencies": list(person.residencies.select_related("dwelling").order_by("-since", "-pk")),
        "rentals": selectors.person_rentals(person),
        "can_change": can_change,
        "can_unmask": user_can(request.user, "personal.unmask", person.area),
        "tag_form": forms.PersonTagForm(
            tags=[
                t
                for t in tags
                if not t.is_sensitive or selectors.can_see_sensitive(request.user, person.area.code, sensitive_codes)
            ]
        )
        if can_change
        else None,
        "nav_active": "people",
    }
    return render(request, "people/person_detail.html", context)


@login_required
def person_unmask(request: HttpRequest, pk: int) -> HttpResponse:
    """htmx: a small form asking why; on POST the clear value, once, audited."""
    person = _person_or_404(request.user, pk, "personal.unmask")
    form = forms.UnmaskForm(request.POST or None, initial={"field": request.GET.get("field", "id_number")})
    value = None
    if request.method == "POST" and form.is_valid():
        try:
            value = services.person_unmask(
                person=person, by=request.user, reason=form.cleaned_data["reason"], field=form.cleaned_data["field"]
            )
        except ValidationError as err:
            form.add_error("reason", err)
    field = form.data.get("field") if form.is_bound else form.initial.get("field")
    template = "people/_unmask.html" if request.headers.get("HX-Request") else "people/unmask.html"
    return render(request, template, {"person": person, "form": form, "value": value, "field": field})


def _person_form_page(
    request: HttpRequest, form: forms.PersonForm, person: Person | None, **extra: Any
) -> HttpResponse:
    return render(
        request,
        "people/person_form.html",
        {"form": form, "person": person, "nav_active": "people", **extra},
    )


def _save_person(request: HttpRequest, form: forms.PersonForm, person: Person | None) -> HttpResponse | None:
    """Run duplicate checks and the service; return a redirect, or None to show the form again."""
    d = form.cleaned_data
    dwelling = d.get("dwelling")
    birth = form.parsed_id.birth_date if form.parsed_id else (d.get("birth_date") or (person and person.birth_date))
    if not d.get("confirm_duplicate"):
        twins = selectors.possible_duplicates(
            name=d["name"].strip(),
            birth_date=birth,
            address=dwelling.address if dwelling else "",
            exclude_pk=person.pk if person else None,
        )
        twin = twins.first()
        if twin is not None:
            form.add_error(
                "confirm_duplicate",
                _(
                    "A person with the same name, date of birth and address is already registered (#%(pk)s). "
                    "If this is the same person, open that record instead; otherwise tick the box and save again."
                )
                % {"pk": twin.pk},
            )
            return None
    try:
        if person is None:
            person = services.person_create(by=request.user, **form.service_kwargs())
        else:
            person = services.person_update(
                person=person, by=request.user, expected_version=d.get("version") or 0, **form.service_kwargs()
            )
    except services.DuplicatePerson as err:
        form.add_error("id_number", err)
        form.duplicate_of = err.existing  # type: ignore[attr-defined]
        return None
    except ValidationError as err:
        form.add_error(None, err)
        return None
    for warning in form.warnings:
        messages.warning(request, warning)
    messages.success(request, _("Saved."))
    return redirect("people:person_detail", pk=person.pk)


@login_required
def person_create(request: HttpRequest) -> HttpResponse:
    if not user_can(request.user, "people.change"):
        raise PermissionDenied
    initial: dict[str, Any] = {}
    household = None
    if request.GET.get("household"):
        household = _household_or_404(request.user, int(request.GET["household"]), "people.change")
        initial = {"household": household.pk, "dwelling": household.dwelling_id}
    form = forms.PersonForm(request.POST or None, user=request.user, initial=initial)
    if household is not None and not form.is_bound:
        forms._limited_choices(form.fields["household"], [household])
        forms._limited_choices(form.fields["dwelling"], [household.dwelling])
    if request.method == "POST" and form.is_valid():
        response = _save_person(request, form, None)
        if response is not None:
            return response
    return _person_form_page(request, form, None)


@login_required
def person_edit(request: HttpRequest, pk: int) -> HttpResponse:
    person = _person_or_404(request.user, pk, "people.change")
    initial = {
        "version": person.version,
        "name": person.name,
        "sex": person.sex,
        "birth_date": person.birth_date,
        "ethnicity": person.ethnicity,
        "residency_kind": person.residency_kind,
        "dwelling": person.dwelling_id,
        "area": person.area_id,
        "household": person.household_id,
        "relation": person.relation,
        "registered_address": person.registered_address,
        "workplace": person.workplace,
        "note": person.note,
    }
    form = forms.PersonForm(request.POST or None, user=request.user, person=person, initial=initial)
    if request.method == "POST" and form.is_valid():
        response = _save_person(request, form, person)
        if response is not None:
            return response
    return _person_form_page(request, form, person)


@login_required
def id_number_check(request: HttpRequest) -> HttpResponse:
    """htmx: birth date and sex derived from a typed ID number, or what is wrong with it."""
    _require_view(request.user)
    value = request.GET.get("id_number", "").strip()
    context: dict[str, Any] = {"value": value}
    if value:
        try:
            context["parsed"] = pd.parse_id_number(value)
        except ValidationError as err:
            context["error"] = err.messages[0]
    return render(request, "people/_id_check.html", context)


@login_required
def dwelling_options(request: HttpRequest) -> HttpResponse:
    """htmx: <option>s of dwellings in the user's editable scope matching an address fragment."""
    if not user_can(request.user, "people.change"):
        raise PermissionDenied
    query = (request.GET.get("dwelling_q") or "").strip()
    dwellings: list[Dwelling] = []
    if query:
        dwellings = list(
            Dwelling.objects.visible_to(request.user, "people.change")
            .filter(address__icontains=query)
            .select_related("area")
            .order_by("address")[:20]
        )
    return render(request, "people/_dwelling_options.html", {"dwellings": dwellings, "query": query})


# --- life events ----------------------------------------------------------------------------------------------
def _life_event(request: HttpRequest, pk: int, form_class: type, template_title: str, run: Any) -> HttpResponse:
    person = _person_or_404(request.user, pk, "people.change")
    form = form_class(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            run(person, form.cleaned_data)
        except ValidationError as err:
            form.add_error(None, err)
        else:
            messages.success(request, _("Saved."))
            return redirect("people:person_detail", pk=person.pk)
    return render(
        request,
        "people/life_event.html",
        {"person": person, "form": form, "title": template_title, "nav_active": "people"},
    )


@login_required
def person_move_out(request: HttpRequest, pk: int) -> HttpResponse:
    return _life_event(
        request,
        pk,
        forms.MoveOutForm,
        _("Record moving out"),
        lambda p, d: services.person_move_out(person=p, by=request.user, on=d["on"], destination=d["destination"]),
    )


@login_required
def person_death(request: HttpRequest, pk: int) -> HttpResponse:
    return _life_event(
        request,
        pk,
        forms.DeathForm,
        _("Record a death"),
        lambda p, d: services.person_record_death(person=p, by=request.user, on=d["on"], note=d["note"]),
    )


@login_required
def person_merge(request: HttpRequest, pk: int) -> HttpResponse:
    person = _person_or_404(request.user, pk, "people.change")
    form = forms.MergeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        other = Person.objects.visible_to(request.user, "people.change").filter(pk=form.cleaned_data["other"]).first()
        if other is None:
            form.add_error("other", _("No record with this number in your areas: check the number."))
        else:
            keep, gone = (person, other) if form.cleaned_data["keep"] == "this" else (other, person)
            try:
                survivor = services.persons_merge(survivor=keep, duplicate=gone, by=request.user)
            except ValidationError as err:
                form.add_error(None, err)
            else:
                messages.success(request, _("The two records were merged."))
                return redirect("people:person_detail", pk=survivor.pk)
    return render(
        request,
        "people/life_event.html",
        {"person": person, "form": form, "title": _("Merge a duplicate record"), "nav_active": "people"},
    )


@login_required
@require_POST
def person_tag_add(request: HttpRequest, pk: int) -> HttpResponse:
    person = _person_or_404(request.user, pk, "people.change")
    tags = selectors.tag_options(request.user)
    form = forms.PersonTagForm(request.POST, tags=tags)
    if form.is_valid():
        try:
            services.person_tag_add(
                person=person,
                tag=form.cleaned_data["tag"],
                by=request.user,
                grade=form.cleaned_data["grade"],
                since=form.cleaned_data["since"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as err:
            for m in err.messages:
                messages.error(request, m)
        else:
            messages.success(request, _("Tag added."))
    else:
        for errors in form.errors.values():
            for m in errors:
                messages.error(request, m)
    return redirect("people:person_detail", pk=person.pk)


@login_required
@require_POST
def person_tag_remove(request: HttpRequest, pk: int, code: str) -> HttpResponse:
    person = _person_or_404(request.user, pk, "people.change")
    tag = get_object_or_404(Tag, code=code)
    if tag.is_sensitive and not user_can(request.user, "people.sensitive", person.area):
        raise Http404
    try:
        services.person_tag_remove(person=person, tag=tag, by=request.user, reason=request.POST.get("reason", ""))
    except ValidationError as err:
        messages.error(request, err.messages[0])
    else:
        messages.success(request, _("Tag removed."))
    return redirect("people:person_detail", pk=person.pk)


# --- households ------------------------------------------------------------------------------------------------
@login_required
def household_list(request: HttpRequest) -> HttpResponse:
    _require_view(request.user)
    query = (request.GET.get("q") or "").strip()[:100]
    area = (request.GET.get("area") or "").strip()
    page = Paginator(selectors.household_queryset(request.user, query, area), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    params = request.GET.copy()
    params.pop("page", None)
    context = {
        "page": page,
        "query": query,
        "area": area,
        "querystring": params.urlencode(),
        "nav_active": "households",
    }
    if request.headers.get("HX-Request") and request.headers.get("HX-Target") == "household-results":
        return render(request, "people/_household_results.html", context)
    context.update(areas=selectors.area_options(request.user), can_change=user_can(request.user, "people.change"))
    return render(request, "people/household_list.html", context)


@login_required
def household_detail(request: HttpRequest, pk: int) -> HttpResponse:
    household = _household_or_404(request.user, pk)
    hfile = selectors.household_file(request.user, household)
    for member in hfile.members:
        shown = [tv.tag.code for tv in member.tag_views if tv.tag.is_sensitive]  # type: ignore[attr-defined]
        if shown:
            services.record_sensitive_view(person=member, by=request.user, tags=shown)
    can_change = user_can(request.user, "people.change", household.area)
    return render(
        request,
        "people/household_detail.html",
        {
            "household": household,
            "file": hfile,
            "can_change": can_change,
            "add_form": forms.AddMemberForm() if can_change else None,
            "nav_active": "households",
        },
    )


@login_required
def household_create(request: HttpRequest) -> HttpResponse:
    if not user_can(request.user, "people.change"):
        raise PermissionDenied
    form = forms.HouseholdForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            household = services.household_create(
                by=request.user,
                dwelling=form.cleaned_data["dwelling"],
                area=form.cleaned_data["area"],
                number=form.cleaned_data["number"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as err:
            form.add_error(None, err)
        else:
            messages.success(request, _("Household created."))
            return redirect("people:household_detail", pk=household.pk)
    return render(
        request, "people/household_form.html", {"form": form, "title": _("New household"), "nav_active": "households"}
    )


@login_required
@require_POST
def household_add_member(request: HttpRequest, pk: int) -> HttpResponse:
    household = _household_or_404(request.user, pk, "people.change")
    form = forms.AddMemberForm(request.POST)
    if form.is_valid():
        person = Person.objects.visible_to(request.user, "people.change").filter(pk=form.cleaned_data["person"]).first()
        if person is None:
            messages.error(request, _("No person with this record number in your areas: check the number."))
        else:
            try:
                services.household_add_member(
                    household=household, person=person, relation=form.cleaned_data["relation"], by=request.user
                )
            except ValidationError as err:
                messages.error(request, err.messages[0])
            else:
                messages.success(request, _("%(name)s joined the household.") % {"name": person.name})
    else:
        messages.error(request, _("Enter the person's record number and the relation to the head."))
    return redirect("people:household_detail", pk=household.pk)


@login_required
@require_POST
def household_remove_member(request: HttpRequest, pk: int, person_pk: int) -> HttpResponse:
    household = _household_or_404(request.user, pk, "people.change")
    person = Person.objects.visible_to(request.user, "people.view").filter(pk=person_pk).first()
    if person is None:
        raise Http404
    try:
        services.household_remove_member(household=household, person=person, by=request.user)
    except ValidationError as err:
        messages.error(request, err.messages[0])
    else:
        messages.success(request, _("%(name)s left the household.") % {"name": person.name})
    return redirect("people:household_detail", pk=household.pk)


@login_required
def household_move(request: HttpRequest, pk: int) -> HttpResponse:
    household = _household_or_404(request.user, pk, "people.change")
    form = forms.HouseholdMoveForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            services.household_move(
                household=household, dwelling=form.cleaned_data["dwelling"], by=request.user, on=form.cleaned_data["on"]
            )
        except ValidationError as err:
            form.add_error(None, err)
        else:
            messages.success(request, _("The household moved; its members moved with it."))
            return redirect("people:household_detail", pk=household.pk)
    return render(
        request,
        "people/household_form.html",
        {"form": form, "household": household, "title": _("Move the household"), "nav_active": "households"},
    )


# --- tags and visits ----------------------------------------------------------------------------------------------
def _require_tag_admin(user: Any) -> None:
    if not selectors.can_admin_tags(user):
        raise PermissionDenied


@login_required
def tag_list(request: HttpRequest) -> HttpResponse:
    _require_tag_admin(request.user)
    return render(request, "people/tag_list.html", {"tags": selectors.all_tags(), "nav_active": "people"})


@login_required
def tag_edit(request: HttpRequest, code: str | None = None) -> HttpResponse:
    _require_tag_admin(request.user)
    tag = get_object_or_404(Tag, code=code) if code else None
    form = forms.TagForm(request.POST or None, instance=tag)
    if request.method == "POST" and form.is_valid():
        fields = {k: form.cleaned_data[k] for k in forms.TagForm.Meta.fields}
        services.tag_save(by=request.user, tag=tag, **fields)
        messages.success(request, _("Saved."))
        return redirect("people:tag_list")
    return render(request, "people/tag_form.html", {"form": form, "tag": tag, "nav_active": "people"})


@login_required
def visits_due(request: HttpRequest) -> HttpResponse:
    _require_view(request.user)
    area = (request.GET.get("area") or "").strip()
    tags = selectors.all_tags()
    qs = selectors.with_list_relations(selectors.visits_due(request.user, area=area, tags=tags))
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = selectors.decorate_persons(list(page.object_list), user=request.user, tags=tags)
    page.object_list = rows
    for p in rows:
        p.visit_status = selectors.visit_status_of(p)  # type: ignore[attr-defined]
    params = request.GET.copy()
    params.pop("page", None)
    return render(
        request,
        "people/visits_due.html",
        {
            "page": page,
            "rows": rows,
            "area": area,
            "areas": selectors.area_options(request.user),
            "querystring": params.urlencode(),
            "nav_active": "people",
        },
    )
