"""Give every organisation created before dated parent links its first link (its current parent since its start)."""

from django.db import migrations


def create_links(apps, schema_editor):
    Organization = apps.get_model("organizations", "Organization")
    ParentLink = apps.get_model("organizations", "ParentLink")
    linked = set(ParentLink.objects.values_list("organization_id", flat=True))
    ParentLink.objects.bulk_create(
        [
            ParentLink(organization_id=org.pk, parent_id=org.parent_id, valid_from=org.valid_from, valid_to=org.valid_to)
            for org in Organization.objects.all().only("pk", "parent_id", "valid_from", "valid_to")
            if org.pk not in linked
        ],
        batch_size=1000,
    )


def remove_links(apps, schema_editor):
    apps.get_model("organizations", "ParentLink").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("organizations", "0004_parent_links")]
    operations = [migrations.RunPython(create_links, remove_links)]
