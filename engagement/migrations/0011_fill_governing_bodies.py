"""Move meetings, milestones and channels of the old fixed kinds onto the partner's bodies.

Before governing bodies were data of the partner, two meeting and milestone kinds named the
bodies of the first partner loaded. Each partner that has records of those kinds gets the two
bodies (with the keys its generated milestones already carry, so generating again plans
nothing twice), and the records, their change history included, point at them.
"""

from django.db import migrations

# The old kinds, the body each stood for (key, name, short name, sessions a year).
OLD_KINDS = {
    "council": ("council", "Council", "", 1),
    "standing_committee": (
        "standing-committee",
        "Standing Committee on Programmes and Finance",
        "Standing Committee",
        2,
    ),
}
GOVERNING_BODY = "governing_body"
MODELS = ("EngagementChannel", "Meeting", "Milestone")


def _body(GoverningBody, bodies, organisation_id, old_kind):
    key, name, short_name, sessions = OLD_KINDS[old_kind]
    if (organisation_id, key) not in bodies:
        bodies[organisation_id, key], _ = GoverningBody.objects.get_or_create(
            organisation_id=organisation_id,
            key=key,
            defaults={
                "name": name,
                "short_name": short_name,
                "sessions_per_year": sessions,
                "order": list(OLD_KINDS).index(old_kind) + 1,
            },
        )
    return bodies[organisation_id, key]


def to_bodies(apps, schema_editor):
    """Point every record of an old kind at its partner's body, with the generic kind."""
    GoverningBody = apps.get_model("engagement", "GoverningBody")
    Strategy = apps.get_model("priorities", "Strategy")
    organisation_of = dict(Strategy.objects.values_list("pk", "organisation_id"))
    bodies = {}
    for name in MODELS:
        for model in (apps.get_model("engagement", name), apps.get_model("engagement", f"Historical{name}")):
            rows = model.objects.filter(kind__in=list(OLD_KINDS))
            for pk, strategy_id, kind in rows.values_list("pk", "strategy_id", "kind"):
                organisation_id = organisation_of.get(strategy_id)
                if organisation_id is None:
                    # The change history of a strategy deleted since: only the kind changes.
                    model.objects.filter(pk=pk).update(kind=GOVERNING_BODY)
                    continue
                body = _body(GoverningBody, bodies, organisation_id, kind)
                model.objects.filter(pk=pk).update(kind=GOVERNING_BODY, body_id=body.pk)


def to_old_kinds(apps, schema_editor):
    """Give the records of the partners' bodies back the old kinds; other bodies: "other"."""
    GoverningBody = apps.get_model("engagement", "GoverningBody")
    kind_of_key = {key: kind for kind, (key, *_) in OLD_KINDS.items()}
    key_of = dict(GoverningBody.objects.values_list("pk", "key"))
    for name in MODELS:
        for model in (apps.get_model("engagement", name), apps.get_model("engagement", f"Historical{name}")):
            rows = model.objects.filter(kind=GOVERNING_BODY)
            for pk, body_id in rows.values_list("pk", "body_id"):
                kind = kind_of_key.get(key_of.get(body_id), "other")
                model.objects.filter(pk=pk).update(kind=kind, body_id=None)


class Migration(migrations.Migration):
    dependencies = [
        ("engagement", "0010_governing_bodies"),
    ]

    operations = [
        migrations.RunPython(to_bodies, to_old_kinds),
    ]
