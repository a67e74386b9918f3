from django.urls import path

from funding import views

app_name = "funding"

BASE = "strategies/<slug:slug>/funding/"

urlpatterns = [
    # Among the strategy's set-up pages, whose tabs it shares.
    path(
        "strategies/<slug:slug>/setup/budget/",
        views.BudgetSetupView.as_view(),
        name="budget_setup",
    ),
    path(BASE, views.BudgetView.as_view(), name="budget"),
    path(
        BASE + "planned-amounts/<int:pk>/revise/",
        views.PlannedAmountReviseView.as_view(),
        name="plannedamount_revise",
    ),
    path(
        BASE + "approvals/",
        views.ParliamentaryApprovalListView.as_view(),
        name="parliamentaryapproval_list",
    ),
    path(
        BASE + "approvals/new/",
        views.ApprovalYearCreateView.as_view(),
        name="parliamentaryapproval_create",
    ),
    path(
        BASE + "approvals/<int:pk>/",
        views.ApprovalDetailView.as_view(),
        name="parliamentaryapproval_detail",
    ),
    path(
        BASE + "approvals/<int:pk>/edit/",
        views.ApprovalUpdateView.as_view(),
        name="parliamentaryapproval_update",
    ),
    path(
        BASE + "approvals/<int:pk>/delete/",
        views.ApprovalDeleteView.as_view(),
        name="parliamentaryapproval_delete",
    ),
    path(BASE + "commitments/", views.CommitmentListView.as_view(), name="commitment_list"),
    path(BASE + "commitments/new/", views.CommitmentCreateView.as_view(), name="commitment_create"),
    path(
        BASE + "commitments/<int:pk>/",
        views.CommitmentDetailView.as_view(),
        name="commitment_detail",
    ),
    path(
        BASE + "commitments/<int:pk>/edit/",
        views.CommitmentUpdateView.as_view(),
        name="commitment_update",
    ),
    path(
        BASE + "commitments/<int:pk>/delete/",
        views.CommitmentDeleteView.as_view(),
        name="commitment_delete",
    ),
    path(BASE + "disbursements/", views.DisbursementListView.as_view(), name="disbursement_list"),
    path(
        BASE + "disbursements/new/",
        views.DisbursementCreateView.as_view(),
        name="disbursement_create",
    ),
    path(
        BASE + "disbursements/<int:pk>/",
        views.DisbursementDetailView.as_view(),
        name="disbursement_detail",
    ),
    path(
        BASE + "disbursements/<int:pk>/edit/",
        views.DisbursementUpdateView.as_view(),
        name="disbursement_update",
    ),
    path(
        BASE + "disbursements/<int:pk>/delete/",
        views.DisbursementDeleteView.as_view(),
        name="disbursement_delete",
    ),
    path(
        BASE + "allocation-rounds/",
        views.AllocationRoundListView.as_view(),
        name="allocationround_list",
    ),
    path(
        BASE + "allocation-rounds/new/",
        views.AllocationRoundCreateView.as_view(),
        name="allocationround_create",
    ),
    path(
        BASE + "allocation-rounds/<int:pk>/",
        views.AllocationRoundDetailView.as_view(),
        name="allocationround_detail",
    ),
    path(
        BASE + "allocation-rounds/<int:pk>/edit/",
        views.AllocationRoundUpdateView.as_view(),
        name="allocationround_update",
    ),
    path(
        BASE + "allocation-rounds/<int:pk>/allocations/new/",
        views.AllocationCreateView.as_view(),
        name="allocation_create",
    ),
    path(
        BASE + "allocations/<int:pk>/",
        views.AllocationDetailView.as_view(),
        name="allocation_detail",
    ),
    path(
        BASE + "allocations/<int:pk>/edit/",
        views.AllocationUpdateView.as_view(),
        name="allocation_update",
    ),
    path(
        BASE + "allocations/<int:pk>/decide/",
        views.AllocationDecideView.as_view(),
        name="allocation_decide",
    ),
    path(BASE + "reference/", views.DonorTableListView.as_view(), name="donortable_list"),
]
