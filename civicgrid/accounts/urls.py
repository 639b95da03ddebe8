from django.contrib.auth import views as auth_views
from django.urls import path

from civicgrid.accounts import views

app_name = "accounts"
urlpatterns = [
    path("login/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("users/", views.user_list, name="user_list"),
    path("users/new/", views.user_create, name="user_create"),
    path("users/<int:pk>/", views.user_detail, name="user_detail"),
    path("users/<int:pk>/active/", views.user_set_active, name="user_set_active"),
    path("assignments/<int:pk>/revoke/", views.assignment_revoke, name="assignment_revoke"),
    path("area-options/", views.area_options, name="area_options"),
    path("roles/", views.role_list, name="role_list"),
    path("roles/<int:pk>/", views.role_edit, name="role_edit"),
]
