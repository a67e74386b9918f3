"""Admin pages for issued briefs, for the jobs that run long exports and imports, and for
handing a leaver's work over.

Issued briefs are shown with their history, never added, changed or deleted.
An issued brief is a record of what was sent. Briefs are issued on the strategy's pages; an
administrator withdraws one on its withdrawal page, which asks for the reason, and the admin
links to it from each brief that is still in force.

Jobs are shown so that an administrator can see what ran, for whom, and why one failed; they
expire after a day (`prune_jobs`). The task queue's own rows (django-tasks' DBTaskResult) are
left out of the admin: each is the engine of one job, which says all a person needs, and its
admin page can only name a task under the database backend.
"""

from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django_tasks_db.models import DBTaskResult

from reports.forms import HandoverForm
from reports.handover import handover_plan, handover_summary, work_hand_over
from reports.models import IssuedBrief, Job
from strategy_monitor.admin import MonitoredAdmin, UserAdmin
from strategy_monitor.files import stored_file_delete_on_commit
from strategy_monitor.formats import person_name


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


class HandoverUserAdmin(UserAdmin):
    """The user admin, with a page that hands a leaver's work to a successor.

    It stands here rather than beside the user admin because the handover writes to records
    of every app, which only reports may reach.
    """

    def get_urls(self):
        return [
            path(
                "<path:object_id>/handover/",
                self.admin_site.admin_view(self.handover_view),
                name="auth_user_handover",
            ),
            *super().get_urls(),
        ]

    def handover_view(self, request, object_id):
        """Choose a successor, confirm what moves, then move it and deactivate the leaver."""
        leaver = self.get_object(request, unquote(object_id))
        if leaver is None:
            raise Http404("No such user.")
        if not self.has_change_permission(request, leaver):
            raise PermissionDenied
        change_url = reverse("admin:auth_user_change", args=[leaver.pk])
        form = HandoverForm(request.POST or None, leaver=leaver)
        confirming = False
        if request.method == "POST" and form.is_valid():
            successor = form.cleaned_data["successor"]
            if request.POST.get("confirm") == "yes":
                try:
                    result = work_hand_over(leaver=leaver, successor=successor, user=request.user)
                except ValidationError as error:
                    for message in error.messages:
                        self.message_user(request, message, messages.ERROR)
                else:
                    summary = handover_summary(result, successor=successor)
                    self.log_change(request, leaver, f"{summary}; account deactivated.")
                    self.message_user(
                        request,
                        f"{summary}. {person_name(leaver)}'s account is deactivated.",
                        messages.SUCCESS,
                    )
                    return HttpResponseRedirect(change_url)
            confirming = True
        successor = form.cleaned_data["successor"] if confirming else None
        return TemplateResponse(
            request,
            "admin/auth/user/handover.html",
            {
                **self.admin_site.each_context(request),
                "title": f"Hand over {person_name(leaver)}'s work",
                "opts": self.opts,
                "original": leaver,
                "leaver": leaver,
                "successor": successor,
                "form": form,
                "confirming": confirming,
                "plan": handover_plan(leaver=leaver, successor=successor),
                "change_url": change_url,
            },
        )


admin.site.unregister(get_user_model())
admin.site.register(get_user_model(), HandoverUserAdmin)
