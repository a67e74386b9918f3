"""The list of issued briefs that the strategy's overview and a meeting's page include.

Those pages belong to apps below reports, which may not ask reports for anything; the
template they include asks here instead, with one query for the list.
"""

from dataclasses import dataclass

from django import template

from reports.issued import issued_brief_can_issue, issued_brief_can_withdraw, issued_brief_list
from reports.models import IssuedBrief

register = template.Library()


@dataclass(frozen=True)
class IssuedBriefPanel:
    """The issued briefs a page lists, and what its user may do with them."""

    briefs: tuple[IssuedBrief, ...]
    can_issue: bool
    can_withdraw: bool


@register.simple_tag(takes_context=True)
def issued_brief_panel(context) -> IssuedBriefPanel:
    """Return the briefs of the page's strategy, only its meeting's on a meeting's page."""
    strategy = context["strategy"]
    meeting = context.get("meeting") or None
    user = context["request"].user
    return IssuedBriefPanel(
        briefs=tuple(issued_brief_list(strategy=strategy, meeting=meeting)),
        can_issue=issued_brief_can_issue(user, strategy),
        can_withdraw=issued_brief_can_withdraw(user),
    )
