"""Several Finance Act codes per strategy, each with its lines, set up on the budget page."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from funding.models import BudgetLine, FinanceActCode
from funding.services import budgetline_save, finance_act_code_save
from strategy_monitor.concurrency import version_token
from tests.funding.factories import BudgetLineFactory, FinanceActCodeFactory

pytestmark = pytest.mark.django_db

# Longer than the 30 characters a line's code was once cut at.
LONG_CODE = "§06.39.01.10 humanitarian pooled funds"


def budget_url(strategy) -> str:
    return reverse("funding:budget_setup", kwargs={"slug": strategy.slug})


def line_data(prefix: str, code: str, name: str, act: str, amounts: dict) -> dict:
    data = {
        f"{prefix}-code": code,
        f"{prefix}-name": name,
        f"{prefix}-kind": "core",
        f"{prefix}-finance_act_code": act,
        f"{prefix}-currency": "DKK",
        f"{prefix}-order": "",
        f"{prefix}-version": "",
    }
    for year in range(2023, 2027):
        data[f"{prefix}-amount_{year}"] = amounts.get(year, "")
    return data


def test_two_codes_each_with_its_lines_in_millions(client_admin, strategy):
    response = client_admin.post(
        budget_url(strategy),
        {
            "code-new-code": "06.32.10.14",
            "code-new-label": "Core contributions",
            "code-new-order": "",
            "code-new-version": "",
            **line_data("new", "a", "Core funding", "06.32.10.14", {2023: "48", 2024: "48,5"}),
        },
        follow=True,
    )
    assert "Budget lines and planned amounts saved." in response.text
    response = client_admin.post(
        budget_url(strategy),
        {
            **{
                f"code-{code.pk}-{name}": value
                for code in FinanceActCode.objects.all()
                for name, value in (
                    ("code", code.code),
                    ("label", code.label),
                    ("order", code.order),
                    ("version", version_token(code)),
                )
            },
            **{
                f"line-{line.pk}-{key[4:]}": value
                for line in BudgetLine.objects.all()
                for key, value in line_data(
                    "new", "a", "Core funding", "06.32.10.14", {2023: "48", 2024: "48.5"}
                ).items()
                if key != "new-version"
            },
            **{f"line-{line.pk}-version": version_token(line) for line in BudgetLine.objects.all()},
            **line_data("new", "b", "Humanitarian", LONG_CODE, {2025: "0.75"}),
        },
        follow=True,
    )
    assert "Budget lines and planned amounts saved." in response.text
    codes = list(FinanceActCode.objects.filter(strategy=strategy).order_by("order"))
    assert [code.code for code in codes] == ["06.32.10.14", LONG_CODE]
    assert codes[0].label == "Core contributions"
    a, b = BudgetLine.objects.filter(strategy=strategy).order_by("code")
    assert (a.finance_act_code, b.finance_act_code) == (codes[0], codes[1])
    assert dict(a.planned_amounts.values_list("year", "amount")) == {
        2023: Decimal("48000000.00"),
        2024: Decimal("48500000.00"),
    }
    assert b.planned_amounts.get().amount == Decimal("750000.00")
    html = client_admin.get(budget_url(strategy)).text
    assert 'value="48.5"' in html and 'value="0.75"' in html
    assert f'<option value="{LONG_CODE}">' in html


def test_line_code_is_resolved_to_the_strategys_own_code(strategy, other_strategy, admin_user):
    FinanceActCodeFactory(strategy=other_strategy, code="06.32.10.14")
    line = budgetline_save(
        strategy=strategy,
        amounts={},
        user=admin_user,
        code="a",
        name="Core",
        kind="core",
        currency="DKK",
        order=1,
        finance_act_code="  06.32.10.14 ",
    )
    assert line.finance_act_code.strategy == strategy
    assert line.finance_act_code.code == "06.32.10.14"


def test_a_line_under_another_strategys_code_is_refused(strategy, other_strategy):
    line = BudgetLineFactory(strategy=strategy)
    line.finance_act_code = FinanceActCodeFactory(strategy=other_strategy)
    with pytest.raises(ValidationError) as refused:
        line.full_clean()
    assert refused.value.error_dict["finance_act_code"][0].code == "other_strategy"


def test_renaming_a_code_renames_it_for_all_its_lines(strategy, admin_user):
    code = FinanceActCodeFactory(strategy=strategy, code="06.32.10.14")
    lines = BudgetLineFactory.create_batch(2, strategy=strategy, finance_act_code=code)
    finance_act_code_save(
        strategy=strategy, finance_act_code=code, code="§06.32.10.14", user=admin_user
    )
    assert {
        str(line.finance_act_code)
        for line in BudgetLine.objects.filter(pk__in=[lines[0].pk, lines[1].pk])
    } == {"§06.32.10.14"}


def test_duplicate_code_is_refused(strategy, admin_user):
    FinanceActCodeFactory(strategy=strategy, code="06.32.10.14")
    with pytest.raises(ValidationError) as refused:
        finance_act_code_save(strategy=strategy, code="06.32.10.14", user=admin_user)
    assert "duplicate_code" in str(refused.value.error_dict) or refused.value.messages


def test_budget_page_shows_each_lines_own_code(client_desk, strategy):
    first = FinanceActCodeFactory(strategy=strategy, code="06.32.10.14")
    second = FinanceActCodeFactory(strategy=strategy, code="06.39.01.10")
    BudgetLineFactory(strategy=strategy, code="a", finance_act_code=first)
    BudgetLineFactory(strategy=strategy, code="b", finance_act_code=second)
    html = client_desk.get(reverse("funding:budget", kwargs={"slug": strategy.slug})).text
    assert "§ 06.32.10.14" in html and "§ 06.39.01.10" in html
