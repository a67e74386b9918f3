"""Admin pages for issued briefs and for the jobs that run long exports and imports.

Issued briefs are shown with their history, never added, changed or deleted.
An issued brief is a record of what was sent. Briefs are issued on the strategy's pages; an
administrator withdraws one on its withdrawal page, which asks for the reason, and the admin
links to it from each brief that is still in force.

Jobs are shown so that an administrator can see what ran, for whom, and why one failed; they
expire after a day (`prune_jobs`). The task queue's own rows (django-tasks' DBTaskResult) are
left out of the admin: each is the engine of one job, which says all a person needs, and its
admin page can only name a task under the database backend.
"""

from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html
from django_tasks_db.models import DBTaskResult

from reports.models import IssuedBrief, Job
from strategy_monitor.admin import MonitoredAdmin
from strategy_monitor.files import stored_file_delete_on_commit


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


@admin.register(Job)
class JobAdmin(admin.ModelAdmin):
    """Jobs as they ran, read-only: started on the application's pages, pruned after a day.

    An administrator may delete one before then, with its file.
    """

    list_display = ["title", "kind", "user", "state", "percent", "created_at", "finished_at"]
    list_filter = ["kind", "state"]
    list_select_related = ["user"]
    search_fields = ["title", "user__username", "strategy_slug"]
    ordering = ["-created_at"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def delete_model(self, request, obj) -> None:
        name = obj.file.name
        super().delete_model(request, obj)
        stored_file_delete_on_commit(storage=obj.file.storage, name=name)

    def delete_queryset(self, request, queryset) -> None:
        files = [(job.file.storage, job.file.name) for job in queryset if job.file]
        super().delete_queryset(request, queryset)
        for storage, name in files:
            stored_file_delete_on_commit(storage=storage, name=name)


if admin.site.is_registered(DBTaskResult):
    admin.site.unregister(DBTaskResult)
