from django.urls import path

from civicgrid.cases import views

app_name = "cases"
urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("new/", views.case_report, name="report"),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("hotline/", views.hotline_import, name="hotline_import"),
    path("categories/", views.category_list, name="category_list"),
    path("categories/new/", views.category_edit, name="category_new"),
    path("categories/<int:pk>/", views.category_edit, name="category_edit"),
    path("categories/<int:parent_pk>/new/", views.category_edit, name="category_new_child"),
    path("hotline/errors.xlsx", views.hotline_errors, name="hotline_errors"),
    path("<int:pk>/", views.case_detail, name="detail"),
    path("<int:pk>/do/<slug:name>/", views.case_transition, name="transition"),
    path("<int:pk>/supervise/", views.case_supervise, name="supervise"),
    path("<int:pk>/photos/<int:photo_id>/", views.case_photo, name="photo"),
    path("public/report/", views.public_report, name="public_report"),
    path("public/track/", views.public_lookup, name="public_lookup"),
    path("public/track/<str:code>/", views.public_track, name="public_track"),
]
