"""A page that fails before any login, for the error tracker test."""

from django.contrib.auth.decorators import login_not_required
from django.urls import path


@login_not_required
def fail(request):
    raise RuntimeError("the ledger exploded")


urlpatterns = [path("fail/", fail)]
