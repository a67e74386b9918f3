"""Set-up of the partner's results frameworks: levels, nodes and their mapping to priority areas."""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from priorities.choices import CodeScheme, DefinitionStatus
from priorities.models import (
    NODE_CODE_EXAMPLE,
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


def framework_create(
    *,
    organisation: Organisation,
    name: str,
    level_names: list[str],
    uses_codes: bool = False,
    code_scheme: str = CodeScheme.ANY,
    code_pattern: str = "",
    user,
) -> ResultsFramework:
    """Add a results framework with its named levels to a partner, after the ones it has."""
    with transaction.atomic():
        Organisation.objects.select_for_update().filter(pk=organisation.pk).first()
        taken = set(organisation.frameworks.values_list("slug", flat=True))
        base = slugify(name)[:55] or "framework"
        slug, number = base, 1
        while slug in taken:
            number += 1
            slug = f"{base}-{number}"
        framework = ResultsFramework(
            organisation=organisation,
            name=name.strip(),
            slug=slug,
            level_names=[name.strip() for name in level_names],
            uses_codes=uses_codes,
            code_scheme=code_scheme if uses_codes else CodeScheme.ANY,
            code_pattern=code_pattern.strip()
            if uses_codes and code_scheme == CodeScheme.PATTERN
            else "",
            order=len(taken) + 1,
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
    if not framework.is_hierarchical:
        raise ValidationError(
            {
                "code": ValidationError(
                    _(
                        "This framework's codes do not give level and parent; "
                        "add its nodes as a list."
                    ),
                    code="not_hierarchical",
                )
            }
        )
    try:
        node_code_validate(code, depth=framework.depth)
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
                        _("The framework already has %(code)s.") % {"code": code},
                        code="duplicate_code",
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


@dataclass
class NodeRow:
    """A row of a framework's node list as the administrator left it."""

    node: ResultsNode | None
    version: str | None = None
    remove: bool = False
    level: int | None = None
    code: str = ""
    title: str = ""
    status: str = DefinitionStatus.DEFINED
    section: str = ""
    order: int | None = None


class NodeRowError(ValidationError):
    """A refusal of one row of a node list; `row` is its index in the list given."""

    def __init__(self, row: int, error: ValidationError):
        super().__init__(error.error_dict if hasattr(error, "error_dict") else error.error_list)
        self.row = row


def _unique_key(base: str, taken: set[str]) -> str:
    base = (slugify(base)[:50] or "node").strip("-") or "node"
    key, number = base, 1
    while key in taken:
        number += 1
        key = f"{base}-{number}"
    taken.add(key)
    return key


def framework_nodes_save(*, framework: ResultsFramework, rows: list[NodeRow], user) -> None:
    """Save a framework's node list in one go: changed, added, reordered and removed nodes.

    The list is read as an outline: rows are taken in their order (a row without one, or with
    the same as another, keeps its place after it), and a node's parent is the nearest node
    above it one level up; each node then stores its place. In a framework with hierarchical
    codes the code gives level and parent instead, missing ancestors are added as implied
    nodes, and siblings follow their codes unless given an order. Everything is saved, or
    nothing: a refusal names its row (NodeRowError).
    """
    with transaction.atomic():
        ResultsFramework.objects.select_for_update().get(pk=framework.pk)
        for index, row in enumerate(rows):
            if row.node is not None:
                try:
                    lock_unchanged(row.node, row.version)
                except ValidationError as error:
                    raise NodeRowError(index, error) from error
        placed = sorted(
            (
                (index, row)
                for index, row in enumerate(rows)
                if not row.remove
                and (row.node is not None or row.title or row.code or row.section or row.level)
            ),
            key=lambda item: (item[1].order if item[1].order is not None else 10_000, item[0]),
        )
        removed = [(index, row.node) for index, row in enumerate(rows) if row.remove and row.node]
        removed_ids = {node.pk for _, node in removed}
        keys = set(framework.nodes.values_list("key", flat=True))
        outline: list[ResultsNode] = []  # the latest node at each depth, as the list is read
        for position, (index, row) in enumerate(placed, start=1):
            try:
                if framework.is_hierarchical:
                    node = _hierarchical_row_save(framework, row, user)
                else:
                    if row.node is not None and row.node.parent_id in removed_ids:
                        raise ValidationError(
                            _(
                                "The %(level)s above this node is removed; remove this one "
                                "too, or give it another parent in a save of its own first."
                            )
                            % {"level": framework.level_name(row.node.level - 1).lower()},
                            code="parent_removed",
                        )
                    node = _outline_row_save(framework, row, position, outline, keys, user)
            except ValidationError as error:
                raise NodeRowError(index, error) from error
            del outline[node.level - 1 :]
            outline.extend([None] * (node.level - 1 - len(outline)))
            outline.append(node)
        for index, node in sorted(removed, key=lambda item: -item[1].level):
            try:
                _node_remove(node, removed_ids, user)
            except ValidationError as error:
                raise NodeRowError(index, error) from error


def _outline_row_save(framework, row: NodeRow, position: int, outline: list, keys: set, user):
    """Save a row of a framework whose parents follow from the list's outline."""
    level = row.level or (row.node.level if row.node else 1)
    parent = None
    if level > 1:
        parent = outline[level - 2] if len(outline) >= level - 1 else None
        if parent is None:
            raise ValidationError(
                {
                    "level": ValidationError(
                        _("A %(level)s needs a %(parent)s above it in the list.")
                        % {
                            "level": framework.level_name(level).lower(),
                            "parent": framework.level_name(level - 1).lower(),
                        },
                        code="no_parent_above",
                    )
                }
            )
    node = row.node or ResultsNode(framework=framework)
    node.code = row.code.strip()
    if not node.key:
        node.key = _unique_key(node.code or row.title or framework.level_name(level), keys)
    node.level = level
    node.parent = parent
    node.title = row.title.strip()
    node.status = row.status
    node.section = row.section.strip()
    node.order = position
    if node.pk is None:
        node.is_implied = False
    return recorded_save(
        node, user=user, reason="Changed the node" if node.pk else "Added the node"
    )


def _hierarchical_row_save(framework, row: NodeRow, user):
    """Save a row of a framework whose codes give level and parent."""
    if row.node is None:
        if not row.code:
            raise ValidationError(
                {
                    "code": ValidationError(
                        _("Give the printed code. %(example)s") % {"example": NODE_CODE_EXAMPLE},
                        code="code_required",
                    )
                }
            )
        node = node_create(
            framework=framework,
            code=row.code,
            title=row.title,
            status=row.status,
            section=row.section,
            user=user,
        )
        if row.order:
            node.order = row.order
            recorded_save(node, user=user, reason="Placed the node in the list")
        return node
    node = row.node
    if row.code and node_code_normalise(row.code) != node.code:
        raise ValidationError(
            {
                "code": ValidationError(
                    _("The code of a listed node does not change; remove it and add the new code."),
                    code="code_fixed",
                )
            }
        )
    node.title = row.title.strip()
    node.status = row.status
    node.section = row.section.strip()
    node.order = row.order or 0  # siblings without one follow their codes
    if node.title or node.status != DefinitionStatus.DEFINED:
        node.is_implied = False
    return recorded_save(node, user=user, reason="Changed the node")


def _node_remove(node: ResultsNode, removed_ids: set[int], user) -> None:
    """Remove a node with its mappings, unless nodes stay below it or indicators measure it."""
    if node.children.exclude(pk__in=removed_ids).exists():
        raise ValidationError(
            _("Nodes below this one stay; remove them too, or move them first."),
            code="node_has_children",
        )
    if Indicator.objects.filter(node=node).exists():
        raise ValidationError(
            _("Indicators measure this node; move them to another node first."),
            code="node_has_indicators",
        )
    for link in PriorityAreaNode.objects.filter(node=node):
        recorded_delete(link, user=user, reason="Removed the node from the framework")
    recorded_delete(node, user=user, reason="Removed the node from the framework")


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
            _("Indicators of this priority area measure the node; move them first."),
            code="node_has_indicators",
        )
    recorded_delete(link, user=user, reason="Unmapped the node from the priority area")
