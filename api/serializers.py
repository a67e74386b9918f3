"""How each resource reads in JSON.

Money and indicator figures are decimal strings ("48000000.00"), exact where a float would not
be; counts and years are numbers. `illustrative` says whether a record is illustrative demo
data rather than a recorded fact; records the application never generates say false.
"""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from engagement.models import ActionPoint, KeyMessage, Meeting, Milestone
from engagement.permissions import strategy_can_read_key_messages_anywhere
from funding.models import BudgetLine
from priorities.models import (
    Assessment,
    Indicator,
    IndicatorProgress,
    PriorityArea,
    ResultsNode,
    Strategy,
    StrategyYear,
)
from risks.models import Risk, RiskRating
from strategy_monitor.formats import person_name

ILLUSTRATIVE_HELP = _("Illustrative demo data, not a recorded fact.")
MONEY = {"max_digits": 18, "decimal_places": 2, "coerce_to_string": True, "read_only": True}


class NeverIllustrativeField(serializers.BooleanField):
    """Say false for records of a kind that demo data never generates (document facts)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("read_only", True)
        kwargs.setdefault(
            "help_text", _("Always false: records of this kind come from the strategy's set-up.")
        )
        super().__init__(**kwargs)

    def get_attribute(self, instance) -> bool:
        return False

    def to_representation(self, value) -> bool:
        return False


@extend_schema_field({"type": "string", "nullable": True})
class PersonField(serializers.Field):
    """A user as their full name, or null."""

    def __init__(self, **kwargs):
        kwargs.setdefault("read_only", True)
        super().__init__(**kwargs)

    def to_representation(self, value) -> str | None:
        return person_name(value) or None


class StrategySerializer(serializers.ModelSerializer):
    organisation = serializers.CharField(source="organisation.name", read_only=True)
    organisation_acronym = serializers.CharField(source="organisation.acronym", read_only=True)
    illustrative = NeverIllustrativeField()

    class Meta:
        model = Strategy
        fields = [
            "id",
            "slug",
            "title",
            "organisation",
            "organisation_acronym",
            "is_draft",
            "start_year",
            "end_year",
            "file_number",
            "responsible_unit",
            "finance_act_code",
            "desk_officer",
            "financial_officer",
            "stated_commitment_total",
            "stated_disbursement_total",
            "overall_objective",
            "mid_term_review_year",
            "mid_term_review_half",
            "illustrative",
            "created_at",
            "updated_at",
        ]


class StrategyYearSerializer(serializers.ModelSerializer):
    strategy = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    state_changed_by = PersonField()
    illustrative = NeverIllustrativeField(
        help_text=_(
            "Always false: a year comes from the strategy's period. Its state carries no flag "
            "of its own; a state set by the demo data says so in `state_comment`."
        )
    )

    class Meta:
        model = StrategyYear
        fields = [
            "id",
            "strategy",
            "year",
            "planned_commitment",
            "planned_disbursement",
            "state",
            "state_changed_at",
            "state_changed_by",
            "state_comment",
            "illustrative",
            "created_at",
            "updated_at",
        ]


class PriorityAreaSerializer(serializers.ModelSerializer):
    strategy = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    nodes = serializers.PrimaryKeyRelatedField(many=True, read_only=True)
    illustrative = NeverIllustrativeField()

    class Meta:
        model = PriorityArea
        fields = [
            "id",
            "strategy",
            "kind",
            "number",
            "slug",
            "title",
            "key_result",
            "text",
            "framework_under_development",
            "indicators_under_development",
            "order",
            "nodes",
            "illustrative",
            "created_at",
            "updated_at",
        ]


class ResultsNodeSerializer(serializers.ModelSerializer):
    framework = serializers.CharField(source="framework.name", read_only=True)
    organisation = serializers.CharField(source="framework.organisation.name", read_only=True)
    level_name = serializers.CharField(
        read_only=True, help_text=_("The name the framework gives the node's level.")
    )
    illustrative = NeverIllustrativeField()

    class Meta:
        model = ResultsNode
        fields = [
            "id",
            "framework",
            "organisation",
            "key",
            "code",
            "level",
            "level_name",
            "parent",
            "title",
            "status",
            "is_implied",
            "section",
            "illustrative",
            "created_at",
            "updated_at",
        ]


class IndicatorFigureSerializer(serializers.ModelSerializer):
    year = serializers.IntegerField(source="strategy_year.year", read_only=True)
    illustrative = serializers.BooleanField(
        source="is_illustrative", read_only=True, help_text=ILLUSTRATIVE_HELP
    )

    class Meta:
        model = IndicatorProgress
        fields = ["year", "target", "actual", "comment", "illustrative", "updated_at"]


class IndicatorSerializer(serializers.ModelSerializer):
    strategy = serializers.SlugRelatedField(
        source="priority_area.strategy", slug_field="slug", read_only=True
    )
    figures = IndicatorFigureSerializer(
        source="progress", many=True, read_only=True, help_text=_("Target and actual per year.")
    )
    illustrative = serializers.BooleanField(
        source="is_illustrative", read_only=True, help_text=ILLUSTRATIVE_HELP
    )

    class Meta:
        model = Indicator
        fields = [
            "id",
            "strategy",
            "priority_area",
            "node",
            "key",
            "code",
            "title",
            "unit",
            "direction",
            "status",
            "baseline",
            "baseline_year",
            "figures",
            "illustrative",
            "created_at",
            "updated_at",
        ]


class AssessmentSerializer(serializers.ModelSerializer):
    strategy = serializers.SlugRelatedField(
        source="priority_area.strategy", slug_field="slug", read_only=True
    )
    year = serializers.IntegerField(source="strategy_year.year", read_only=True)
    illustrative = serializers.BooleanField(
        source="is_illustrative", read_only=True, help_text=ILLUSTRATIVE_HELP
    )

    class Meta:
        model = Assessment
        fields = [
            "id",
            "strategy",
            "priority_area",
            "year",
            "rating",
            "narrative",
            "illustrative",
            "created_at",
            "updated_at",
        ]


class BudgetYearSerializer(serializers.Serializer):
    """One year of a budget line, summed as the budget page sums it."""

    year = serializers.IntegerField(read_only=True)
    planned = serializers.DecimalField(**MONEY, allow_null=True)
    approved = serializers.DecimalField(
        **MONEY, allow_null=True, help_text=_("Approved by parliament; null before the approval.")
    )
    approved_on = serializers.DateField(read_only=True, allow_null=True)
    committed = serializers.DecimalField(**MONEY)
    disbursed = serializers.DecimalField(**MONEY)
    commitment_count = serializers.IntegerField(read_only=True)
    disbursement_count = serializers.IntegerField(read_only=True)
    illustrative = serializers.BooleanField(
        source="is_illustrative",
        read_only=True,
        help_text=_("Any of the year's approval, commitments or disbursements is illustrative."),
    )
    approved_is_illustrative = serializers.BooleanField(read_only=True)
    committed_is_illustrative = serializers.BooleanField(read_only=True)
    disbursed_is_illustrative = serializers.BooleanField(read_only=True)


class BudgetRevisionSerializer(serializers.Serializer):
    """A recorded revision of a planned amount: the figure it replaced, the new one, and why."""

    year = serializers.IntegerField(source="planned_amount__year", read_only=True)
    previous_amount = serializers.DecimalField(
        **MONEY, help_text=_("The planned amount before the revision.")
    )
    amount = serializers.DecimalField(**MONEY, help_text=_("The planned amount the revision sets."))
    revised_on = serializers.DateField(
        read_only=True, help_text=_("The date of the document that states the new figure.")
    )
    source = serializers.CharField(
        read_only=True, help_text=_('Where the new figure is stated, e.g. "final one-pager".')
    )
    reason = serializers.CharField(read_only=True)


class BudgetLineSerializer(serializers.ModelSerializer):
    strategy = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    finance_act_code = serializers.SlugRelatedField(
        slug_field="code", read_only=True, help_text=_("As printed, e.g. 06.32.10.14.")
    )
    years = serializers.SerializerMethodField()
    total = serializers.SerializerMethodField()
    revisions = serializers.SerializerMethodField()
    illustrative = NeverIllustrativeField(
        help_text=_(
            "Always false: a budget line comes from the strategy document; "
            "each year says whether its figures are illustrative."
        )
    )

    class Meta:
        model = BudgetLine
        fields = [
            "id",
            "strategy",
            "code",
            "name",
            "kind",
            "finance_act_code",
            "currency",
            "order",
            "years",
            "total",
            "revisions",
            "illustrative",
            "created_at",
            "updated_at",
        ]

    def _money(self, line: BudgetLine):
        return self.context["money"][line.pk]

    @extend_schema_field(BudgetYearSerializer(many=True))
    def get_years(self, line: BudgetLine) -> list:
        return BudgetYearSerializer(self._money(line).years, many=True).data

    @extend_schema_field(BudgetYearSerializer)
    def get_total(self, line: BudgetLine) -> dict:
        return BudgetYearSerializer(self._money(line).total).data

    @extend_schema_field(BudgetRevisionSerializer(many=True))
    def get_revisions(self, line: BudgetLine) -> list:
        return BudgetRevisionSerializer(self._money(line).revisions, many=True).data


class RiskRatingSerializer(serializers.ModelSerializer):
    rated_by = PersonField()
    illustrative = serializers.BooleanField(
        source="is_illustrative", read_only=True, help_text=ILLUSTRATIVE_HELP
    )

    class Meta:
        model = RiskRating
        fields = [
            "id",
            "rated_on",
            "rated_by",
            "likelihood",
            "impact",
            "score",
            "residual_likelihood",
            "residual_impact",
            "residual_score",
            "note",
            "illustrative",
            "updated_at",
        ]


class RiskSerializer(serializers.ModelSerializer):
    strategy = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    owner = PersonField()
    ratings = RiskRatingSerializer(many=True, read_only=True, help_text=_("Latest first."))
    priority_areas = serializers.PrimaryKeyRelatedField(many=True, read_only=True)
    illustrative = serializers.BooleanField(
        source="rating_is_illustrative",
        read_only=True,
        help_text=_("The current rating is illustrative; the risk's text is the document's."),
    )

    class Meta:
        model = Risk
        fields = [
            "id",
            "strategy",
            "key",
            "title",
            "category",
            "description",
            "response",
            "status",
            "owner",
            "next_review",
            "likelihood",
            "impact",
            "score",
            "residual_likelihood",
            "residual_impact",
            "residual_score",
            "priority_areas",
            "ratings",
            "illustrative",
            "created_at",
            "updated_at",
        ]


class KeyMessageSerializer(serializers.ModelSerializer):
    raised = serializers.BooleanField(
        read_only=True,
        allow_null=True,
        help_text=_("Whether Denmark raised the point; null until recorded after the meeting."),
    )

    class Meta:
        model = KeyMessage
        fields = ["id", "text", "priority_area", "order", "raised", "answer", "action_point"]
        read_only_fields = fields


class MeetingSerializer(serializers.ModelSerializer):
    strategy = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    governing_body = serializers.CharField(
        source="body.name",
        default=None,
        read_only=True,
        help_text=_("For a governing body session: the name of the partner's body."),
    )
    priority_areas = serializers.PrimaryKeyRelatedField(many=True, read_only=True)
    illustrative = serializers.BooleanField(
        source="is_illustrative", read_only=True, help_text=ILLUSTRATIVE_HELP
    )
    key_messages = KeyMessageSerializer(
        many=True,
        read_only=True,
        allow_null=True,
        help_text=_(
            "Denmark's key messages for the meeting, and what came of them. Internal: given "
            "only to the strategy's team and administrators, null for everyone else."
        ),
    )

    class Meta:
        model = Meeting
        fields = [
            "id",
            "strategy",
            "kind",
            "governing_body",
            "title",
            "held_on",
            "location",
            "summary",
            "priority_areas",
            "key_messages",
            "illustrative",
            "created_at",
            "updated_at",
        ]

    def to_representation(self, instance):
        """Withhold the key messages from anyone but the strategy's team and administrators."""
        data = super().to_representation(instance)
        user = getattr(self.context.get("request"), "user", None)
        if user is None or not strategy_can_read_key_messages_anywhere(user, instance.strategy):
            data["key_messages"] = None
        return data


class ActionPointSerializer(serializers.ModelSerializer):
    strategy = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    owner = PersonField()
    illustrative = serializers.BooleanField(
        source="is_illustrative", read_only=True, help_text=ILLUSTRATIVE_HELP
    )

    class Meta:
        model = ActionPoint
        fields = [
            "id",
            "strategy",
            "meeting",
            "priority_area",
            "text",
            "owner",
            "due_on",
            "status",
            "closing_note",
            "illustrative",
            "created_at",
            "updated_at",
        ]


class FulfilmentSerializer(serializers.Serializer):
    """The record that fulfils a milestone: what was recorded, when, and its page."""

    label = serializers.CharField(help_text="What was recorded, e.g. “Year approved”.")
    done_on = serializers.DateField(help_text="When: the day of the record.")
    url = serializers.SerializerMethodField(help_text="The record's page.")

    def get_url(self, fulfilment) -> str:
        request = self.context.get("request")
        return request.build_absolute_uri(fulfilment.url) if request else fulfilment.url


class MilestoneSerializer(serializers.ModelSerializer):
    """A milestone with its state, read from the record that fulfils it as well as `done_on`.

    The view sets each milestone's `fulfilment` (`engagement.selectors.milestones_fulfil`).
    """

    strategy = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    governing_body = serializers.CharField(
        source="body.name",
        default=None,
        read_only=True,
        help_text=_("For a governing body session: the name of the partner's body."),
    )
    owner = PersonField()
    state = serializers.SerializerMethodField(
        help_text="done (its record exists, or it was closed by hand on `done_on`), overdue "
        "or open."
    )
    fulfilled_by = FulfilmentSerializer(
        source="fulfilment",
        read_only=True,
        allow_null=True,
        help_text="The record that fulfils it, e.g. the year's approval; null for none.",
    )
    illustrative = serializers.BooleanField(
        source="is_illustrative", read_only=True, help_text=ILLUSTRATIVE_HELP
    )

    @extend_schema_field({"type": "string", "enum": ["open", "overdue", "done"]})
    def get_state(self, milestone: Milestone) -> str:
        if milestone.is_done:
            return "done"
        return "overdue" if milestone.is_overdue(timezone.localdate()) else "open"

    class Meta:
        model = Milestone
        fields = [
            "id",
            "strategy",
            "kind",
            "governing_body",
            "title",
            "due_on",
            "owner",
            "state",
            "done_on",
            "fulfilled_by",
            "date_confirmed",
            "note",
            "illustrative",
            "created_at",
            "updated_at",
        ]
