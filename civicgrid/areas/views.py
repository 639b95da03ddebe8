from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from civicgrid.areas import selectors, services
from civicgrid.areas.forms import AreaCreateForm, AreaEditForm, BoundaryUploadForm
from civicgrid.areas.models import Area, AreaLevel
from civicgrid.core.scoping import user_can


def visible_area_or_404(user, code: str) -> Area:  # type: ignore[no-untyped-def]
    area = Area.objects.visible_to(user).filter(code=code).select_related("parent").first()
    if area is None:
        raise Http404(_("No such area, or it is outside your areas."))
    return area


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """The user's own areas, their children and headline counts."""
    return render(request, "areas/home.html", {"overview": selectors.home_overview(request.user), "nav_active": "home"})


@login_required
def area_tree(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()
    context = {"nav_active": "areas", "query": query}
    if query:
        context["results"] = selectors.search_areas(request.user, query)
    else:
        context["nodes"] = selectors.with_child_counts(selectors.top_areas_for(request.user))
    return render(request, "areas/tree.html", context)


@login_required
def tree_children(request: HttpRequest, code: str) -> HttpResponse:
    """htmx partial: the children of one node, loaded when it is opened."""
    area = visible_area_or_404(request.user, code)
    children = selectors.with_child_counts(Area.objects.visible_to(request.user).filter(parent=area))
    return render(request, "areas/_tree_nodes.html", {"nodes": children})


@login_required
def area_detail(request: HttpRequest, code: str) -> HttpResponse:
    area = visible_area_or_404(request.user, code)
    children = selectors.children_table(request.user, area)
    crumbs = selectors.breadcrumb(request.user, area)
    context = {
        "area": area,
        "breadcrumb": crumbs,
        "parent_visible": bool(crumbs) and crumbs[-1][1],
        "counts": selectors.descendant_counts(area),
        "children": children,
        "responsibles": selectors.responsibles_of([area]).get(area.pk, []),
        "map_json": selectors.outline_map_json(area, children),
        "can_change": user_can(request.user, "areas.change", area),
        "code_parts": selectors.code_parts(area),
        "nav_active": "areas",
    }
    return render(request, "areas/detail.html", context)


def _changeable_area_or_403(request: HttpRequest, code: str) -> Area:
    area = visible_area_or_404(request.user, code)
    if not user_can(request.user, "areas.change", area):
        raise PermissionDenied
    return area


@login_required
def area_edit(request: HttpRequest, code: str) -> HttpResponse:
    area = _changeable_area_or_403(request, code)
    form = AreaEditForm(request.POST or None, initial={"version": area.version}, instance_area=area)
    if request.method == "POST" and form.is_valid():
        try:
            services.area_update(
                area=area,
                by=request.user,
                expected_version=form.cleaned_data["version"],
                name=form.cleaned_data["name"],
                note=form.cleaned_data["note"],
                is_active=form.cleaned_data["is_active"],
            )
        except ValidationError as err:
            form.add_error(None, err)
        else:
            messages.success(request, _("Saved."))
            return redirect("areas:detail", code=area.code)
    return render(request, "areas/edit.html", {"area": area, "form": form, "nav_active": "areas"})


@login_required
def area_create_child(request: HttpRequest, code: str) -> HttpResponse:
    parent = _changeable_area_or_403(request, code)
    if parent.level == AreaLevel.GRID:
        raise Http404
    form = AreaCreateForm(request.POST or None, parent=parent)
    if request.method == "POST" and form.is_valid():
        try:
            child = services.area_create(
                parent=parent, code=form.cleaned_data["code"], name=form.cleaned_data["name"], by=request.user
            )
        except ValidationError as err:
            form.add_error("code", err)
        else:
            messages.success(request, _("Created %(name)s.") % {"name": child.name})
            return redirect("areas:detail", code=child.code)
    return render(request, "areas/create.html", {"parent": parent, "form": form, "nav_active": "areas"})


@login_required
def boundary_upload(request: HttpRequest, code: str) -> HttpResponse:
    """Upload a community's grid boundaries: validate and preview, then confirm."""
    community = _changeable_area_or_403(request, code)
    if community.level != AreaLevel.COMMUNITY:
        raise Http404
    form = BoundaryUploadForm(request.POST or None, request.FILES or None)
    context = {"community": community, "form": form, "nav_active": "areas"}
    if request.method == "POST" and form.is_valid():
        text = form.geojson_text()
        if request.POST.get("confirm") == "1":
            result = services.import_grid_boundaries(community=community, text=text, by=request.user)
            if result.ok:
                messages.success(
                    request,
                    _("Boundaries saved: %(new)d new grids, %(changed)d changed, %(same)d unchanged.")
                    % {
                        "new": result.count("create"),
                        "changed": result.count("update"),
                        "same": result.count("unchanged"),
                    },
                )
                return redirect("areas:detail", code=community.code)
        else:
            result = services.check_grid_boundaries(community=community, text=text)
        counts = {action: result.count(action) for action in ("create", "update", "unchanged")}
        context.update(result=result, counts=counts, geojson_text=text)
    return render(request, "areas/boundary_upload.html", context)


@login_required
def boundary_download(request: HttpRequest, code: str) -> JsonResponse:
    community = visible_area_or_404(request.user, code)
    if community.level != AreaLevel.COMMUNITY:
        raise Http404
    response = JsonResponse(
        selectors.community_grids_geojson(request.user, community), json_dumps_params={"ensure_ascii": False}
    )
    response["Content-Disposition"] = f'attachment; filename="grids-{community.code}.geojson"'
    return response
