import django.db.models.deletion
from django.db import migrations, models


def drop_plain_ballots(apps, schema_editor):
    """Ballots were stored with their choice in clear. A counted poll keeps its result on the poll and its
    candidates, so its ballots go; a secret electronic poll still open cannot be carried over (its ballots cannot
    be encrypted afterwards without reading them): close it before upgrading."""
    Poll = apps.get_model("meetings", "Poll")
    Ballot = apps.get_model("meetings", "Ballot")
    open_polls = list(Poll.objects.filter(kind="secret", paper=False, status="open").values_list("question", flat=True))
    if open_polls:
        raise RuntimeError("Close these secret polls before upgrading: " + "; ".join(open_polls))
    Ballot.objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [
        ("meetings", "0005_agenda_item_document"),
        ("people", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(drop_plain_ballots, migrations.RunPython.noop),
        migrations.RemoveField(model_name="ballot", name="choice"),
        migrations.RemoveField(model_name="ballot", name="selection"),
        migrations.AddField(
            model_name="ballot",
            name="ciphertext",
            field=models.BinaryField(default=b"", verbose_name="phiếu đã mã hóa"),
            preserve_default=False,
        ),
    ]
