"""Set-up of the partner's results framework: nodes and their mapping to priority areas."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.text import slugify

from priorities.choices import DefinitionStatus
from priorities.models import (
    Indicator,
    Organisation,
    PriorityArea,
    PriorityAreaNode,
    ResultsFramework,
    ResultsNode,
    node_code_level,
    node_code_normalise,
    node_code_parent,
    node_code_validate,
)
from strategy_monitor.concurrency import lock_unchanged
from strategy_monitor.history import recorded_delete, recorded_save

# --- Set-up: the results framework ------------------------------------------------------------


def framework_create(*, organisation: Organisation, name: str, user) -> ResultsFramework:
    """Add a results framework to a partner."""
    framework = ResultsFramework(
        organisation=organisation, name=name.strip(), slug=slugify(name)[:60] or "framework"
    )
    return recorded_save(framework, user=user, reason="Added the results framework")


def node_create(
    *,
    framework: ResultsFramework,
    code: str,
    title: str = "",
    status: str = DefinitionStatus.DEFINED,
    section: str = "",
    user,
) -> ResultsNode:
    """Add a node by its printed code; missing ancestors are created as implied nodes.

    The code is normalised ("3B.4." → "3b.4") and must be hierarchical; its level and parent
    follow from it. A node that was only implied so far becomes a listed one.
    """
    code = node_code_normalise(code or "")
    try:
        node_code_validate(code)
    except ValidationError as error:
        raise ValidationError({"code": error.error_list}) from error
    with transaction.atomic():
        ResultsFramework.objects.select_for_update().get(pk=framework.pk)
        existing = {
            node.code: node
            for node in ResultsNode.objects.filter(framework=framework).exclude(code="")
        }
        node = existing.get(code)
        if node is not None and not node.is_implied:
            raise ValidationError(
                {
                    "code": ValidationError(
                        f"The framework already has {code}.", code="duplicate_code"
                    )
                }
            )
        chain = []
        ancestor = node_code_parent(code)
        while ancestor is not None and ancestor not in existing:
            chain.append(ancestor)
            ancestor = node_code_parent(ancestor)
        for implied_code in reversed(chain):
            implied = ResultsNode(
                framework=framework,
                key=implied_code,
                code=implied_code,
                level=node_code_level(implied_code),
                parent=existing.get(node_code_parent(implied_code) or ""),
                is_implied=True,
                section=section,
            )
            existing[implied_code] = recorded_save(
                implied, user=user, reason=f"Implied by {code}, not itself listed"
            )
        if node is None:
            node = ResultsNode(
                framework=framework,
                key=code,
                code=code,
                level=node_code_level(code),
                parent=existing.get(node_code_parent(code) or ""),
            )
        node.title = title.strip()
        node.status = status
        node.section = section or node.section
        node.is_implied = False
        recorded_save(node, user=user, reason="Added the node")
    return node


def node_update(
    *, node: ResultsNode, version: str | None, title: str, status: str, section: str, user
) -> ResultsNode:
    """Change a node's title and status, e.g. once the partner publishes what it develops."""
    with transaction.atomic():
        lock_unchanged(node, version)
        node.title = title.strip()
        node.status = status
        node.section = section
        recorded_save(node, user=user, reason="Changed the node")
    return node


def priorityarea_node_link(
    *, priority_area: PriorityArea, node: ResultsNode, user
) -> PriorityAreaNode:
    """Record that a priority area follows a node of the partner's framework."""
    link = PriorityAreaNode(
        priority_area=priority_area,
        node=node,
        order=priority_area.node_links.count() + 1,
    )
    return recorded_save(link, user=user, reason="Mapped the node to the priority area")


def priorityarea_node_unlink(*, link: PriorityAreaNode, user) -> None:
    """Stop following a node under a priority area, unless indicators measure it there."""
    if Indicator.objects.filter(priority_area=link.priority_area, node=link.node).exists():
        raise ValidationError(
            "Indicators of this priority area measure the node; move them first.",
            code="node_has_indicators",
        )
    recorded_delete(link, user=user, reason="Unmapped the node from the priority area")
