"""The search page: what matches the user's words, kind by kind, across their strategies."""

from django.urls import path
from django.views.generic import TemplateView

from reports.forms import SearchForm
from reports.search import RESULTS_PER_KIND, search


class SearchView(TemplateView):
    """Show the records of the user's strategies whose titles and texts hold the words."""

    template_name = "reports/search.html"

    def get_context_data(self, **kwargs):
        form = SearchForm(self.request.GET or None)
        query = form.cleaned_data["q"] if form.is_valid() else ""
        results = search(user=self.request.user, query=query) if query else None
        return super().get_context_data(
            form=form, results=results, per_kind=RESULTS_PER_KIND, **kwargs
        )


urlpatterns = [
    path("search/", SearchView.as_view(), name="search"),
]
