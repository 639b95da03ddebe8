"""The JSON API (django-ninja, OpenAPI at /api/v1/docs).

Each app contributes a router from its ``api.py``; every endpoint is
authenticated and scoped with the same ``visible_to`` as the pages.
"""

from ninja import NinjaAPI

from civicgrid.accounts.api_auth import api_auth
from civicgrid.areas.api import router as areas_router

api = NinjaAPI(
    title="CivicGrid API",
    version="1",
    description="社区网格化服务管理平台 API",
    auth=api_auth,
    urls_namespace="api",
)
api.add_router("/areas", areas_router)
