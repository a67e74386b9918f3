"""Set up a strategy from its one-pager, as the administrator confirmed it, in one transaction."""

from collections.abc import Iterable
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from priorities.choices import PriorityKind
from priorities.models import Organisation, Strategy, StrategyYear
from priorities.registry import OnePagerPlan, strategy_created_from_onepager
from priorities.selectors import organisation_match
from strategy_monitor.history import recorded_save

from .strategy import organisation_create, priorityarea_save, strategy_create

Amounts = dict[int, tuple[Decimal | None, Decimal | None]]


def _partner(
    *, organisation: Organisation | None, name: str, acronym: str, iati_identifier: str, user
) -> Organisation:
    """Return the chosen partner, the known one of that name or acronym, or a new one."""
    if organisation is not None:
        return organisation
    known = organisation_match(name=name, acronym=acronym)
    if known is not None:
        return known
    try:
        return organisation_create(
            name=name, acronym=acronym, iati_identifier=iati_identifier, user=user
        )
    except ValidationError as error:
        raise ValidationError(
            {"new_organisation_name": error.messages}, code="invalid_partner"
        ) from error


def _years_plan(strategy: Strategy, amounts: Amounts, *, user) -> None:
    years = {year.year: year for year in StrategyYear.objects.filter(strategy=strategy)}
    for year, (commitment, disbursement) in sorted(amounts.items()):
        if commitment is None and disbursement is None:
            continue
        strategy_year = years.get(year)
        if strategy_year is None:
            raise ValidationError(
                {
                    "years": ValidationError(
                        _(
                            "The table gives %(year)s, outside the period %(period)s: "
                            "change the period or clear that row."
                        )
                        % {"year": year, "period": strategy.period},
                        code="outside_period",
                    )
                }
            )
        strategy_year.planned_commitment = commitment
        strategy_year.planned_disbursement = disbursement
        recorded_save(strategy_year, user=user, reason=f"Planned {year} from the one-pager")


def strategy_create_from_onepager(
    *,
    user,
    organisation: Organisation | None = None,
    new_organisation_name: str = "",
    new_organisation_acronym: str = "",
    new_organisation_iati_identifier: str = "",
    finance_act_codes: Iterable[str] = (),
    amounts: Amounts | None = None,
    key_results: Iterable[str] = (),
    sdgs: Iterable[int] = (),
    **values,
) -> tuple[Strategy, list[str]]:
    """Create a strategy, its years, plan, priority areas and SDGs from a confirmed one-pager.

    The partner is the one chosen, or a new one. Each key result becomes a numbered priority
    area in the printed order. The apps above set up what is theirs through
    `priorities.registry.strategy_created_from_onepager` (funding: a budget line where the
    front page gives one Finance Act code); what they say they did is returned.
    """
    codes = tuple(code.strip() for code in finance_act_codes if code.strip())
    amounts = amounts or {}
    with transaction.atomic():
        values["organisation"] = _partner(
            organisation=organisation,
            name=new_organisation_name,
            acronym=new_organisation_acronym,
            iati_identifier=new_organisation_iati_identifier,
            user=user,
        )
        values["finance_act_code"] = ", ".join(codes)
        strategy = strategy_create(user=user, sdgs=sdgs, **values)
        _years_plan(strategy, amounts, user=user)
        for number, key_result in enumerate(
            (text.strip() for text in key_results if text.strip()), start=1
        ):
            try:
                priorityarea_save(
                    strategy=strategy,
                    user=user,
                    kind=PriorityKind.PRIORITY,
                    number=number,
                    title=key_result,
                    key_result=key_result,
                    order=number,
                )
            except ValidationError as error:
                raise ValidationError(
                    {
                        "key_results": [
                            _("Key result %(number)s: %(message)s")
                            % {"number": number, "message": message}
                            for message in error.messages
                        ]
                    },
                    code="invalid_key_result",
                ) from error
        plan = OnePagerPlan(finance_act_codes=codes, amounts=dict(amounts))
        notes = [
            note
            for hook in strategy_created_from_onepager
            if (note := hook(strategy=strategy, plan=plan, user=user))
        ]
    return strategy, notes
