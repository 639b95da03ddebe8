"""Areas API: the tree and one area with its GeoJSON, scoped to the caller."""

from __future__ import annotations

from ninja import Router, Schema

from civicgrid.areas.models import Area

router = Router(tags=["areas"])


class AreaOut(Schema):
    id: int
    code: str
    name: str
    level: str
    parent_id: int | None


@router.get("/", response=list[AreaOut], summary="Areas visible to the caller")
def list_areas(request):  # type: ignore[no-untyped-def]
    return Area.objects.visible_to(request.user)
