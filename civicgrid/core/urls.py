from django.urls import path

from civicgrid.core import audit_views, views

app_name = "core"
urlpatterns = [
    path("audit/", audit_views.audit_log, name="audit_log"),
    path("audit/verify/", audit_views.audit_verify, name="audit_verify"),
    path("healthz", views.healthz, name="healthz"),
    path("ping", views.ping, name="ping"),
    path("messages/", views.message_inbox, name="messages"),
]
