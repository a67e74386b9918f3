"""The API's views: read-only lists and details, the OpenAPI schema and its documentation page."""

from django.contrib.auth.decorators import login_not_required, login_required
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework import viewsets
from rest_framework.response import Response

from api import filters, selectors, serializers
from engagement.selectors import milestones_fulfil
from strategy_monitor.middleware import PRIVATE_CACHE_CONTROL


class ApiViewMixin:
    """Count each request against the rates before asking for credentials; never cache answers.

    REST framework checks permissions before rates, so requests refused for want of
    credentials would never be counted; counting first holds anonymous callers to their rate.
    """

    def check_permissions(self, request):
        self.check_throttles(request)
        super().check_permissions(request)

    def check_throttles(self, request):
        if getattr(request, "_api_counted", False):
            return
        request._api_counted = True
        super().check_throttles(request)

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        # A token's user is not the session's, which the site's cache middleware looks at:
        # the strategy's data stays out of shared and browser caches all the same.
        response.headers.setdefault("Cache-Control", PRIVATE_CACHE_CONTROL)
        return response


class ReadOnlyViewSet(ApiViewMixin, viewsets.ReadOnlyModelViewSet):
    """List and read the records a user may see; every other method answers 405.

    A token's request has no session: the views answer for themselves, 401 without valid
    credentials, through REST framework's checks rather than the site's login page.
    """

    selector = None

    @classmethod
    def as_view(cls, *args, **kwargs):
        return login_not_required(super().as_view(*args, **kwargs))

    def get_queryset(self):
        return type(self).selector(user=self.request.user)


REFUSALS = {
    401: OpenApiResponse(
        description=_("No valid credentials: none, or a revoked or expired token.")
    ),
    429: OpenApiResponse(description=_("Over the request rate; `Retry-After` says when to retry.")),
}
NOT_FOUND = {404: OpenApiResponse(description=_("No such record among those you may see."))}


def _described(resource: str, detail: str, serializer):
    return extend_schema_view(
        list=extend_schema(
            summary=format_lazy(_("List {resource}"), resource=resource),
            description=detail,
            responses={200: serializer(many=True), **REFUSALS},
        ),
        retrieve=extend_schema(
            summary=format_lazy(_("Read one of the {resource}"), resource=resource),
            description=detail,
            responses={200: serializer, **REFUSALS, **NOT_FOUND},
        ),
    )


@_described(
    _("strategies"), _("The organisation strategies you may see."), serializers.StrategySerializer
)
class StrategyViewSet(ReadOnlyViewSet):
    selector = selectors.strategy_list
    serializer_class = serializers.StrategySerializer
    filterset_class = filters.StrategyFilterSet
    lookup_field = "slug"


@_described(
    _("strategy years"),
    _("Each year of a strategy's period and its state."),
    serializers.StrategyYearSerializer,
)
class StrategyYearViewSet(ReadOnlyViewSet):
    selector = selectors.strategyyear_list
    serializer_class = serializers.StrategyYearSerializer
    filterset_class = filters.StrategyYearFilterSet


@_described(
    _("priority areas"),
    _("Denmark's priority areas, with the framework nodes they follow."),
    serializers.PriorityAreaSerializer,
)
class PriorityAreaViewSet(ReadOnlyViewSet):
    selector = selectors.priorityarea_list
    serializer_class = serializers.PriorityAreaSerializer
    filterset_class = filters.PriorityAreaFilterSet


@_described(
    _("framework nodes"),
    _("Nodes of the partners' results frameworks, at every level each framework names."),
    serializers.ResultsNodeSerializer,
)
class ResultsNodeViewSet(ReadOnlyViewSet):
    selector = selectors.resultsnode_list
    serializer_class = serializers.ResultsNodeSerializer
    filterset_class = filters.ResultsNodeFilterSet


@_described(
    _("indicators"),
    _("Indicators with their baseline and their target and actual per year."),
    serializers.IndicatorSerializer,
)
class IndicatorViewSet(ReadOnlyViewSet):
    selector = selectors.indicator_list
    serializer_class = serializers.IndicatorSerializer
    filterset_class = filters.IndicatorFilterSet


@_described(
    _("assessments"),
    _("The rating and narrative of each priority area per year."),
    serializers.AssessmentSerializer,
)
class AssessmentViewSet(ReadOnlyViewSet):
    selector = selectors.assessment_list
    serializer_class = serializers.AssessmentSerializer
    filterset_class = filters.AssessmentFilterSet


@_described(
    _("budget lines"),
    _(
        "Budget lines with planned, approved, committed and disbursed money per year, in the "
        "line's currency as decimal strings, and the revisions of the planned amounts."
    ),
    serializers.BudgetLineSerializer,
)
class BudgetLineViewSet(ReadOnlyViewSet):
    selector = selectors.budgetline_list
    serializer_class = serializers.BudgetLineSerializer
    filterset_class = filters.BudgetLineFilterSet

    def list(self, request, *args, **kwargs):
        queryset = self.filter_queryset(self.get_queryset())
        page = list(self.paginate_queryset(queryset))
        data = self.get_serializer(page, many=True, context=self._money_context(page)).data
        return self.get_paginated_response(data)

    def retrieve(self, request, *args, **kwargs):
        line = self.get_object()
        data = self.get_serializer(line, context=self._money_context([line])).data
        return Response(data)

    def _money_context(self, lines) -> dict:
        return {**self.get_serializer_context(), "money": selectors.budgetline_money(lines=lines)}


@_described(
    _("risks"),
    _("The risk register with each risk's current rating and its re-ratings."),
    serializers.RiskSerializer,
)
class RiskViewSet(ReadOnlyViewSet):
    selector = selectors.risk_list
    serializer_class = serializers.RiskSerializer
    filterset_class = filters.RiskFilterSet


@_described(
    _("meetings"),
    _("Consultations, governing-body sessions and other meetings."),
    serializers.MeetingSerializer,
)
class MeetingViewSet(ReadOnlyViewSet):
    selector = selectors.meeting_list
    serializer_class = serializers.MeetingSerializer
    filterset_class = filters.MeetingFilterSet


@_described(
    _("action points"),
    _("What meetings left to do, with owner, due date and status."),
    serializers.ActionPointSerializer,
)
class ActionPointViewSet(ReadOnlyViewSet):
    selector = selectors.actionpoint_list
    serializer_class = serializers.ActionPointSerializer
    filterset_class = filters.ActionPointFilterSet


@_described(
    _("milestones"), _("The milestones of each strategy's rhythm."), serializers.MilestoneSerializer
)
class MilestoneViewSet(ReadOnlyViewSet):
    selector = selectors.milestone_list
    serializer_class = serializers.MilestoneSerializer
    filterset_class = filters.MilestoneFilterSet

    def paginate_queryset(self, queryset):
        # What fulfils each milestone of the page: one query per source of the kinds on it.
        page = super().paginate_queryset(queryset)
        return None if page is None else milestones_fulfil(page)

    def get_object(self):
        return milestones_fulfil([super().get_object()])[0]


class SchemaView(ApiViewMixin, SpectacularAPIView):
    """The OpenAPI 3 schema, as YAML or (`?format=json`) JSON, for a session or a token."""

    @classmethod
    def as_view(cls, *args, **kwargs):
        return login_not_required(super().as_view(*args, **kwargs))


class DocsView(ApiViewMixin, SpectacularSwaggerSplitView):
    """Swagger UI inside the site's page, its scripts loaded from our own static files.

    The split view serves its start-up script at this page's address with `?script`, so the
    page keeps to the site's policy of no inline script. Signing in is the site's login page.
    """

    template_name = "api/docs.html"
    url_name = "api:schema"

    @classmethod
    def as_view(cls, *args, **kwargs):
        # A page for people: without a session, the site's login page, as for every page.
        return login_required(super().as_view(*args, **kwargs))
