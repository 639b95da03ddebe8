from django.urls import path

from civicgrid.areas import map_views, views

app_name = "areas"
urlpatterns = [
    # tree, area pages, editing (views.py)
    path("", views.area_tree, name="tree"),
    # map (map_views.py)
    path("map/", map_views.grid_map, name="map"),
]
