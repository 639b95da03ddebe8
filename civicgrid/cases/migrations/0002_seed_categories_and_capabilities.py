"""A starting category tree with its 立结案标准, and the case capabilities of the seeded roles."""

from django.db import migrations

# parent code, code, name, public, handler level, department, accept h, handle amount+unit
CATEGORIES = [
    (None, "city", "市容环境", True, "community", "", 4, 3, "work_days"),
    ("city", "garbage", "垃圾暴露、乱堆乱放", True, "community", "", 4, 1, "work_days"),
    ("city", "illegal_ads", "乱张贴、小广告", True, "community", "", 4, 2, "work_days"),
    ("city", "street_stall", "占道经营", True, "subdistrict", "", 4, 1, "work_days"),
    (None, "facility", "公共设施", True, "subdistrict", "", 4, 5, "work_days"),
    ("facility", "manhole", "井盖缺失破损", True, "department", "区住建局", 2, 8, "work_hours"),
    ("facility", "street_light", "路灯不亮", True, "department", "区城管局", 4, 3, "work_days"),
    ("facility", "road_damage", "道路破损", True, "department", "区住建局", 4, 5, "work_days"),
    (None, "safety", "安全隐患", True, "subdistrict", "", 2, 2, "work_days"),
    ("safety", "fire_passage", "消防通道堵塞", True, "subdistrict", "", 2, 1, "work_days"),
    ("safety", "electric_bike", "电动车违规充电", True, "community", "", 2, 1, "work_days"),
    ("safety", "building_risk", "房屋安全隐患", True, "department", "区住建局", 2, 3, "work_days"),
    (None, "dispute", "矛盾纠纷", True, "community", "", 8, 10, "work_days"),
    ("dispute", "neighbour", "邻里纠纷", True, "community", "", 8, 10, "work_days"),
    ("dispute", "property", "物业纠纷", True, "community", "", 8, 10, "work_days"),
    ("dispute", "wages", "欠薪纠纷", True, "department", "区人社局", 8, 10, "work_days"),
    (None, "livelihood", "民生服务", True, "community", "", 8, 5, "work_days"),
    ("livelihood", "elderly_help", "困难老人求助", True, "community", "", 4, 2, "work_days"),
    ("livelihood", "assistance", "救助需求", True, "department", "区民政局", 8, 10, "work_days"),
    (None, "public_order", "社会治安", False, "subdistrict", "", 2, 3, "work_days"),
    ("public_order", "suspicious", "可疑人员物品", False, "subdistrict", "", 1, 24, "urgent_hours"),
]

CAPABILITIES = {
    "system_admin": [
        "cases.view",
        "cases.report",
        "cases.accept",
        "cases.dispatch",
        "cases.handle",
        "cases.verify",
        "cases.approve",
        "cases.supervise",
    ],
    "department": ["cases.view", "cases.handle"],
    "command_center": ["cases.view", "cases.accept", "cases.dispatch", "cases.approve", "cases.supervise"],
    "community_secretary": ["cases.view", "cases.accept", "cases.dispatch", "cases.handle", "cases.approve"],
    "community_staff": ["cases.view", "cases.accept", "cases.dispatch", "cases.handle"],
    "grid_leader": ["cases.view", "cases.report", "cases.handle", "cases.verify"],
    "grid_worker": ["cases.view", "cases.report", "cases.handle", "cases.verify"],
    "police": ["cases.view", "cases.report"],
}


def seed(apps, schema_editor):
    Category = apps.get_model("cases", "CaseCategory")
    by_code = {}
    for order, (parent, code, name, public, level, dept, accept_h, amount, unit) in enumerate(CATEGORIES):
        by_code[code], _ = Category.objects.update_or_create(
            code=code,
            defaults={
                "parent": by_code.get(parent),
                "name": name,
                "is_public": public,
                "handler_level": level,
                "department": dept,
                "accept_hours": accept_h,
                "handle_amount": amount,
                "handle_unit": unit,
                "sort_order": order,
            },
        )
    Role = apps.get_model("accounts", "Role")
    for code, caps in CAPABILITIES.items():
        role = Role.objects.filter(code=code).first()
        if role:
            role.capabilities = sorted(set(role.capabilities) | set(caps))
            role.save(update_fields=["capabilities"])


def unseed(apps, schema_editor):
    apps.get_model("cases", "CaseCategory").objects.filter(parent__isnull=False).delete()
    apps.get_model("cases", "CaseCategory").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("cases", "0001_initial"), ("accounts", "0002_seed_roles")]
    operations = [migrations.RunPython(seed, unseed)]
