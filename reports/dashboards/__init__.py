"""Dashboards for managers: the portfolio of strategies and the dashboard of one strategy."""

from .budget import AllocationRegions, BudgetExecution, LineMoney, RegionMoney
from .donors import (
    INCOME_SHARE_MARK,
    INCOME_SHARE_PREFIX,
    UNEARMARKED_SHARE_PREFIX,
    DonorStanding,
    IncomeShare,
)
from .figures import (
    FIGURE_CACHE_SECONDS,
    FIGURE_CACHE_VERSION,
    figures_cached,
    portfolio_figures,
    strategy_figures,
)
from .indicators import IndicatorPoint, IndicatorProgressReport, IndicatorRow, achievement
from .portfolio import (
    HUNDRED,
    ONE_DECIMAL,
    STRATEGIES_PER_PAGE,
    Portfolio,
    PortfolioChoices,
    StrategyCard,
    portfolio_build,
    portfolio_choices,
)
from .shared import (
    BANDS,
    LIST_LIMIT,
    BandCount,
    DueRef,
    RatingCell,
    RatingMatrix,
    RatingRow,
    RiskSummary,
)
from .strategy import StrategyDashboard, strategy_dashboard_build

__all__ = [
    "AllocationRegions",
    "BANDS",
    "BandCount",
    "BudgetExecution",
    "DonorStanding",
    "DueRef",
    "FIGURE_CACHE_SECONDS",
    "FIGURE_CACHE_VERSION",
    "HUNDRED",
    "INCOME_SHARE_MARK",
    "INCOME_SHARE_PREFIX",
    "IncomeShare",
    "IndicatorPoint",
    "IndicatorProgressReport",
    "IndicatorRow",
    "LIST_LIMIT",
    "LineMoney",
    "ONE_DECIMAL",
    "Portfolio",
    "PortfolioChoices",
    "RatingCell",
    "RatingMatrix",
    "RatingRow",
    "RegionMoney",
    "RiskSummary",
    "STRATEGIES_PER_PAGE",
    "StrategyCard",
    "StrategyDashboard",
    "UNEARMARKED_SHARE_PREFIX",
    "achievement",
    "figures_cached",
    "portfolio_build",
    "portfolio_choices",
    "portfolio_figures",
    "strategy_dashboard_build",
    "strategy_figures",
]
