"""What is due: the user's overdue items and those due in the next 60 days."""

from django.utils import timezone
from django.views.generic import TemplateView

from engagement.selectors import my_tasks


class MyTasksView(TemplateView):
    """Show the user what is overdue and what falls due in the next 60 days."""

    template_name = "engagement/my_tasks.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            report=my_tasks(user=self.request.user, today=timezone.localdate()), **kwargs
        )
