"""The levels of the political system as data (R-ORG-4): province, district (until 30/06/2025), commune."""

import datetime as dt

from django.db import migrations

LEVELS = [
    ("province", "Cấp tỉnh", 1, None, None),
    ("district", "Cấp huyện", 2, None, dt.date(2025, 6, 30)),
    ("commune", "Cấp xã", 3, None, None),
]


def create_levels(apps, schema_editor):
    Level = apps.get_model("organizations", "Level")
    for code, name, rank, valid_from, valid_to in LEVELS:
        Level.objects.update_or_create(
            code=code, defaults={"name": name, "rank": rank, "valid_from": valid_from, "valid_to": valid_to}
        )


def remove_levels(apps, schema_editor):
    Level = apps.get_model("organizations", "Level")
    Level.objects.filter(code__in=[code for code, *_ in LEVELS], organizations__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("organizations", "0002_initial")]
    operations = [migrations.RunPython(create_levels, remove_levels)]
