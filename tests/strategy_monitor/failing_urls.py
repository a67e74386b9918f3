"""The site's URLs plus a page that fails, for the error page tests."""

from django.urls import path

from strategy_monitor.urls import handler500
from strategy_monitor.urls import urlpatterns as site_urlpatterns


def fail(request):
    raise RuntimeError("secret detail: the ledger exploded")


urlpatterns = [path("fail/", fail), *site_urlpatterns]
__all__ = ["handler500", "urlpatterns"]
