"""The migration that turns each line's Finance Act code text into a code of its strategy."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("funding", "0006_text_limits"), ("priorities", "0011_create_observer_group")]
AFTER = [("funding", "0007_finance_act_codes")]


@pytest.mark.django_db(transaction=True)
def test_one_code_per_distinct_text_and_every_line_keeps_its_code():
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps
    organisation = old.get_model("priorities", "Organisation").objects.create(
        name="Partner", acronym="P", slug="p"
    )
    strategy = old.get_model("priorities", "Strategy").objects.create(
        organisation=organisation, title="P 2023-2026", slug="p", start_year=2023, end_year=2026
    )
    line_model = old.get_model("funding", "BudgetLine")
    for code, text in (
        ("a", "06.32.10.14"),
        ("b", " 06.32.10.14 "),
        ("c", "06.39.01.10"),
        ("d", ""),
    ):
        line_model.objects.create(
            strategy=strategy, code=code, name=code, kind="core", finance_act_code=text
        )

    executor = MigrationExecutor(connection)
    executor.migrate(AFTER)
    new = executor.loader.project_state(AFTER).apps
    codes = new.get_model("funding", "FinanceActCode").objects.filter(strategy_id=strategy.pk)
    assert sorted(codes.values_list("code", flat=True)) == ["06.32.10.14", "06.39.01.10"]
    lines = new.get_model("funding", "BudgetLine").objects.filter(strategy_id=strategy.pk)
    assert dict(lines.values_list("code", "finance_act_code__code")) == {
        "a": "06.32.10.14",
        "b": "06.32.10.14",
        "c": "06.39.01.10",
        "d": None,
    }

    # And back: the text returns to each line.
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps
    lines = old.get_model("funding", "BudgetLine").objects.filter(strategy_id=strategy.pk)
    assert dict(lines.values_list("code", "finance_act_code")) == {
        "a": "06.32.10.14",
        "b": "06.32.10.14",
        "c": "06.39.01.10",
        "d": "",
    }
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
