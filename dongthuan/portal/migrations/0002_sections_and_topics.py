from django.db import migrations

SECTIONS = [
    ("Tin tức - Sự kiện", "tin-tuc-su-kien", "Hoạt động của cấp ủy, chính quyền, Mặt trận và các đoàn thể."),
    ("Xây dựng Đảng", "xay-dung-dang", "Công tác xây dựng Đảng và hệ thống chính trị ở cơ sở."),
    ("Kinh tế - Xã hội", "kinh-te-xa-hoi", "Phát triển kinh tế - xã hội, xây dựng nông thôn mới."),
    ("Quốc phòng - An ninh", "quoc-phong-an-ninh", "Bảo đảm quốc phòng, an ninh, trật tự an toàn xã hội."),
    ("Mặt trận - Đoàn thể", "mat-tran-doan-the", "Hoạt động của Mặt trận Tổ quốc và các đoàn thể chính trị - xã hội."),
]
# Days the answering organisation has, per topic: settings of the office (editable in the admin).
TOPICS = [
    ("Đất đai, xây dựng", 30),
    ("Môi trường, vệ sinh", 15),
    ("Giao thông, hạ tầng", 15),
    ("An ninh, trật tự", 10),
    ("Chính sách xã hội, người có công", 15),
    ("Thủ tục hành chính", 10),
    ("Cán bộ, đảng viên", 30),
    ("Góp ý xây dựng Đảng, chính quyền", 15),
    ("Lĩnh vực khác", 15),
]


def add(apps, schema_editor):
    Section = apps.get_model("portal", "Section")
    Topic = apps.get_model("portal", "Topic")
    for order, (name, slug, description) in enumerate(SECTIONS, start=1):
        Section.objects.get_or_create(slug=slug, defaults={"name": name, "description": description, "order": order})
    for order, (name, days) in enumerate(TOPICS, start=1):
        Topic.objects.get_or_create(name=name, defaults={"handling_days": days, "order": order})
    apps.get_model("portal", "PortalState").objects.get_or_create(pk=1)


def remove(apps, schema_editor):
    apps.get_model("portal", "Section").objects.filter(slug__in=[s for _n, s, _d in SECTIONS]).delete()
    apps.get_model("portal", "Topic").objects.filter(name__in=[n for n, _d in TOPICS]).delete()


class Migration(migrations.Migration):
    dependencies = [("portal", "0001_portal")]
    operations = [migrations.RunPython(add, remove)]
