from django.urls import include, path

from reports.views import dashboards, exports, history, issued, jobs, my, search

# The start page keeps its plain name "home", which the site's frame and error pages link to;
# the other pages of reports are named within the "reports" namespace.
urlpatterns = [
    path("", dashboards.PortfolioView.as_view(), name="home"),
    path(
        "",
        include(
            (
                [
                    *dashboards.urlpatterns,
                    *exports.urlpatterns,
                    *history.urlpatterns,
                    *issued.urlpatterns,
                    *jobs.urlpatterns,
                    *my.urlpatterns,
                    *search.urlpatterns,
                ],
                "reports",
            )
        ),
    ),
]
