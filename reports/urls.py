from reports.views import dashboards, exports, history

app_name = "reports"
urlpatterns = [*dashboards.urlpatterns, *exports.urlpatterns, *history.urlpatterns]
