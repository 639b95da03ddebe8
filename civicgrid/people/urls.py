from django.urls import path

from civicgrid.people import import_views, views

app_name = "people"
urlpatterns = [
    path("", views.person_list, name="person_list"),
    path("new/", views.person_create, name="person_create"),
    path("id-check/", views.id_number_check, name="id_number_check"),
    path("dwelling-options/", views.dwelling_options, name="dwelling_options"),
    path("<int:pk>/", views.person_detail, name="person_detail"),
    path("<int:pk>/edit/", views.person_edit, name="person_edit"),
    path("<int:pk>/unmask/", views.person_unmask, name="person_unmask"),
    path("<int:pk>/move-out/", views.person_move_out, name="person_move_out"),
    path("<int:pk>/death/", views.person_death, name="person_death"),
    path("<int:pk>/merge/", views.person_merge, name="person_merge"),
    path("<int:pk>/tags/", views.person_tag_add, name="person_tag_add"),
    path("<int:pk>/tags/<slug:code>/remove/", views.person_tag_remove, name="person_tag_remove"),
    path("households/", views.household_list, name="household_list"),
    path("households/new/", views.household_create, name="household_create"),
    path("households/<int:pk>/", views.household_detail, name="household_detail"),
    path("households/<int:pk>/members/", views.household_add_member, name="household_add_member"),
    path(
        "households/<int:pk>/members/<int:person_pk>/remove/",
        views.household_remove_member,
        name="household_remove_member",
    ),
    path("households/<int:pk>/move/", views.household_move, name="household_move"),
    path("tags/", views.tag_list, name="tag_list"),
    path("tags/new/", views.tag_edit, name="tag_create"),
    path("tags/<slug:code>/", views.tag_edit, name="tag_edit"),
    path("visits/due/", views.visits_due, name="visits_due"),
    # Excel import/export (import_views.py)
    path("import/", import_views.import_list, name="import_list"),
    path("import/upload/", import_views.import_upload, name="import_upload"),
    path("import/template/", import_views.import_template, name="import_template"),
    path("import/<int:pk>/", import_views.import_detail, name="import_detail"),
    path("import/<int:pk>/confirm/", import_views.import_confirm, name="import_confirm"),
    path("import/<int:pk>/progress/", import_views.import_progress, name="import_progress"),
    path("import/<int:pk>/errors/", import_views.import_errors, name="import_errors"),
    path("export/", import_views.person_export, name="person_export"),
]
