from django.urls import path

from civicgrid.areas import map_views, views

app_name = "areas"
urlpatterns = [
    path("", views.area_tree, name="tree"),
    path("map/", map_views.grid_map, name="map"),
    path("map/features.geojson", map_views.map_features, name="map_features"),
    path("<str:code>/", views.area_detail, name="detail"),
    path("<str:code>/children/", views.tree_children, name="tree_children"),
    path("<str:code>/card/", map_views.grid_card, name="grid_card"),
    path("<str:code>/edit/", views.area_edit, name="edit"),
    path("<str:code>/new-child/", views.area_create_child, name="create_child"),
    path("<str:code>/boundaries/", views.boundary_upload, name="boundary_upload"),
    path("<str:code>/boundaries.geojson", views.boundary_download, name="boundary_download"),
]
