"""Shorten texts longer than the limits that the next migration adds.

The limits' database constraints cannot be added while a row breaks them, so a text over its limit
keeps its first characters and ends with an ellipsis. The change history keeps the full texts,
except in the columns that become shorter (titles), whose history is shortened the same way.
"""

from django.db import migrations
from django.db.models.functions import Length

ELLIPSIS = "…"

# Model, field and the most characters it may hold after this migration.
LIMITS = {
    "budgetline": {
        "name": 200,
        "description": 10_000,
    },
    "budgettotal": {
        "label": 200,
    },
    "parliamentaryapproval": {
        "note": 10_000,
    },
    "commitment": {
        "note": 10_000,
    },
    "disbursement": {
        "note": 10_000,
    },
    "allocationround": {
        "note": 10_000,
    },
    "allocation": {
        "description": 10_000,
        "decision_reason": 10_000,
    },
    "donortable": {
        "title": 200,
        "notes": 10_000,
    },
    "statedtotal": {
        "label": 200,
    },
    "fundingrow": {
        "title": 200,
    },
    "historicalbudgetline": {
        "name": 200,
    },
    "historicalbudgettotal": {
        "label": 200,
    },
    "historicaldonortable": {
        "title": 200,
    },
    "historicalstatedtotal": {
        "label": 200,
    },
    "historicalfundingrow": {
        "title": 200,
    },
}


def texts_trim(apps, schema_editor):
    """Shorten each text over its limit, ending it with an ellipsis."""
    for model_name, fields in LIMITS.items():
        model = apps.get_model("funding", model_name)
        for field, limit in fields.items():
            rows = (
                model._base_manager.annotate(text_length=Length(field))
                .filter(text_length__gt=limit)
                .values_list("pk", field)
            )
            for pk, text in list(rows):
                model._base_manager.filter(pk=pk).update(
                    **{field: text[: limit - len(ELLIPSIS)] + ELLIPSIS}
                )


class Migration(migrations.Migration):
    dependencies = [
        ("funding", "0004_constraint_error_codes"),
    ]

    operations = [
        # The full texts are gone; going back leaves the shortened ones in place.
        migrations.RunPython(texts_trim, migrations.RunPython.noop),
    ]
