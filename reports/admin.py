"""Admin pages for issued briefs: shown with their history, never added, changed or deleted.

An issued brief is a record of what was sent. Briefs are issued on the strategy's pages; an
administrator withdraws one on its withdrawal page, which asks for the reason, and the admin
links to it from each brief that is still in force.
"""

from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html

from reports.models import IssuedBrief
from strategy_monitor.admin import MonitoredAdmin


@admin.register(IssuedBrief)
class IssuedBriefAdmin(MonitoredAdmin):
    list_display = [
        "reference",
        "strategy",
        "year",
        "meeting",
        "issued_by",
        "issued_at",
        "withdrawn_at",
        "withdrawal",
    ]
    list_filter = ["strategy", "year"]
    list_select_related = ["strategy", "meeting", "issued_by"]
    search_fields = ["reference", "sha256"]
    date_hierarchy = "issued_at"
    ordering = ["-issued_at", "-id"]
    actions = None

    @admin.display(description="Withdrawal")
    def withdrawal(self, obj: IssuedBrief) -> str:
        """Link a brief in force to its withdrawal page, which asks for the reason."""
        if obj.is_withdrawn:
            return format_html("Withdrawn: {}", obj.withdrawal_reason)
        url = reverse(
            "reports:issuedbrief_withdraw", kwargs={"slug": obj.strategy.slug, "pk": obj.pk}
        )
        return format_html('<a href="{}">Withdraw…</a>', url)
