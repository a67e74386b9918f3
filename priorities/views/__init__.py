"""Pages for strategies: list, overview, areas, progress, workflow, change log and set-up."""

from ._common import (
    ApproveRequiredMixin,
    AreaMixin,
    LogProgressRequiredMixin,
    SetUpRequiredMixin,
    YearMixin,
    area_url,
)
from .areas import (
    IndicatorCreateView,
    IndicatorMixin,
    IndicatorUpdateView,
    PriorityAreaDetailView,
    PriorityAreaListView,
)
from .framework import FrameworkSetupView, NodeUpdateView
from .onepager import StrategyFromOnePagerView
from .progress import (
    AssessmentEditView,
    BulkFiguresView,
    EvidenceDeleteView,
    EvidenceDownloadView,
    EvidenceMixin,
    ProgressEditView,
    indicator_short,
    year_closed_message,
)
from .setup import (
    FormsetSetupView,
    PriorityAreaSetupView,
    SetUpMixin,
    StrategyCreateView,
    StrategyUpdateView,
    StrategyYearSetupView,
    TeamSetupView,
)
from .strategy import StrategyDetailView, StrategyListView, StrategyMixin
from .workflow import (
    REVIEW_DECISIONS,
    YEAR_ACTIONS,
    ReviewDecision,
    YearAction,
    YearActionView,
    YearReviewView,
)

__all__ = (
    "REVIEW_DECISIONS",
    "YEAR_ACTIONS",
    "ApproveRequiredMixin",
    "AreaMixin",
    "AssessmentEditView",
    "BulkFiguresView",
    "EvidenceDeleteView",
    "EvidenceDownloadView",
    "EvidenceMixin",
    "FormsetSetupView",
    "FrameworkSetupView",
    "IndicatorCreateView",
    "IndicatorMixin",
    "IndicatorUpdateView",
    "LogProgressRequiredMixin",
    "NodeUpdateView",
    "PriorityAreaDetailView",
    "PriorityAreaListView",
    "PriorityAreaSetupView",
    "ProgressEditView",
    "SetUpMixin",
    "SetUpRequiredMixin",
    "StrategyCreateView",
    "StrategyDetailView",
    "StrategyFromOnePagerView",
    "StrategyListView",
    "StrategyMixin",
    "StrategyUpdateView",
    "StrategyYearSetupView",
    "TeamSetupView",
    "YearAction",
    "ReviewDecision",
    "YearActionView",
    "YearReviewView",
    "YearMixin",
    "area_url",
    "indicator_short",
    "year_closed_message",
)
