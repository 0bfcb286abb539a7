from django.db import migrations

FIELDS = [
    ("Kinh tế - xã hội", "KT-XH"),
    ("Quốc phòng - an ninh", "QP-AN"),
    ("Xây dựng Đảng và hệ thống chính trị", "XDĐ-HTCT"),
    ("Văn hóa - xã hội", "VH-XH"),
]


def add_fields(apps, schema_editor):
    Field = apps.get_model("programs", "Field")
    for order, (name, abbreviation) in enumerate(FIELDS, start=1):
        Field.objects.get_or_create(name=name, defaults={"abbreviation": abbreviation, "order": order})


def remove_fields(apps, schema_editor):
    apps.get_model("programs", "Field").objects.filter(name__in=[n for n, _a in FIELDS]).delete()


class Migration(migrations.Migration):
    dependencies = [("programs", "0001_programs")]
    operations = [migrations.RunPython(add_fields, remove_fields)]
