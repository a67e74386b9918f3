"""Forms for progress, ratings, the yearly workflow and the set-up of strategies.

Forms check the input's type; the rules live in the models and services. Every form that edits
an existing record carries its version, so that a stale copy is refused.
"""

from decimal import Decimal

from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.utils.functional import lazy
from django.utils.translation import gettext, pgettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from priorities.choices import SDG, CodeScheme, DefinitionStatus, PriorityKind, TeamRole
from priorities.models import (
    FRAMEWORK_MAX_DEPTH,
    STRATEGY_TEXT_FIELDS,
    Assessment,
    Indicator,
    IndicatorProgress,
    Organisation,
    PriorityArea,
    ResultsFramework,
    ResultsNode,
    Strategy,
    StrategyYear,
    TeamMembership,
    level_names_validate,
    validate_iati_identifier,
)
from priorities.onepager_files import onepager_upload_text
from priorities.services import INDICATOR_FIELDS, STRATEGY_FIELDS, NodeRow, area_node_ids
from priorities.validators import ACCEPTED_EXTENSIONS, evidence_file_check, evidence_max_bytes
from strategy_monitor.concurrency import VersionedFormMixin
from strategy_monitor.formats import figure_text
from strategy_monitor.forms import MillionAmountField, number_field_text, number_read
from strategy_monitor.validators import STATEMENT_MAX_LENGTH, TEXT_MAX_LENGTH

TEXTAREA = forms.Textarea(attrs={"rows": 4})
SHORT_TEXTAREA = forms.Textarea(attrs={"rows": 2})
NUMBER_MESSAGE = _("Enter a number, such as 12, 12.5 or 12,5, without units.")
FIGURE_ATTRS = {"inputmode": "decimal", "autocomplete": "off"}


class FigureField(forms.DecimalField):
    """A figure typed as people write it, Danish or English, and shown back without noise.

    "12,5" and "12.5", "18.000" … are read by the one number reader of the amount fields
    (`strategy_monitor.forms.number_read`): a figure the two conventions read differently
    ("18,000") is refused with both readings. A stored figure shows as 2.5 (2,5 in Danish),
    not 2.5000.
    """

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, Decimal | int) and not isinstance(value, bool):
            return Decimal(value)
        text = str(value).strip().replace("\u2212", "-")
        negative = text.startswith("-")
        number = number_read(
            text.removeprefix("-"), typed=text, invalid=self.error_messages["invalid"]
        )
        return -number if negative else number

    def prepare_value(self, value):
        if isinstance(value, Decimal):
            return number_field_text(value)
        return value


def figure_field(label: str, help_text: str = "") -> forms.DecimalField:
    """Return an optional decimal input whose error for text says what a number looks like."""
    return FigureField(
        label=label,
        required=False,
        max_digits=18,
        decimal_places=4,
        help_text=help_text,
        widget=forms.TextInput(attrs=FIGURE_ATTRS),
        error_messages={"invalid": NUMBER_MESSAGE},
    )


def node_label(node: ResultsNode, *, with_level: bool = False) -> str:
    """Return how a node reads in a select: code, title, and whether it is defined yet."""
    label = f"{node.code} {node.title}".strip() if node.code else node.title
    label = label or gettext("%(level)s (no title yet)") % {"level": node.level_name}
    if with_level and node.title:
        label = f"{node.level_name}: {label}"
    if len(label) > 110:
        label = label[:109] + "…"
    if node.status == DefinitionStatus.UNDER_DEVELOPMENT:
        label += " — " + gettext("under development")
    return label


class NodeChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return node_label(obj)


class NodeMultipleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj) -> str:
        return node_label(obj)


class UserChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        name = obj.get_full_name()
        return f"{name} ({obj.username})" if name else obj.username


# --- Progress, ratings, evidence --------------------------------------------------------------


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Take any number of files from one input, each checked like a single file."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault(
            "widget", MultipleFileInput(attrs={"accept": ",".join(ACCEPTED_EXTENSIONS)})
        )
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        if not data:
            return []
        items = data if isinstance(data, list | tuple) else [data]
        return [super(MultipleFileField, self).clean(item, initial) for item in items if item]

    def has_changed(self, initial, data) -> bool:
        # No file chosen arrives as an empty list, which is no change.
        return not self.disabled and bool(data)


class EvidenceFilesMixin(forms.Form):
    """Offer evidence uploads and refuse files that are too large, unknown or disguised."""

    files = MultipleFileField(label=_("Evidence files"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        megabytes = evidence_max_bytes() // (1024 * 1024)
        self.fields["files"].help_text = gettext(
            "PDF, Word, Excel or images (PNG, JPEG, GIF), up to %(megabytes)s MB each. "
            "You can choose several files."
        ) % {"megabytes": megabytes}

    def clean_files(self):
        files = self.cleaned_data.get("files") or []
        errors = []
        for upload in files:
            try:
                evidence_file_check(upload)
            except ValidationError as error:
                errors.extend(error.error_list)
        if errors:
            raise ValidationError(errors)
        return files


class ProgressForm(EvidenceFilesMixin, VersionedFormMixin, forms.ModelForm):
    """Enter an indicator's target and actual for a year, with a comment, source and evidence."""

    target = figure_field(pgettext_lazy("figure", "Target"))
    actual = figure_field(_("Actual"))

    class Meta:
        model = IndicatorProgress
        fields = ["target", "actual", "comment", "source"]
        labels = {"comment": _("Comment"), "source": _("Source of the figures")}
        help_texts = {
            "source": _(
                "Where the figures come from, e.g. the partner's annual report 2024, p. 12."
            ),
        }
        widgets = {"comment": TEXTAREA}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        indicator = self.instance.indicator
        for name in ("target", "actual"):
            if getattr(self.instance, name) is not None:
                self.initial[name] = figure_text(getattr(self.instance, name))
        unit = f" ({indicator.unit})" if indicator.unit else ""
        self.fields["target"].label = pgettext("figure", "Target") + unit
        self.fields["actual"].label = gettext("Actual") + unit
        if indicator.is_percentage:
            self.fields["actual"].help_text = gettext("A percentage: from 0 to 100.")


class AssessmentForm(VersionedFormMixin, forms.ModelForm):
    """Rate a priority area's progress in a year and explain the rating."""

    class Meta:
        model = Assessment
        fields = ["rating", "narrative"]
        widgets = {"rating": forms.RadioSelect, "narrative": forms.Textarea(attrs={"rows": 6})}
        labels = {"rating": _("Rating"), "narrative": _("Narrative")}
        help_texts = {
            "narrative": _("What moved and what held progress back; required with a rating."),
        }


class IndicatorForm(VersionedFormMixin, forms.ModelForm):
    """Define an indicator, or change its definition."""

    node = NodeChoiceField(
        queryset=ResultsNode.objects.none(),
        label=_("Results-framework node"),
        help_text=_("A node this priority area follows. Nodes under development can be chosen."),
    )
    baseline = figure_field(_("Baseline"))

    class Meta:
        model = Indicator
        fields = list(INDICATOR_FIELDS)
        labels = {
            "code": _("Indicator code"),
            "title": _("Title"),
            "unit": _("Unit"),
            "baseline_year": _("Baseline year"),
            "direction": _("Direction"),
            "allows_negative": _("Values may be negative"),
            "status": _("Definition"),
            "source": _("Source"),
            "order": _("Order"),
        }
        help_texts = {
            "code": _("As the partner prints it, if it has one."),
            "title": _("Leave empty only while the partner is still developing the indicator."),
        }
        widgets = {"title": SHORT_TEXTAREA}

    def __init__(self, *args, priority_area: PriorityArea, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.priority_area = priority_area
        if self.instance.baseline is not None:
            self.initial["baseline"] = figure_text(self.instance.baseline)
        ids = area_node_ids(priority_area)
        self.fields["node"].queryset = ResultsNode.objects.filter(pk__in=ids).order_by(
            "level", "code", "key"
        )
        if not ids:
            self.fields["node"].help_text = gettext(
                "The priority area follows no node yet: an administrator maps nodes in the "
                "set-up of the strategy."
            )


class YearActionForm(VersionedFormMixin, forms.Form):
    """Move a year in its workflow: submit, approve, return or reopen, with a comment."""

    comment = forms.CharField(
        label=_("Comment"), required=False, max_length=TEXT_MAX_LENGTH, widget=SHORT_TEXTAREA
    )

    def __init__(self, *args, instance: StrategyYear, comment_required: bool = False, **kwargs):
        self.instance = instance
        super().__init__(*args, **kwargs)
        self.fields["comment"].required = comment_required


class YearSubmitForm(VersionedFormMixin, forms.Form):
    """Submit a year from its review page: a note, and why it goes with gaps if it has any."""

    comment = forms.CharField(
        label=_("Note to the manager (optional)"),
        required=False,
        max_length=TEXT_MAX_LENGTH,
        widget=SHORT_TEXTAREA,
    )
    gaps_reason = forms.CharField(
        label=_("Why submit with these gaps"),
        required=False,
        max_length=TEXT_MAX_LENGTH,
        widget=SHORT_TEXTAREA,
        help_text=_("The manager reads this beside the gaps before deciding."),
        error_messages={
            "required": _("Say why you submit the year with these gaps, or fill them first.")
        },
    )

    def __init__(self, *args, instance: StrategyYear, has_gaps: bool, **kwargs):
        self.instance = instance
        super().__init__(*args, **kwargs)
        # Asked for only when the year has gaps; the service refuses a gap without a reason too.
        if has_gaps:
            self.fields["gaps_reason"].required = True
        else:
            del self.fields["gaps_reason"]


# --- Set-up -----------------------------------------------------------------------------------


class StrategyForm(VersionedFormMixin, forms.ModelForm):
    """The front page of a strategy: partner, period, officers, texts, totals and SDGs."""

    sdgs = forms.TypedMultipleChoiceField(
        label=_("Relevant SDGs"),
        choices=SDG.choices,
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    new_organisation_name = forms.CharField(
        label=_("Or a new partner: name"), required=False, max_length=200
    )
    new_organisation_acronym = forms.CharField(
        label=_("New partner: acronym"), required=False, max_length=30
    )
    new_organisation_iati_identifier = forms.CharField(
        label=_("New partner: IATI organisation identifier"),
        required=False,
        max_length=60,
        validators=[validate_iati_identifier],
        help_text=_(
            'As the IATI organisation registry lists it, e.g. "XM-DAC-41121"; the IATI '
            "export names the partner by it."
        ),
    )

    class Meta:
        model = Strategy
        fields = list(STRATEGY_FIELDS)
        field_classes = {
            "stated_commitment_total": MillionAmountField,
            "stated_disbursement_total": MillionAmountField,
        }
        labels = {
            "organisation": _("Partner"),
            "title": _("Title"),
            "slug": _("Slug"),
            "is_draft": _("The document is a draft"),
            "file_number": _("File no."),
            "responsible_unit": _("Responsible unit"),
            "finance_act_code": _("Finance Act code"),
            "start_year": _("Start year"),
            "end_year": _("End year"),
            "desk_officer": _("Desk officer"),
            "financial_officer": _("Financial officer"),
            "stated_commitment_total": _("Total commitment (DKK million, as printed)"),
            "stated_disbursement_total": _(
                "Total projected disbursement (DKK million, as printed)"
            ),
            "mid_term_review_year": _("Mid-term review: year"),
            "mid_term_review_half": _("Mid-term review: half"),
            "source": _("Source"),
            "introduction": _("Introduction"),
            "overall_objective": _("Overall objective"),
            "objective_text": _("Objective text"),
            "justification": _("Justification"),
            "results_monitoring": _("Results monitoring"),
            "risks_summary": _("Risks summary"),
            "lessons_learnt": _("Lessons learnt"),
            "budget_text": _("Budget text"),
            "budget_note": _("Budget note"),
            "risks_text": _("Risks text"),
            "engagement_text": _("Engagement text"),
            "governance_involvement": _("Governance involvement"),
            "partnership_agreement": _("Partnership agreement"),
            "mid_term_review_scope": _("Mid term review scope"),
        }
        widgets = {name: TEXTAREA for name in STRATEGY_TEXT_FIELDS}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = Organisation.objects.order_by("name")
        self.fields["start_year"].help_text = gettext("The strategy runs for 3 to 5 years.")
        self.fields["slug"].help_text = gettext("Its name in addresses, e.g. unhcr-2024-2027.")
        if self.instance.pk:
            self.initial["sdgs"] = list(self.instance.sdgs.values_list("goal", flat=True))
            del self.fields["new_organisation_name"]
            del self.fields["new_organisation_acronym"]
            del self.fields["new_organisation_iati_identifier"]
        else:
            self.fields["organisation"].required = False

    def clean(self):
        data = super().clean()
        if not self.instance.pk and not data.get("organisation"):
            if not (data.get("new_organisation_name") and data.get("new_organisation_acronym")):
                raise ValidationError(
                    _("Choose the partner, or give the name and acronym of a new one."),
                    code="partner_required",
                )
        return data

    def _get_validation_exclusions(self):
        exclude = super()._get_validation_exclusions()
        # A new partner is created by the service; until then the strategy has none to check.
        if not self.instance.pk and not self.cleaned_data.get("organisation"):
            exclude.add("organisation")
        return exclude


class StrategyYearForm(VersionedFormMixin, forms.ModelForm):
    """A year's planned commitment and projected disbursement (front page)."""

    class Meta:
        model = StrategyYear
        fields = ["planned_commitment", "planned_disbursement"]
        field_classes = {
            "planned_commitment": MillionAmountField,
            "planned_disbursement": MillionAmountField,
        }
        labels = {
            "planned_commitment": _("Commitment (DKK million)"),
            "planned_disbursement": _("Projected disbursement (DKK million)"),
        }


class PriorityAreaForm(VersionedFormMixin, forms.ModelForm):
    """A priority area or cross-cutting priority with its front-page and chapter-4 texts."""

    class Meta:
        model = PriorityArea
        fields = [
            "kind",
            "number",
            "title",
            "front_page_title",
            "key_result",
            "text",
            "monitoring_note",
            "framework_under_development",
            "indicators_under_development",
            "order",
        ]
        labels = {
            "kind": _("Kind"),
            "number": _("Number"),
            "front_page_title": _("Front page title"),
            "key_result": _("Key result"),
            "monitoring_note": _("Monitoring note"),
            "order": _("Order"),
            "text": _("Chapter-4 text"),
            "title": _("Title (heading of the chapter-4 section)"),
            "framework_under_development": _("Results framework under development"),
            "indicators_under_development": _("Indicators under development"),
        }
        widgets = {"text": TEXTAREA, "monitoring_note": SHORT_TEXTAREA}

    def __init__(self, *args, strategy: Strategy, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.strategy = strategy
        self.fields["number"].help_text = gettext("Cross-cutting priorities have no number.")
        self.fields["order"].required = False
        self.fields["order"].help_text = gettext("Position in lists; empty: after the number.")
        if not self.instance.pk:
            # An untouched blank form must read as unchanged, so that it adds nothing.
            self.initial.pop("order", None)
            self.fields["order"].initial = None
            # Most rows added are numbered priority areas; an untouched row still adds nothing.
            self.initial.setdefault("kind", PriorityKind.PRIORITY)

    def has_changed(self) -> bool:
        # A blank row whose only value is its kind (preselected, or left out) adds nothing.
        if not self.instance.pk:
            return any(name != "kind" for name in self.changed_data)
        return super().has_changed()


def user_label(user) -> str:
    """Return how a user reads in a select: full name and user name."""
    name = user.get_full_name()
    return f"{name} ({user.username})" if name else user.username


class TeamRowForm(VersionedFormMixin, forms.Form):
    """One row of the team list: a user in a role; a stored row can be removed.

    The users to choose from are read once for the whole list and passed in, so that a longer
    list takes no more queries.
    """

    user = forms.TypedChoiceField(coerce=int, label=_("User"), empty_value=None)
    role = forms.ChoiceField(choices=[("", "---------"), *TeamRole.choices], label=_("Role"))

    def __init__(self, *args, users, instance: TeamMembership | None = None, **kwargs):
        self.instance = instance or TeamMembership()
        super().__init__(*args, **kwargs)
        self.users = {user.pk: user for user in users}
        self.fields["user"].choices = [
            ("", "---------"),
            *((user.pk, user_label(user)) for user in users),
        ]
        if self.instance.pk:
            self.initial.update(user=self.instance.user_id, role=self.instance.role)
            self.fields["remove"] = forms.BooleanField(required=False, label=_("Remove"))

    @staticmethod
    def user_choices():
        """Return the users who can be put on a team, in the order the select shows them."""
        return (
            get_user_model()
            .objects.filter(is_active=True)
            .order_by("first_name", "last_name", "username")
        )

    def clean_user(self):
        pk = self.cleaned_data["user"]
        return self.users.get(pk) if pk is not None else None


class FrameworkForm(forms.Form):
    """Name a partner's results framework and its levels, and say whether nodes carry codes."""

    name = forms.CharField(max_length=200, label=_("Name of the framework"))
    levels = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}),
        label=_("Levels"),
        help_text=lazy(
            lambda: (
                _(
                    "One name a line, from the top (at most %(most)s), e.g. "
                    "Impact area, Outcome, Output."
                )
                % {"most": FRAMEWORK_MAX_DEPTH}
            ),
            str,
        )(),
    )
    uses_codes = forms.BooleanField(
        required=False, label=_("Nodes carry printed codes"), initial=False
    )
    code_scheme = forms.ChoiceField(
        choices=CodeScheme.choices,
        required=False,
        label=_("How codes are checked"),
        help_text=_("Only when nodes carry codes."),
    )
    code_pattern = forms.CharField(
        max_length=200,
        required=False,
        label=_("Code pattern"),
        help_text=_(r"A regular expression, only for codes of a pattern, e.g. OC\d+."),
    )

    def clean_levels(self) -> list[str]:
        names = [line.strip() for line in self.cleaned_data["levels"].splitlines()]
        names = [name for name in names if name]
        level_names_validate(names)
        return names


class NodeRowForm(VersionedFormMixin, forms.Form):
    """A row of a framework's node list: a node to change or remove, or a new one."""

    order = forms.IntegerField(
        required=False,
        min_value=0,
        max_value=9999,
        widget=forms.NumberInput(attrs={"size": 3}),
        label=_("Order"),
    )
    level = forms.TypedChoiceField(coerce=int, choices=(), required=False, label=_("Level"))
    code = forms.CharField(max_length=30, required=False, label=_("Code"))
    title = forms.CharField(max_length=STATEMENT_MAX_LENGTH, required=False, label=_("Title"))
    status = forms.ChoiceField(
        choices=DefinitionStatus.choices,
        label=_("Definition"),
        initial=DefinitionStatus.DEFINED,
        required=False,
    )
    section = forms.CharField(max_length=120, required=False, label=_("Section"))

    def __init__(
        self, *args, framework: ResultsFramework, node: ResultsNode | None = None, **kwargs
    ):
        self.instance = node
        self.framework = framework
        if node is not None:
            kwargs.setdefault(
                "initial",
                {
                    "order": node.order or None,
                    "level": node.level,
                    "code": node.code,
                    "title": node.title,
                    "status": node.status,
                    "section": node.section,
                },
            )
        super().__init__(*args, **kwargs)
        if framework.is_hierarchical:
            del self.fields["level"]  # the code gives it
        else:
            self.fields["level"].choices = [("", "—"), *framework.level_choices]
        if not framework.uses_codes:
            del self.fields["code"]
        if node is not None:
            self.fields["remove"] = forms.BooleanField(required=False, label=_("Remove"))

    @property
    def is_blank(self) -> bool:
        """Return whether this is a new row left empty, which adds nothing."""
        data = self.cleaned_data
        return self.instance is None and not any(
            data.get(name) for name in ("level", "code", "title", "section")
        )

    def row(self) -> NodeRow:
        """Return the row as the service takes it."""
        data = self.cleaned_data
        return NodeRow(
            node=self.instance,
            version=self.started_from,
            remove=bool(data.get("remove")),
            level=data.get("level") or None,
            code=data.get("code") or "",
            title=data.get("title") or "",
            status=data.get("status") or DefinitionStatus.DEFINED,
            section=data.get("section") or "",
            order=data.get("order"),
        )


class NodeUpdateForm(VersionedFormMixin, forms.ModelForm):
    """Change a node's title and status, e.g. once the partner publishes it."""

    class Meta:
        model = ResultsNode
        fields = ["title", "status", "section"]
        labels = {"title": _("Title"), "status": _("Definition"), "section": _("Section")}
        widgets = {"title": SHORT_TEXTAREA}


class NodeLinkForm(forms.Form):
    """Map a node of any of the partner's frameworks to a priority area."""

    node = NodeChoiceField(queryset=ResultsNode.objects.none(), label=_("Node"))
    priority_area = forms.ModelChoiceField(
        queryset=PriorityArea.objects.none(), label=_("Priority area")
    )

    def __init__(self, *args, strategy: Strategy, nodes=None, **kwargs):
        super().__init__(*args, **kwargs)
        queryset = ResultsNode.objects.filter(
            framework__organisation_id=strategy.organisation_id
        ).select_related("framework")
        self.fields["node"].queryset = queryset
        # Grouped by framework, each node once; `nodes` (in list order) spares a query.
        groups: dict[ResultsFramework, list] = {}
        for node in (
            nodes
            if nodes is not None
            else queryset.order_by(
                "framework__order", "framework__name", "level", "order", "code", "key"
            )
        ):
            label = node_label(node, with_level=True)
            groups.setdefault(node.framework, []).append((node.pk, label))
        self.fields["node"].choices = [
            ("", "---------"),
            *((framework.name, choices) for framework, choices in groups.items()),
        ]
        self.fields["priority_area"].queryset = strategy.priority_areas.order_by("order", "number")


class BulkFiguresForm(EvidenceFilesMixin, VersionedFormMixin, forms.Form):
    """One indicator's row in the grid of a year: target, actual, narrative and evidence.

    The labels name the year and the indicator, so that a screen reader moving from field to
    field across the grid always hears which row it is in.
    """

    target = figure_field(pgettext_lazy("figure", "Target"))
    actual = figure_field(_("Actual"))
    comment = forms.CharField(
        label=_("Narrative"),
        required=False,
        max_length=TEXT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    # The order of a row in the grid, which is also its tab order.
    field_order = ["target", "actual", "comment", "files"]

    def __init__(
        self, *args, indicator: Indicator, progress: IndicatorProgress | None, year: int, **kwargs
    ):
        self.indicator = indicator
        # The version field compares against the record the row was opened from.
        self.instance = progress
        super().__init__(*args, **kwargs)
        if progress is not None:
            # Kept as numbers, so that "20" typed over a stored 20.0000 is no change.
            self.initial.update(
                target=progress.target, actual=progress.actual, comment=progress.comment
            )
        name = indicator_name(indicator)
        unit = f" ({indicator.unit})" if indicator.unit else ""
        names = {"year": year, "name": name}
        self.fields["target"].label = gettext("%(year)s target for %(name)s") % names + unit
        self.fields["actual"].label = gettext("%(year)s actual for %(name)s") % names + unit
        self.fields["comment"].label = gettext("%(year)s narrative for %(name)s") % names
        self.fields["files"].label = gettext("%(year)s evidence files for %(name)s") % names
        if indicator.is_percentage:
            self.fields["actual"].help_text = gettext("A percentage: from 0 to 100.")

    @property
    def started_from(self) -> str | None:
        if self.instance is None:
            return ""
        return self.cleaned_data.get("version") or ""


def indicator_name(indicator: Indicator) -> str:
    """Return an indicator's code and whole title as a label names it.

    A hidden label is all a screen reader says of its field: a title cut short would leave the
    field named by half a word.
    """
    title = indicator.title or gettext("indicator under development")
    return f"{indicator.code} {title}".strip()


# --- Set-up from the one-pager ----------------------------------------------------------------

ONEPAGER_TYPES = ".pdf,.docx"


def MillionField(**kwargs) -> MillionAmountField:  # noqa: N802 - a field, named as one
    """An optional amount typed in DKK million as the front page prints it, kept as exact DKK."""
    kwargs.setdefault("required", False)
    kwargs.setdefault("help_text", "")
    return MillionAmountField(**kwargs)


class OnePagerSourceForm(forms.Form):
    """The one-pager's text, pasted, or the strategy document uploaded as PDF or Word."""

    text = forms.CharField(
        label=_("The one-pager's text"),
        required=False,
        max_length=200_000,
        widget=forms.Textarea(attrs={"rows": 14}),
        help_text=_("Select the whole front page in the document, copy it and paste it here."),
    )
    file = forms.FileField(
        label=_("Or the strategy document"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ONEPAGER_TYPES}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        megabytes = evidence_max_bytes() // (1024 * 1024)
        self.fields["file"].help_text = gettext("PDF or Word (.docx), up to %(megabytes)s MB.") % {
            "megabytes": megabytes
        }

    def clean(self):
        data = super().clean()
        upload = data.get("file")
        if upload:
            try:
                data["text"] = onepager_upload_text(upload)
            except ValidationError as error:
                raise ValidationError({"file": error.error_list}) from error
        if not (data.get("text") or "").strip():
            raise ValidationError(
                _("Paste the one-pager's text or choose the strategy document."), code="no_text"
            )
        return data


class OnePagerForm(forms.Form):
    """The strategy as read from its one-pager, for the administrator to review and confirm."""

    organisation = forms.ModelChoiceField(
        queryset=Organisation.objects.none(),
        required=False,
        label=_("Partner"),
        help_text=_("A partner already known; otherwise give the new partner's name and acronym."),
    )
    new_organisation_name = forms.CharField(
        label=_("Or a new partner: name"), required=False, max_length=200
    )
    new_organisation_acronym = forms.CharField(
        label=_("New partner: acronym"), required=False, max_length=30
    )
    new_organisation_iati_identifier = forms.CharField(
        label=_("New partner: IATI organisation identifier"),
        required=False,
        max_length=60,
        validators=[validate_iati_identifier],
        help_text=_(
            'As the IATI organisation registry lists it, e.g. "XM-DAC-41121"; the IATI '
            "export names the partner by it."
        ),
    )
    title = forms.CharField(max_length=200, label=_("Title"))
    slug = forms.SlugField(
        label=_("Slug"), max_length=60, help_text=_("Its name in addresses, e.g. unhcr-2024-2027.")
    )
    is_draft = forms.BooleanField(label=_("The document is a draft"), required=False)
    start_year = forms.IntegerField(label=_("First year"), min_value=1900, max_value=2200)
    end_year = forms.IntegerField(label=_("Last year"), min_value=1900, max_value=2200)
    file_number = forms.CharField(label=_("File no."), required=False, max_length=40)
    responsible_unit = forms.CharField(required=False, max_length=200, label=_("Responsible unit"))
    finance_act_codes = forms.CharField(
        label=_("Finance Act codes"),
        required=False,
        widget=SHORT_TEXTAREA,
        help_text=_("One per line, as printed."),
    )
    desk_officer = forms.CharField(required=False, max_length=120, label=_("Desk officer"))
    financial_officer = forms.CharField(
        required=False, max_length=120, label=_("Financial officer")
    )
    stated_commitment_total = MillionField(label=_("Total commitment (DKK million, as printed)"))
    stated_disbursement_total = MillionField(
        label=_("Total projected disbursement (DKK million, as printed)")
    )
    key_results = forms.CharField(
        label=_("Key results"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("One per line; each becomes a numbered priority area, in this order."),
    )
    sdgs = forms.TypedMultipleChoiceField(
        label=_("Relevant SDGs"),
        choices=SDG.choices,
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    # The fields the reader did not find, carried from the reading to the confirmation.
    unrecognised = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = Organisation.objects.order_by("name")

    @property
    def unrecognised_fields(self) -> set[str]:
        value = self["unrecognised"].value() or ""
        return {name for name in value.split(",") if name}

    def clean_finance_act_codes(self) -> list[str]:
        codes = [line.strip() for line in self.cleaned_data["finance_act_codes"].splitlines()]
        codes = [code for code in codes if code]
        if len(", ".join(codes)) > 100:
            raise ValidationError(
                _("The codes run over 100 characters together."), code="codes_too_long"
            )
        return codes

    def clean_key_results(self) -> list[str]:
        return [
            line.strip() for line in self.cleaned_data["key_results"].splitlines() if line.strip()
        ]

    def clean(self):
        data = super().clean()
        if not data.get("organisation") and not (
            data.get("new_organisation_name") and data.get("new_organisation_acronym")
        ):
            raise ValidationError(
                _("Choose the partner, or give the name and acronym of a new one."),
                code="partner_required",
            )
        return data


class OnePagerYearForm(forms.Form):
    """One row of the front page's table: the year, its commitment and projected disbursement."""

    year = forms.IntegerField(min_value=1900, max_value=2200, widget=forms.HiddenInput)
    commitment = MillionField(label=_("Commitment (DKK million)"))
    disbursement = MillionField(label=_("Projected disbursement (DKK million)"))


OnePagerYearFormSet = forms.formset_factory(OnePagerYearForm, extra=0, max_num=10)
