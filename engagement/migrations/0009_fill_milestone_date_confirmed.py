from django.db import migrations


def fill_date_confirmed(apps, schema_editor):
    """Count a generated milestone's date as set by a user where it moved since generation."""
    Milestone = apps.get_model("engagement", "Milestone")
    HistoricalMilestone = apps.get_model("engagement", "HistoricalMilestone")
    generated = Milestone.objects.exclude(key="").filter(date_confirmed=False)
    first_dates = {}
    for milestone_id, due_on in (
        HistoricalMilestone.objects.filter(id__in=generated.values("id"), history_type="+")
        .order_by("history_date")
        .values_list("id", "due_on")
    ):
        first_dates.setdefault(milestone_id, due_on)
    moved = [
        pk
        for pk, due_on in generated.values_list("pk", "due_on")
        if pk in first_dates and first_dates[pk] != due_on
    ]
    Milestone.objects.filter(pk__in=moved).update(date_confirmed=True)


class Migration(migrations.Migration):
    dependencies = [
        ("engagement", "0008_milestone_date_confirmed"),
    ]

    operations = [
        migrations.RunPython(fill_date_confirmed, migrations.RunPython.noop),
    ]
