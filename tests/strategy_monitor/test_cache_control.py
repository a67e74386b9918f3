"""Signed-in users' pages and table downloads are kept out of caches; public answers are not."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import HttpResponse
from django.test import RequestFactory
from django.urls import reverse
from django.utils.functional import SimpleLazyObject

from strategy_monitor.middleware import PRIVATE_CACHE_CONTROL, PrivateCacheMiddleware

pytestmark = pytest.mark.django_db


def test_a_signed_in_page_is_private_and_not_stored(client_desk, strategy):
    response = client_desk.get(reverse("risks:risk_list", kwargs={"slug": strategy.slug}))
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"


@pytest.mark.parametrize("export_format", ["csv", "xlsx"])
def test_a_table_download_is_private_and_not_stored(client_desk, strategy, export_format):
    url = reverse("risks:risk_list", kwargs={"slug": strategy.slug})
    response = client_desk.get(url, {"_export": export_format})
    assert "attachment" in response["Content-Disposition"]
    assert response["Cache-Control"] == "private, no-store"


def test_a_refusal_to_a_signed_in_user_is_not_stored_either(client_outsider, strategy):
    response = client_outsider.get(reverse("risks:risk_list", kwargs={"slug": strategy.slug}))
    assert response.status_code == 403
    assert response["Cache-Control"] == "private, no-store"


def test_the_login_page_and_health_check_keep_their_own_headers(client):
    login = client.get(reverse("login"))
    assert login.status_code == 200
    # Django's login view is never cached.
    assert "no-store" in login["Cache-Control"] and "private" in login["Cache-Control"]
    assert "no-store" in client.get(reverse("healthz"))["Cache-Control"]


def _request(user):
    request = RequestFactory().get("/")
    request.user = SimpleLazyObject(lambda: user)
    request.user.is_authenticated  # noqa: B018 # loaded, as the login check does
    return request


def test_a_view_that_sets_its_own_cache_control_keeps_it(desk):
    def view(request):
        response = HttpResponse("feed")
        response["Cache-Control"] = "private, max-age=300"
        return response

    response = PrivateCacheMiddleware(view)(_request(desk))
    assert response["Cache-Control"] == "private, max-age=300"


def test_an_anonymous_answer_is_left_as_its_view_made_it():
    response = PrivateCacheMiddleware(lambda request: HttpResponse("hi"))(_request(AnonymousUser()))
    assert "Cache-Control" not in response


def test_a_signed_in_answer_without_its_own_header_gets_private_no_store(desk):
    response = PrivateCacheMiddleware(lambda request: HttpResponse("hi"))(_request(desk))
    assert response["Cache-Control"] == PRIVATE_CACHE_CONTROL
