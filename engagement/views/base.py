"""What the engagement pages share: the team's right to write, and the lists."""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _
from django_filters.views import FilterView
from django_tables2 import SingleTableMixin

from engagement import permissions
from priorities.views import StrategyMixin
from strategy_monitor.exports import SafeExportMixin
from strategy_monitor.lists import ForgivingListMixin


class TeamWriteMixin(StrategyMixin):
    """Let only the strategy's team change its engagement records; others get 403."""

    def may_write(self) -> bool:
        return permissions.strategy_can_log_meetings(self.request.user, self.strategy)

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not self.may_write():
            raise PermissionDenied(_("Only the strategy's team may change its meetings."))
        return super().dispatch(request, *args, **kwargs)


class EngagementListMixin(
    StrategyMixin, ForgivingListMixin, SafeExportMixin, SingleTableMixin, FilterView
):
    """A filtered, paginated, exportable list of one strategy's records."""

    table_pagination = {"per_page": 25}

    def get_filterset_kwargs(self, filterset_class):
        return {**super().get_filterset_kwargs(filterset_class), "strategy": self.strategy}

    def get_export_filename(self, export_format):
        return f"{self.strategy.slug}-{self.export_name}.{export_format}"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["has_illustrative"] = any(
            row.record.is_illustrative for row in context["table"].page.object_list
        )
        return context
