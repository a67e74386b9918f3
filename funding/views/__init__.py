"""Pages for the money side of a strategy: the budget, the records, the rounds, the annex tables."""

from .allocations import (
    AllocationCreateView,
    AllocationDecideView,
    AllocationDetailView,
    AllocationQuerysetMixin,
    AllocationRoundCreateView,
    AllocationRoundDetailView,
    AllocationRoundUpdateView,
    AllocationUpdateView,
    RoundQuerysetMixin,
)
from .approvals import (
    ApprovalDeleteView,
    ApprovalDetailView,
    ApprovalQuerysetMixin,
    ApprovalUpdateView,
    ApprovalYearCreateView,
)
from .base import (
    CHECKS,
    REFUSALS,
    FundingMixin,
    RecordDeleteView,
    RecordDetailMixin,
)
from .budget import (
    AllocationRoundListView,
    BudgetView,
    CommitmentListView,
    DisbursementListView,
    FundingListView,
    ParliamentaryApprovalListView,
)
from .records import (
    CommitmentCreateView,
    CommitmentDeleteView,
    CommitmentDetailView,
    CommitmentQuerysetMixin,
    CommitmentUpdateView,
    DisbursementCreateView,
    DisbursementDeleteView,
    DisbursementDetailView,
    DisbursementQuerysetMixin,
    DisbursementUpdateView,
    LineYearFormMixin,
)
from .reference import DonorTableListView
from .revisions import PlannedAmountReviseView
from .setup import BudgetSetupView

__all__ = [
    "PlannedAmountReviseView",
    "AllocationCreateView",
    "AllocationDecideView",
    "AllocationDetailView",
    "AllocationQuerysetMixin",
    "AllocationRoundCreateView",
    "AllocationRoundDetailView",
    "AllocationRoundListView",
    "AllocationRoundUpdateView",
    "AllocationUpdateView",
    "ApprovalDeleteView",
    "ApprovalDetailView",
    "ApprovalQuerysetMixin",
    "ApprovalUpdateView",
    "ApprovalYearCreateView",
    "BudgetSetupView",
    "BudgetView",
    "CHECKS",
    "CommitmentCreateView",
    "CommitmentDeleteView",
    "CommitmentDetailView",
    "CommitmentListView",
    "CommitmentQuerysetMixin",
    "CommitmentUpdateView",
    "DisbursementCreateView",
    "DisbursementDeleteView",
    "DisbursementDetailView",
    "DisbursementListView",
    "DisbursementQuerysetMixin",
    "DisbursementUpdateView",
    "DonorTableListView",
    "FundingListView",
    "FundingMixin",
    "LineYearFormMixin",
    "ParliamentaryApprovalListView",
    "REFUSALS",
    "RecordDeleteView",
    "RecordDetailMixin",
    "RoundQuerysetMixin",
]
