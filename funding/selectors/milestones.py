"""What the money side records that fulfils a strategy's milestones: parliamentary approvals."""

from collections.abc import Iterable
from urllib.parse import urlencode

from django.utils.translation import gettext as _

from funding.models import ParliamentaryApproval
from priorities.registry import PARLIAMENTARY_APPROVAL_KIND, Fulfilment
from priorities.selectors import link


def approval_fulfilments(strategy_ids: Iterable[int]) -> list[Fulfilment]:
    """Return the years whose parliamentary approval is recorded, one query for all strategies.

    Parliament approves a year's funds in one Finance Act, so the first approval recorded for
    a year fulfils its milestone; the link lists that year's approvals of every line.
    """
    rows = (
        ParliamentaryApproval.objects.filter(line__strategy_id__in=strategy_ids)
        .order_by("approved_on", "pk")
        .values_list("line__strategy_id", "line__strategy__slug", "year", "approved_on")
    )
    found: dict[tuple[int, int], Fulfilment] = {}
    for strategy_id, slug, year, approved_on in rows:
        path = link("funding:parliamentaryapproval_list", slug)
        found.setdefault(
            (strategy_id, year),
            Fulfilment(
                strategy_id=strategy_id,
                kind=PARLIAMENTARY_APPROVAL_KIND,
                year=year,
                url=f"{path}?{urlencode({'year': year})}",
                label=_("Parliamentary approval recorded"),
                done_on=approved_on,
            ),
        )
    return list(found.values())
