"""The JSON API (django-ninja, OpenAPI at /api/v1/docs).

Each app contributes a router from its ``api.py``; every endpoint is
authenticated (browser session or personal bearer token) and scoped with the
same ``visible_to`` as the pages. Errors carry a Chinese ``detail``.
"""

from django.http import HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, ValidationError

from civicgrid.accounts.api_auth import api_auth
from civicgrid.areas.api import router as areas_router
from civicgrid.cases.api import router as cases_router
from civicgrid.core import api_messages
from civicgrid.people.api import router as people_router
from civicgrid.places.api import router as places_router

api = NinjaAPI(
    title="CivicGrid API",
    version="1",
    description="社区网格化服务管理平台 API：所有接口均需登录或个人令牌（Authorization: Bearer …），并按管辖区域过滤。",
    auth=api_auth,
    urls_namespace="api",
)


@api.exception_handler(AuthenticationError)
def unauthenticated(request: HttpRequest, exc: Exception) -> HttpResponse:
    return api.create_response(request, {"detail": str(api_messages.UNAUTHENTICATED)}, status=401)


@api.exception_handler(ValidationError)
def invalid_input(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    return api.create_response(request, {"detail": str(api_messages.INVALID_INPUT), "errors": exc.errors}, status=422)


api.add_router("/areas", areas_router)
api.add_router("/people", people_router)
api.add_router("/places", places_router)
api.add_router("/cases", cases_router)
