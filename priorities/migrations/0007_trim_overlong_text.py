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
    "organisation": {
        "mandate": 30_000,
        "governance": 30_000,
    },
    "keyfigure": {
        "note": 10_000,
    },
    "strategy": {
        "title": 200,
        "introduction": 30_000,
        "overall_objective": 30_000,
        "objective_text": 30_000,
        "justification": 30_000,
        "results_monitoring": 30_000,
        "governance_involvement": 30_000,
        "risks_summary": 30_000,
        "lessons_learnt": 30_000,
        "budget_text": 30_000,
        "budget_note": 30_000,
        "risks_text": 30_000,
        "engagement_text": 30_000,
        "partnership_agreement": 30_000,
        "mid_term_review_scope": 30_000,
    },
    "strategyyear": {
        "state_comment": 10_000,
    },
    "priorityarea": {
        "title": 200,
        "front_page_title": 200,
        "text": 30_000,
        "monitoring_note": 10_000,
    },
    "resultsframework": {
        "note": 10_000,
    },
    "resultsnode": {
        "title": 500,
    },
    "indicator": {
        "title": 500,
    },
    "indicatorprogress": {
        "comment": 10_000,
    },
    "assessment": {
        "narrative": 10_000,
    },
    "historicalstrategy": {
        "title": 200,
    },
    "historicalpriorityarea": {
        "title": 200,
        "front_page_title": 200,
    },
}


def texts_trim(apps, schema_editor):
    """Shorten each text over its limit, ending it with an ellipsis."""
    for model_name, fields in LIMITS.items():
        model = apps.get_model("priorities", model_name)
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
        ("priorities", "0006_constraint_error_codes"),
    ]

    operations = [
        # The full texts are gone; going back leaves the shortened ones in place.
        migrations.RunPython(texts_trim, migrations.RunPython.noop),
    ]
