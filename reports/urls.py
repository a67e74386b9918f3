from reports.views import dashboards, exports

app_name = "reports"
urlpatterns = [*dashboards.urlpatterns, *exports.urlpatterns]
