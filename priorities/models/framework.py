"""Priority areas, and the partner's results frameworks and nodes they follow."""

import re

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from simple_history.models import HistoricalRecords

from priorities.choices import DefinitionStatus, NodeLevel, PriorityKind
from strategy_monitor.models import (
    NaturalKeyModel,
    SourcedModel,
    TimeStampedModel,
    limited_text_field,
)
from strategy_monitor.validators import (
    DOCUMENT_TEXT_MAX_LENGTH,
    STATEMENT_MAX_LENGTH,
    TITLE_MAX_LENGTH,
    text_length_checks,
    validate_single_line,
)

from .organisation import Organisation
from .strategy import Strategy

# Partner frameworks number their results hierarchically: objective "3", long-term outcome
# "3b", short-term outcome "3b.4", output "3b.4.4". Purely numeric codes ("1.2.3") work too.
NODE_CODE_RE = re.compile(r"\d+[a-z]?(\.\d+)*")
NODE_CODE_EXAMPLE = 'Use a code like "3", "3b", "3b.4" or "3b.4.4".'


def node_code_normalise(code: str) -> str:
    """Return `code` as stored: trimmed, lower case, without the trailing dot tables print."""
    return code.strip().lower().rstrip(".")


def node_code_level(code: str) -> int:
    """Return the framework level (1 objective … 4 output) that `code` denotes."""
    segments = code.split(".")
    level = len(segments)
    if segments[0][-1].isalpha():
        level += 1
    return level


def node_code_parent(code: str) -> str | None:
    """Return the code of the parent node that `code` implies, or None for an objective."""
    if "." in code:
        return code.rsplit(".", 1)[0]
    if code[-1].isalpha():
        return code[:-1]
    return None


def node_code_validate(code: str) -> None:
    """Refuse a code that is not of the hierarchical form, with an example of the right one."""
    if not NODE_CODE_RE.fullmatch(code) or node_code_level(code) > NodeLevel.OUTPUT:
        raise ValidationError(
            f"“{code}” is not a results-framework code. {NODE_CODE_EXAMPLE}",
            code="malformed_code",
        )


class PriorityArea(NaturalKeyModel, TimeStampedModel, SourcedModel):
    """A Danish priority area of a strategy, or a cross-cutting priority."""

    NATURAL_KEY = ("strategy__slug", "slug")

    strategy = models.ForeignKey(Strategy, on_delete=models.CASCADE, related_name="priority_areas")
    kind = models.CharField(max_length=20, choices=PriorityKind.choices)
    number = models.PositiveSmallIntegerField(null=True, blank=True)
    slug = models.SlugField(max_length=60)
    title = models.CharField(
        max_length=TITLE_MAX_LENGTH,
        validators=[validate_single_line],
        help_text="Heading of the chapter-4 section.",
    )
    front_page_title = models.CharField(
        max_length=TITLE_MAX_LENGTH, validators=[validate_single_line], blank=True
    )
    key_result = models.CharField(
        max_length=300,
        validators=[validate_single_line],
        blank=True,
        help_text="Front-page key result.",
    )
    text = limited_text_field(
        limit=DOCUMENT_TEXT_MAX_LENGTH, blank=True, help_text="Chapter-4 text."
    )
    monitoring_note = limited_text_field(
        blank=True, help_text="What the results-framework annex says it draws on."
    )
    framework_under_development = models.BooleanField(
        default=False, help_text="The partner has not yet defined the results followed here."
    )
    indicators_under_development = models.BooleanField(
        default=False, help_text="The partner has not yet defined the indicators followed here."
    )
    order = models.PositiveSmallIntegerField(default=0)
    nodes = models.ManyToManyField(
        "ResultsNode", through="PriorityAreaNode", related_name="priority_areas", blank=True
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["strategy", "order", "number"]
        constraints = [
            *text_length_checks("text", limit=DOCUMENT_TEXT_MAX_LENGTH),
            *text_length_checks("monitoring_note"),
            models.UniqueConstraint(
                fields=["strategy", "slug"],
                name="priorityarea_unique_slug",
                violation_error_message="The strategy has a priority area with that slug.",
                violation_error_code="duplicate_slug",
            ),
            models.UniqueConstraint(
                fields=["strategy", "number"],
                condition=Q(number__isnull=False),
                name="priorityarea_unique_number",
                violation_error_message="The strategy has a priority area with that number.",
                violation_error_code="duplicate_number",
            ),
            models.CheckConstraint(
                condition=(Q(kind=PriorityKind.PRIORITY) & Q(number__isnull=False))
                | (Q(kind=PriorityKind.CROSS_CUTTING) & Q(number__isnull=True)),
                name="priorityarea_number_by_kind",
                violation_error_message=(
                    "Priority areas are numbered; cross-cutting priorities are not."
                ),
                violation_error_code="number_by_kind",
            ),
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        """Return the name as it is referred to: "Priority area 3" or the cross-cutting title."""
        if self.kind == PriorityKind.PRIORITY:
            return f"Priority area {self.number}: {self.title}"
        return f"Cross-cutting: {self.title}"


class ResultsFramework(NaturalKeyModel, TimeStampedModel, SourcedModel):
    """A partner's own results framework, such as IOM's Strategic Results Framework."""

    NATURAL_KEY = ("organisation__slug", "slug")

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="frameworks"
    )
    name = models.CharField(max_length=TITLE_MAX_LENGTH, validators=[validate_single_line])
    slug = models.SlugField(max_length=60)
    uses_codes = models.BooleanField(
        default=True, help_text="Nodes carry printed codes from which parents follow."
    )
    approved = models.CharField(
        max_length=100,
        validators=[validate_single_line],
        blank=True,
        help_text="When it was approved.",
    )
    note = limited_text_field(blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["organisation", "name"]
        constraints = [
            *text_length_checks("note"),
            models.UniqueConstraint(
                fields=["organisation", "slug"],
                name="framework_unique_slug",
                violation_error_message="The organisation already has a framework with that slug.",
                violation_error_code="duplicate_slug",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class ResultsNode(NaturalKeyModel, TimeStampedModel, SourcedModel):
    """An objective, outcome or output in a partner's results framework."""

    NATURAL_KEY = ("framework__organisation__slug", "framework__slug", "key")

    framework = models.ForeignKey(ResultsFramework, on_delete=models.CASCADE, related_name="nodes")
    key = models.CharField(
        max_length=60,
        validators=[validate_single_line],
        help_text="The printed code, or a stable key where none is printed.",
    )
    code = models.CharField(
        max_length=30,
        validators=[validate_single_line],
        blank=True,
        help_text="Printed code, e.g. 3b.4.4.",
    )
    level = models.PositiveSmallIntegerField(choices=NodeLevel.choices)
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="children"
    )
    title = limited_text_field(limit=STATEMENT_MAX_LENGTH, blank=True)
    status = models.CharField(
        max_length=20, choices=DefinitionStatus.choices, default=DefinitionStatus.DEFINED
    )
    is_implied = models.BooleanField(
        default=False, help_text="Implied by a listed code but not itself listed."
    )
    section = models.CharField(
        max_length=120,
        validators=[validate_single_line],
        blank=True,
        help_text="Part of the framework, e.g. Organizational Effectiveness.",
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["framework", "level", "key"]
        constraints = [
            *text_length_checks("title", limit=STATEMENT_MAX_LENGTH),
            models.UniqueConstraint(
                fields=["framework", "key"],
                name="resultsnode_unique_key",
                violation_error_message="This framework already has a node with that key.",
                violation_error_code="duplicate_key",
            ),
            models.UniqueConstraint(
                fields=["framework", "code"],
                condition=~Q(code=""),
                name="resultsnode_unique_code",
                violation_error_message="This framework already has a node with that code.",
                violation_error_code="duplicate_code",
            ),
            models.CheckConstraint(
                condition=Q(level__gte=NodeLevel.OBJECTIVE, level__lte=NodeLevel.OUTPUT),
                name="resultsnode_level_range",
                violation_error_message="Level must be objective, outcome or output.",
                violation_error_code="invalid_level",
            ),
            models.CheckConstraint(
                condition=~Q(parent=F("id")),
                name="resultsnode_not_own_parent",
                violation_error_message="A node cannot be its own parent.",
                violation_error_code="own_parent",
            ),
            models.CheckConstraint(
                condition=Q(level=NodeLevel.OBJECTIVE, parent__isnull=True)
                | (Q(level__gt=NodeLevel.OBJECTIVE) & Q(parent__isnull=False)),
                name="resultsnode_parent_by_level",
                violation_error_message="Objectives have no parent; every other node has one.",
                violation_error_code="parent_by_level",
            ),
            models.CheckConstraint(
                condition=~Q(status=DefinitionStatus.DEFINED, title="", is_implied=False),
                name="resultsnode_defined_has_title",
                violation_error_message="A defined node needs a title.",
                violation_error_code="title_required",
            ),
        ]

    def __str__(self) -> str:
        if self.code:
            return f"{self.code}: {self.title}" if self.title else self.code
        return self.title or f"{self.get_level_display()} (under development)"

    def clean(self) -> None:
        """Check the code's form, and that level and parent agree with it."""
        errors = {}
        if self.code:
            self.code = node_code_normalise(self.code)
            try:
                node_code_validate(self.code)
            except ValidationError as error:
                errors["code"] = error
            else:
                if self.level and self.level != node_code_level(self.code):
                    level = NodeLevel(node_code_level(self.code)).label.lower()
                    errors["level"] = ValidationError(
                        f"Code {self.code} denotes a {level}.", code="level_mismatch"
                    )
                expected_parent = node_code_parent(self.code)
                if self.parent_id and self.parent.code != (expected_parent or ""):
                    errors["parent"] = ValidationError(
                        f"The parent of {self.code} is {expected_parent or 'none'}.",
                        code="parent_mismatch",
                    )
        if self.parent_id:
            if self.parent.framework_id != self.framework_id:
                errors["parent"] = ValidationError(
                    "The parent belongs to another framework.", code="other_framework"
                )
            elif self.level and self.parent.level != self.level - 1:
                errors["parent"] = ValidationError(
                    "The parent must be one level above.", code="parent_level"
                )
        if self.status == DefinitionStatus.DEFINED and not self.title and not self.is_implied:
            errors["title"] = ValidationError(
                "A defined node needs a title; mark it under development otherwise.",
                code="title_required",
            )
        if errors:
            raise ValidationError(errors)


class PriorityAreaNode(NaturalKeyModel, TimeStampedModel, SourcedModel):
    """Map a Danish priority area to a node of the partner's framework that Denmark follows."""

    NATURAL_KEY = (
        "priority_area__strategy__slug",
        "priority_area__slug",
        "node__framework__organisation__slug",
        "node__framework__slug",
        "node__key",
    )

    priority_area = models.ForeignKey(
        PriorityArea, on_delete=models.CASCADE, related_name="node_links"
    )
    node = models.ForeignKey(ResultsNode, on_delete=models.CASCADE, related_name="area_links")
    note = models.CharField(max_length=300, validators=[validate_single_line], blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    history = HistoricalRecords()

    class Meta:
        ordering = ["priority_area", "order"]
        verbose_name = "priority area node"
        constraints = [
            models.UniqueConstraint(
                fields=["priority_area", "node"],
                name="areanode_unique",
                violation_error_message="The priority area already follows that node.",
                violation_error_code="duplicate_node",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.priority_area} → {self.node}"

    def clean(self) -> None:
        """Map only to nodes of the strategy partner's own frameworks."""
        if (
            self.priority_area_id
            and self.node_id
            and self.node.framework.organisation_id != self.priority_area.strategy.organisation_id
        ):
            raise ValidationError(
                {
                    "node": ValidationError(
                        "The node belongs to another organisation's framework.",
                        code="other_organisation",
                    )
                }
            )
