"""Give each generated parliamentary approval the year of the funds it approves.

The approval of a year's funds is due in December of the year before, so its due date names
the wrong year; the generated key names the right one ("parliamentary-approval-2025").
"""

from django.db import migrations

PREFIX = "parliamentary-approval-"


def fill_year(apps, schema_editor):
    Milestone = apps.get_model("engagement", "Milestone")
    for milestone in Milestone.objects.filter(key__startswith=PREFIX, year__isnull=True):
        suffix = milestone.key.removeprefix(PREFIX)
        if suffix.isdigit() and len(suffix) == 4:
            Milestone.objects.filter(pk=milestone.pk).update(year=int(suffix))


def clear_year(apps, schema_editor):
    Milestone = apps.get_model("engagement", "Milestone")
    Milestone.objects.filter(key__startswith=PREFIX).update(year=None)


class Migration(migrations.Migration):
    dependencies = [("engagement", "0014_milestone_year_and_mid_term_review")]

    operations = [migrations.RunPython(fill_year, clear_year)]
