from django.urls import include, path

from civicgrid.api import api
from civicgrid.areas.views import home

urlpatterns = [
    path("", home, name="home"),
    path("", include("civicgrid.core.urls")),
    path("accounts/", include("civicgrid.accounts.urls")),
    path("areas/", include("civicgrid.areas.urls")),
    path("people/", include("civicgrid.people.urls")),
    path("places/", include("civicgrid.places.urls")),
    path("cases/", include("civicgrid.cases.urls")),
    path("open311/v2/", include("civicgrid.cases.open311_urls")),
    path("api/v1/", api.urls),
]
