"""The roles a district starts with; admins can edit them afterwards."""

from django.db import migrations

ALL = ["areas.view", "areas.change", "accounts.manage", "audit.view", "jobs.view", "personal.unmask"]
ROLES = [
    # code, name, level, capabilities, responsibility network, order
    ("system_admin", "系统管理员", "district", ALL, False, 10),
    ("department", "区职能部门", "district", ["areas.view"], False, 20),
    ("command_center", "街道指挥中心", "subdistrict", ["areas.view", "audit.view"], False, 30),
    ("community_secretary", "社区书记", "community", ["areas.view", "personal.unmask"], False, 40),
    ("community_staff", "社区工作者", "community", ["areas.view"], False, 50),
    ("grid_leader", "网格长", "grid", ["areas.view"], True, 60),
    ("grid_worker", "网格员", "grid", ["areas.view"], True, 70),
    ("police", "社区民警", "grid", ["areas.view"], True, 80),
]


def seed(apps, schema_editor):
    Role = apps.get_model("accounts", "Role")
    for code, name, level, caps, responsibility, order in ROLES:
        Role.objects.update_or_create(
            code=code,
            defaults={
                "name": name,
                "level": level,
                "capabilities": caps,
                "is_responsibility": responsibility,
                "sort_order": order,
            },
        )


def unseed(apps, schema_editor):
    apps.get_model("accounts", "Role").objects.filter(code__in=[r[0] for r in ROLES]).delete()


class Migration(migrations.Migration):
    dependencies = [("accounts", "0001_initial")]
    operations = [migrations.RunPython(seed, unseed)]
