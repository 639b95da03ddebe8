from django.urls import path

from civicgrid.areas import views

app_name = "areas"
urlpatterns = [
    path("", views.area_tree, name="tree"),
    path("map/", views.grid_map, name="map"),
]
