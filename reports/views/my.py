"""My tasks: the page every user lands on, with the queue of each role they hold."""

from django.urls import path
from django.utils import timezone
from django.views.generic import TemplateView

from reports.selectors import my_queue


class MyTasksView(TemplateView):
    """Show each role's work waiting for the user, then what is overdue and falls due soon.

    Every list is scoped by the selectors to the strategies on which the user holds the role,
    so the page needs no strategy of its own to check.
    """

    template_name = "reports/my_tasks.html"

    def get_context_data(self, **kwargs):
        queue = my_queue(user=self.request.user, today=timezone.localdate())
        return super().get_context_data(queue=queue, report=queue.due, **kwargs)


urlpatterns = [
    path("my/", MyTasksView.as_view(), name="my_tasks"),
]
