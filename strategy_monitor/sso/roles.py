"""How the provider's role claims become the product's roles, and the hooks that name them.

OIDC_ROLE_MAP maps claim values onto the product's groups, e.g.
"StrategyMonitor.DeskOfficer=Desk officer;StrategyMonitor.Manager=Manager". The claim is
`roles` (Entra ID's app roles) unless OIDC_ROLE_CLAIM names another, such as `groups`, whose
values are then the groups' object ids.
"""

import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from strategy_monitor.registry import Hook

logger = logging.getLogger(__name__)

product_roles: Hook[str] = Hook(
    "product_roles", "The groups that give a role in the product, named on the no-access page."
)
administrator_checks: Hook[Callable[[object], bool]] = Hook(
    "administrator_checks", "Whether a user administers the product and may use a password."
)


@dataclass(frozen=True)
class ClaimedRoles:
    """The product's groups a sign-in's claims give, and whether the provider left them out."""

    groups: frozenset[str]
    overage: bool = False


def role_map_parse(text: str) -> dict[str, str]:
    """Return the claim value → group name pairs of an OIDC_ROLE_MAP text."""
    mapping = {}
    for entry in text.split(";"):
        if not entry.strip():
            continue
        value, sep, group = entry.partition("=")
        if not sep or not value.strip() or not group.strip():
            raise ImproperlyConfigured(
                f"OIDC_ROLE_MAP entry {entry.strip()!r} is not of the form claim-value=Group name."
            )
        mapping[value.strip()] = group.strip()
    return mapping


def role_map() -> dict[str, str]:
    """Return the configured claim value → group name pairs."""
    return role_map_parse(settings.OIDC_ROLE_MAP)


def claimed_roles(claims: Mapping) -> ClaimedRoles:
    """Return the product's groups that `claims` give through the role map."""
    claim = settings.OIDC_ROLE_CLAIM
    values = claims.get(claim)
    if values is None:
        # Entra ID leaves out a groups claim that would be too long and says so instead
        # ("groups overage"): no group is known then, which must not read as "no roles".
        overage = (
            claim in (claims.get("_claim_names") or {})
            or str(claims.get("hasgroups", "")).lower() == "true"
        )
        if overage:
            logger.warning("sso.role_claim_overage", extra={"claim": claim})
        return ClaimedRoles(groups=frozenset(), overage=overage)
    if isinstance(values, str):
        values = [values]
    mapping = role_map()
    return ClaimedRoles(groups=frozenset(mapping[v] for v in values if v in mapping))


def governed_groups() -> frozenset[str]:
    """Return the groups that sign-ins set: those the role map names, and no others."""
    return frozenset(role_map().values())
