"""System administrators configure case categories (立结案标准)."""

from django.db import migrations


def seed(apps, schema_editor):
    role = apps.get_model("accounts", "Role").objects.filter(code="system_admin").first()
    if role and "cases.configure" not in role.capabilities:
        role.capabilities = sorted([*role.capabilities, "cases.configure"])
        role.save(update_fields=["capabilities"])


def unseed(apps, schema_editor):
    role = apps.get_model("accounts", "Role").objects.filter(code="system_admin").first()
    if role:
        role.capabilities = [c for c in role.capabilities if c != "cases.configure"]
        role.save(update_fields=["capabilities"])


class Migration(migrations.Migration):
    dependencies = [("cases", "0006_open311_client"), ("accounts", "0002_seed_roles")]
    operations = [migrations.RunPython(seed, unseed)]
