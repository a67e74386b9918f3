"""Create the user group for observers, who read a strategy's pages and change nothing."""

from django.db import migrations

GROUP = "Observer"


def create_group(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Group.objects.get_or_create(name=GROUP)


def remove_group(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Group.objects.filter(name=GROUP, user__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("priorities", "0010_observer_role"),
    ]

    operations = [migrations.RunPython(create_group, remove_group)]
