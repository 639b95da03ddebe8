"""The key-group tags a district starts with (admins edit them afterwards),
and the registry capabilities added to the seeded roles."""

from django.db import migrations

TAGS = [
    # code, name, category, sensitive, has_grade, visit days, derived min age, order
    ("dibao", "低保", "社会救助", False, False, 90, None, 10),
    ("tekun", "特困", "社会救助", False, False, 30, None, 20),
    ("disabled", "残疾", "残疾人", False, True, None, None, 30),
    ("aged80", "高龄(80+)", "老年人", False, False, None, 80, 40),
    ("aged90", "高龄(90+)", "老年人", False, False, 30, 90, 41),
    ("aged100", "高龄(100+)", "老年人", False, False, 14, 100, 42),
    ("living_alone", "独居老人", "老年人", False, False, 7, None, 50),
    ("empty_nest", "空巢老人", "老年人", False, False, 30, None, 51),
    ("entitled", "优抚对象", "优抚", False, False, 90, None, 60),
    ("veteran", "退役军人", "优抚", False, False, None, None, 61),
    ("correction", "社区矫正", "特殊人群", True, False, 30, None, 70),
    ("released", "刑释解教", "特殊人群", True, False, 30, None, 71),
    ("drug_user", "吸毒人员", "特殊人群", True, False, 30, None, 72),
    ("mental_disorder", "肇事肇祸等严重精神障碍", "特殊人群", True, False, 30, None, 73),
    ("aids_risk", "艾滋病危险人员", "特殊人群", True, False, 90, None, 74),
    ("key_youth", "重点青少年", "特殊人群", True, False, 30, None, 75),
    ("left_behind_child", "留守儿童", "儿童", False, False, 30, None, 80),
    ("child_in_distress", "困境儿童", "儿童", False, False, 30, None, 81),
    ("unemployed", "失业人员", "就业", False, False, None, None, 90),
]

ROLE_CAPABILITIES = {
    "system_admin": ["people.view", "people.change", "people.sensitive", "people.import", "people.export"],
    "department": ["people.view", "people.export"],
    "command_center": ["people.view", "people.sensitive", "people.export"],
    "community_secretary": ["people.view", "people.change", "people.sensitive", "people.import", "people.export"],
    "community_staff": ["people.view", "people.change", "people.import", "people.export"],
    "grid_leader": ["people.view", "people.change"],
    "grid_worker": ["people.view", "people.change"],
    "police": ["people.view", "people.sensitive"],
}


def seed(apps, schema_editor):
    Tag = apps.get_model("people", "Tag")
    for code, name, category, sensitive, has_grade, days, min_age, order in TAGS:
        Tag.objects.update_or_create(
            code=code,
            defaults={
                "name": name,
                "category": category,
                "is_sensitive": sensitive,
                "has_grade": has_grade,
                "visit_interval_days": days,
                "derived_min_age": min_age,
                "sort_order": order,
            },
        )
    Role = apps.get_model("accounts", "Role")
    for code, caps in ROLE_CAPABILITIES.items():
        role = Role.objects.filter(code=code).first()
        if role:
            role.capabilities = sorted(set(role.capabilities) | set(caps))
            role.save(update_fields=["capabilities"])


def unseed(apps, schema_editor):
    apps.get_model("people", "Tag").objects.filter(code__in=[t[0] for t in TAGS]).delete()
    Role = apps.get_model("accounts", "Role")
    for code, caps in ROLE_CAPABILITIES.items():
        role = Role.objects.filter(code=code).first()
        if role:
            role.capabilities = [c for c in role.capabilities if c not in caps]
            role.save(update_fields=["capabilities"])


class Migration(migrations.Migration):
    dependencies = [("people", "0002_initial"), ("accounts", "0002_seed_roles")]
    operations = [migrations.RunPython(seed, unseed)]
