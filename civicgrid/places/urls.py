from django.urls import path

from civicgrid.places import views

app_name = "places"
urlpatterns = [
    path("dwellings/", views.dwelling_list, name="dwelling_list"),
    path("dwellings/new/", views.dwelling_create, name="dwelling_create"),
    path("dwellings/<int:pk>/", views.dwelling_detail, name="dwelling_detail"),
    path("dwellings/<int:pk>/edit/", views.dwelling_edit, name="dwelling_edit"),
    path("rentals/", views.rental_list, name="rental_list"),
    path("buildings/", views.building_list, name="building_list"),
    path("buildings/<int:pk>/", views.building_detail, name="building_detail"),
    path("organizations/", views.organization_list, name="organization_list"),
    path("organizations/new/", views.organization_create, name="organization_create"),
    path("organizations/<int:pk>/", views.organization_detail, name="organization_detail"),
    path("organizations/<int:pk>/edit/", views.organization_edit, name="organization_edit"),
    path("organizations/<int:pk>/unmask/", views.organization_unmask, name="organization_unmask"),
    path("facilities/", views.facility_list, name="facility_list"),
    path("facilities/new/", views.facility_create, name="facility_create"),
    path("facilities/<int:pk>/", views.facility_detail, name="facility_detail"),
    path("facilities/<int:pk>/edit/", views.facility_edit, name="facility_edit"),
    path("map/points.geojson", views.map_points, name="map_points"),
    path("grid-assignment/", views.assignment_runs, name="assignment_runs"),
    path("grid-assignment/<int:pk>/", views.assignment_run_detail, name="assignment_run_detail"),
]
