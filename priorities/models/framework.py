"""Priority areas, and the partner's results frameworks and nodes they follow."""

import re

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext, pgettext
from simple_history.models import HistoricalRecords

from priorities.choices import CodeScheme, DefinitionStatus, PriorityKind
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

# A framework has from one to this many levels.
FRAMEWORK_MAX_DEPTH = 8
LEVEL_NAME_MAX_LENGTH = 60

# The hierarchical code scheme: each code names its level and its parent, e.g. "3" (level 1),
# "3b" (2), "3b.4" (3), "3b.4.4" (4); a letter counts as a level of its own. Purely numeric
# codes ("1.2.3") work too.
NODE_CODE_RE = re.compile(r"\d+[a-z]?(\.\d+)*")
NODE_CODE_EXAMPLE = _('Use a code like "3", "3b", "3b.4" or "3b.4.4".')
HIERARCHICAL_MAX_DEPTH = 4
LEVEL_RANGE_MESSAGE = lazy(
    lambda: _("Level must be from 1 to %(most)s.") % {"most": FRAMEWORK_MAX_DEPTH}, str
)()


def node_code_normalise(code: str) -> str:
    """Return `code` as stored: trimmed, lower case, without the trailing dot tables print."""
    return code.strip().lower().rstrip(".")


def node_code_level(code: str) -> int:
    """Return the framework level (1 at the top) that a hierarchical `code` denotes."""
    segments = code.split(".")
    level = len(segments)
    if segments[0][-1].isalpha():
        level += 1
    return level


def node_code_parent(code: str) -> str | None:
    """Return the code of the parent node that `code` implies, or None at the top level."""
    if "." in code:
        return code.rsplit(".", 1)[0]
    if code[-1].isalpha():
        return code[:-1]
    return None


def node_code_validate(code: str, *, depth: int = HIERARCHICAL_MAX_DEPTH) -> None:
    """Refuse a code that is not of the hierarchical form, with an example of the right one.

    `depth` is the number of levels of the framework: a code may not denote a level below.
    """
    if not NODE_CODE_RE.fullmatch(code) or node_code_level(code) > depth:
        raise ValidationError(
            _("“%(code)s” is not a results-framework code. %(example)s")
            % {"code": code, "example": NODE_CODE_EXAMPLE},
            code="malformed_code",
        )


def node_code_pattern_validate(code: str, pattern: str) -> None:
    """Refuse a code that does not match the framework's own pattern (a regular expression)."""
    if not re.fullmatch(pattern, code):
        raise ValidationError(
            _("“%(code)s” does not follow this framework's codes (pattern %(pattern)s).")
            % {"code": code, "pattern": pattern},
            code="pattern_mismatch",
        )


def level_names_validate(names) -> None:
    """Refuse a list of level names that is empty, too deep, repeats a name or holds no text."""
    if not isinstance(names, list) or not all(isinstance(name, str) for name in names):
        raise ValidationError(_("Give the levels as a list of names."), code="invalid_levels")
    if not names:
        raise ValidationError(_("Name at least one level, e.g. “Outcome”."), code="no_levels")
    if len(names) > FRAMEWORK_MAX_DEPTH:
        raise ValidationError(
            _("A framework has at most %(most)s levels; %(count)s are named.")
            % {"most": FRAMEWORK_MAX_DEPTH, "count": len(names)},
            code="too_many_levels",
        )
    for name in names:
        if not name.strip() or "\n" in name or "\r" in name:
            raise ValidationError(_("Every level needs a name on one line."), code="blank_level")
        if len(name) > LEVEL_NAME_MAX_LENGTH:
            raise ValidationError(
                _("“%(name)s…” is longer than %(most)s characters.")
                % {"name": name[:30], "most": LEVEL_NAME_MAX_LENGTH},
                code="long_level",
            )
    folded = [name.strip().casefold() for name in names]
    if len(set(folded)) != len(folded):
        raise ValidationError(_("Each level needs a name of its own."), code="duplicate_level")


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
        help_text=_("Heading of the chapter-4 section."),
    )
    front_page_title = models.CharField(
        max_length=TITLE_MAX_LENGTH, validators=[validate_single_line], blank=True
    )
    key_result = models.CharField(
        max_length=300,
        validators=[validate_single_line],
        blank=True,
        help_text=_("Front-page key result."),
    )
    text = limited_text_field(
        limit=DOCUMENT_TEXT_MAX_LENGTH, blank=True, help_text=_("Chapter-4 text.")
    )
    monitoring_note = limited_text_field(
        blank=True, help_text=_("What the results-framework annex says it draws on.")
    )
    framework_under_development = models.BooleanField(
        default=False, help_text=_("The partner has not yet defined the results followed here.")
    )
    indicators_under_development = models.BooleanField(
        default=False, help_text=_("The partner has not yet defined the indicators followed here.")
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
                violation_error_message=_("The strategy has a priority area with that slug."),
                violation_error_code="duplicate_slug",
            ),
            models.UniqueConstraint(
                fields=["strategy", "number"],
                condition=Q(number__isnull=False),
                name="priorityarea_unique_number",
                violation_error_message=_("The strategy has a priority area with that number."),
                violation_error_code="duplicate_number",
            ),
            models.CheckConstraint(
                condition=(Q(kind=PriorityKind.PRIORITY) & Q(number__isnull=False))
                | (Q(kind=PriorityKind.CROSS_CUTTING) & Q(number__isnull=True)),
                name="priorityarea_number_by_kind",
                violation_error_message=_(
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
            return _("Priority area %(number)s: %(title)s") % {
                "number": self.number,
                "title": self.title,
            }
        return _("Cross-cutting: %(title)s") % {"title": self.title}


class ResultsFramework(NaturalKeyModel, TimeStampedModel, SourcedModel):
    """A partner's own results framework, with its levels named as the partner names them."""

    NATURAL_KEY = ("organisation__slug", "slug")

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="frameworks"
    )
    name = models.CharField(max_length=TITLE_MAX_LENGTH, validators=[validate_single_line])
    slug = models.SlugField(max_length=60)
    level_names = models.JSONField(
        default=list,
        blank=True,
        validators=[level_names_validate],
        help_text=_(
            "The names of the framework's levels, from the top, e.g. "
            '["Impact area", "Outcome", "Output"].'
        ),
    )
    uses_codes = models.BooleanField(default=True, help_text=_("Nodes carry printed codes."))
    code_scheme = models.CharField(
        max_length=20,
        choices=CodeScheme.choices,
        blank=True,
        help_text=_("How codes are checked; none when nodes carry no codes."),
    )
    code_pattern = models.CharField(
        max_length=200,
        blank=True,
        validators=[validate_single_line],
        help_text=_("A regular expression every code must match, e.g. OC\\d+(\\.\\d+)*."),
    )
    order = models.PositiveSmallIntegerField(default=0)
    approved = models.CharField(
        max_length=100,
        validators=[validate_single_line],
        blank=True,
        help_text=_("When it was approved."),
    )
    note = limited_text_field(blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["organisation", "order", "name"]
        constraints = [
            *text_length_checks("note"),
            models.UniqueConstraint(
                fields=["organisation", "slug"],
                name="framework_unique_slug",
                violation_error_message=_(
                    "The organisation already has a framework with that slug."
                ),
                violation_error_code="duplicate_slug",
            ),
            models.CheckConstraint(
                condition=Q(uses_codes=True) | Q(code_scheme="", code_pattern=""),
                name="framework_no_scheme_without_codes",
                violation_error_message=_(
                    "A framework whose nodes carry no codes has no code scheme."
                ),
                violation_error_code="scheme_without_codes",
            ),
            models.CheckConstraint(
                condition=(Q(code_scheme=CodeScheme.PATTERN) & ~Q(code_pattern=""))
                | (~Q(code_scheme=CodeScheme.PATTERN) & Q(code_pattern="")),
                name="framework_pattern_by_scheme",
                violation_error_message=_("Give a pattern exactly when codes follow a pattern."),
                violation_error_code="pattern_by_scheme",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def depth(self) -> int:
        """Return the number of levels."""
        return len(self.level_names or ())

    def level_name(self, level: int) -> str:
        """Return the name of `level` (1 at the top), or "Level n" beyond the named ones."""
        names = self.level_names or ()
        if 1 <= level <= len(names):
            return names[level - 1]
        return _("Level %(level)s") % {"level": level}

    @property
    def level_choices(self) -> list[tuple[int, str]]:
        """Return the levels as choices for a select: (depth, name)."""
        return [(depth, name) for depth, name in enumerate(self.level_names or (), start=1)]

    @property
    def is_hierarchical(self) -> bool:
        """Return whether codes name their level and parent, as "3b.4" does."""
        return self.uses_codes and self.code_scheme == CodeScheme.HIERARCHICAL

    def code_check(self, code: str) -> None:
        """Refuse `code` if this framework's nodes carry none or it breaks the scheme."""
        if not code:
            return
        if not self.uses_codes:
            raise ValidationError(
                _("This framework's nodes carry no codes; leave the code empty."),
                code="codes_not_used",
            )
        if self.code_scheme == CodeScheme.HIERARCHICAL:
            node_code_validate(code, depth=self.depth or HIERARCHICAL_MAX_DEPTH)
        elif self.code_scheme == CodeScheme.PATTERN and self.code_pattern:
            node_code_pattern_validate(code, self.code_pattern)

    def clean(self) -> None:
        """Check the levels, and that scheme and pattern agree with the use of codes."""
        errors = {}
        if not self.uses_codes:
            self.code_scheme = ""
            self.code_pattern = ""
        if self.code_scheme != CodeScheme.PATTERN:
            self.code_pattern = ""
        elif not self.code_pattern:
            errors["code_pattern"] = ValidationError(
                _("Give the pattern codes must match."), code="pattern_required"
            )
        else:
            try:
                re.compile(self.code_pattern)
            except re.error as error:
                errors["code_pattern"] = ValidationError(
                    _("This is not a regular expression: %(error)s.") % {"error": error},
                    code="invalid_pattern",
                )
        if not self.level_names:
            errors["level_names"] = ValidationError(
                _("Name at least one level, e.g. “Outcome”."), code="no_levels"
            )
        elif isinstance(self.level_names, list):
            self.level_names = [
                " ".join(name.split()) if isinstance(name, str) else name
                for name in self.level_names
            ]
        if errors:
            raise ValidationError(errors)


class ResultsNode(NaturalKeyModel, TimeStampedModel, SourcedModel):
    """A result at one level of a partner's results framework: an objective, outcome, output …"""

    NATURAL_KEY = ("framework__organisation__slug", "framework__slug", "key")

    framework = models.ForeignKey(ResultsFramework, on_delete=models.CASCADE, related_name="nodes")
    key = models.CharField(
        max_length=60,
        validators=[validate_single_line],
        help_text=_("The printed code, or a stable key where none is printed."),
    )
    code = models.CharField(
        max_length=30,
        validators=[validate_single_line],
        blank=True,
        help_text=_("Printed code, e.g. 3b.4.4; empty where the framework prints none."),
    )
    level = models.PositiveSmallIntegerField(help_text=_("Depth in the framework, 1 at the top."))
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="children"
    )
    title = limited_text_field(limit=STATEMENT_MAX_LENGTH, blank=True)
    status = models.CharField(
        max_length=20, choices=DefinitionStatus.choices, default=DefinitionStatus.DEFINED
    )
    is_implied = models.BooleanField(
        default=False, help_text=_("Implied by a listed code but not itself listed.")
    )
    section = models.CharField(
        max_length=120,
        validators=[validate_single_line],
        blank=True,
        help_text=_("Part of the framework, e.g. Organizational Effectiveness."),
    )
    order = models.PositiveSmallIntegerField(
        default=0, help_text=_("Position among its siblings; siblings of equal order sort by code.")
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["framework", "level", "order", "key"]
        constraints = [
            *text_length_checks("title", limit=STATEMENT_MAX_LENGTH),
            models.UniqueConstraint(
                fields=["framework", "key"],
                name="resultsnode_unique_key",
                violation_error_message=_("This framework already has a node with that key."),
                violation_error_code="duplicate_key",
            ),
            models.UniqueConstraint(
                fields=["framework", "code"],
                condition=~Q(code=""),
                name="resultsnode_unique_code",
                violation_error_message=_("This framework already has a node with that code."),
                violation_error_code="duplicate_code",
            ),
            models.CheckConstraint(
                condition=Q(level__gte=1, level__lte=FRAMEWORK_MAX_DEPTH),
                name="resultsnode_level_range",
                violation_error_message=LEVEL_RANGE_MESSAGE,
                violation_error_code="invalid_level",
            ),
            models.CheckConstraint(
                condition=~Q(parent=F("id")),
                name="resultsnode_not_own_parent",
                violation_error_message=_("A node cannot be its own parent."),
                violation_error_code="own_parent",
            ),
            models.CheckConstraint(
                condition=Q(level=1, parent__isnull=True)
                | (Q(level__gt=1) & Q(parent__isnull=False)),
                name="resultsnode_parent_by_level",
                violation_error_message=_(
                    "Top-level nodes have no parent; every other node has one."
                ),
                violation_error_code="parent_by_level",
            ),
            models.CheckConstraint(
                condition=~Q(status=DefinitionStatus.DEFINED, title="", is_implied=False),
                name="resultsnode_defined_has_title",
                violation_error_message=_("A defined node needs a title."),
                violation_error_code="title_required",
            ),
        ]

    def __str__(self) -> str:
        if self.code:
            return f"{self.code}: {self.title}" if self.title else self.code
        return self.title or _("%(level)s (under development)") % {"level": self.level_name}

    @property
    def level_name(self) -> str:
        """Return the name the framework gives this node's level; select the framework."""
        return self.framework.level_name(self.level)

    def clean(self) -> None:
        """Check the code against the framework's scheme, and that level and parent agree."""
        errors = {}
        framework = self.framework if self.framework_id else None
        if self.code:
            # Hierarchical codes are stored in one form ("3B.4." → "3b.4"); others as printed.
            hierarchical = framework is None or framework.is_hierarchical
            self.code = node_code_normalise(self.code) if hierarchical else self.code.strip()
        if framework is not None and self.code:
            try:
                framework.code_check(self.code)
            except ValidationError as error:
                errors["code"] = error
            else:
                if framework.is_hierarchical:
                    self._hierarchical_clean(errors)
        if framework is not None and self.level and self.level > max(framework.depth, 1):
            errors.setdefault(
                "level",
                ValidationError(
                    ngettext(
                        "%(name)s has %(depth)s level; there is no level %(level)s.",
                        "%(name)s has %(depth)s levels; there is no level %(level)s.",
                        framework.depth,
                    )
                    % {"name": framework.name, "depth": framework.depth, "level": self.level},
                    code="level_beyond_framework",
                ),
            )
        if self.parent_id:
            if self.parent.framework_id != self.framework_id:
                errors["parent"] = ValidationError(
                    _("The parent belongs to another framework."), code="other_framework"
                )
            elif self.level and self.parent.level != self.level - 1:
                errors["parent"] = ValidationError(
                    _("The parent must be one level above."), code="parent_level"
                )
        if self.status == DefinitionStatus.DEFINED and not self.title and not self.is_implied:
            errors["title"] = ValidationError(
                _("A defined node needs a title; mark it under development otherwise."),
                code="title_required",
            )
        if errors:
            raise ValidationError(errors)

    def _hierarchical_clean(self, errors: dict) -> None:
        """Check that level and parent agree with a hierarchical code."""
        level = node_code_level(self.code)
        if self.level and self.level != level:
            errors["level"] = ValidationError(
                _("Code %(code)s denotes a %(level)s.")
                % {"code": self.code, "level": self.framework.level_name(level).lower()},
                code="level_mismatch",
            )
        expected_parent = node_code_parent(self.code)
        if self.parent_id and self.parent.code != (expected_parent or ""):
            errors["parent"] = ValidationError(
                _("The parent of %(code)s is %(parent)s.")
                % {
                    "code": self.code,
                    "parent": expected_parent or pgettext("no parent node", "none"),
                },
                code="parent_mismatch",
            )


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
        verbose_name = _("priority area node")
        constraints = [
            models.UniqueConstraint(
                fields=["priority_area", "node"],
                name="areanode_unique",
                violation_error_message=_("The priority area already follows that node."),
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
                        _("The node belongs to another organisation's framework."),
                        code="other_organisation",
                    )
                }
            )
