"""Security headers on pages, chart pages and downloads; cookies; HSTS and the HTTPS redirect."""

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from tests.priorities.builders import area_with_nodes, indicator_in, media_root  # noqa: F401
from tests.priorities.factories import EvidenceFactory, IndicatorProgressFactory
from tests.risks.factories import RiskFactory

pytestmark = pytest.mark.django_db

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; font-src 'self'; connect-src 'self'; frame-ancestors 'none'; "
    "form-action 'self'; base-uri 'self'; object-src 'none'"
)


def assert_security_headers(response, *, csp: str = CSP) -> None:
    assert response["Content-Security-Policy"] == csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert "camera=()" in response["Permissions-Policy"]


def test_the_policy_allows_no_inline_script():
    policy = dict(
        part.strip().split(" ", 1) for part in settings.CONTENT_SECURITY_POLICY.split(";")
    )
    assert policy["script-src"] == "'self'"
    assert "'unsafe-inline'" not in policy["script-src"]
    assert "'unsafe-eval'" not in settings.CONTENT_SECURITY_POLICY
    assert policy["frame-ancestors"] == "'none'"
    assert policy["object-src"] == "'none'"


def test_a_normal_page_carries_every_security_header(client_desk, strategy):
    response = client_desk.get(reverse("priorities:strategy_detail", args=[strategy.slug]))
    assert response.status_code == 200
    assert_security_headers(response)


def test_the_login_page_carries_them_for_anonymous_users():
    response = Client().get(reverse("login"))
    assert response.status_code == 200
    assert_security_headers(response)


def test_a_chart_page_carries_them_and_loads_scripts_only_from_static_files(client_desk, strategy):
    RiskFactory(strategy=strategy, rated=True)
    response = client_desk.get(reverse("reports:strategy_dashboard", args=[strategy.slug]))
    assert response.status_code == 200
    assert_security_headers(response)
    html = response.content.decode()
    assert "plotly.min.js" in html
    # Data travels in JSON blocks, which browsers never run; no executable inline script.
    for tag in html.split("<script")[1:]:
        opening = tag.split(">", 1)[0]
        assert "src=" in opening or 'type="application/json"' in opening, opening


def test_a_table_download_carries_them(client_desk, strategy):
    RiskFactory(strategy=strategy)
    response = client_desk.get(reverse("risks:risk_list", args=[strategy.slug]) + "?_export=csv")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert_security_headers(response)


def test_an_evidence_download_keeps_its_stricter_policy(client_desk, strategy):
    area, node = area_with_nodes(strategy)
    evidence = EvidenceFactory(
        progress=IndicatorProgressFactory(indicator=indicator_in(area, node))
    )
    response = client_desk.get(
        reverse("priorities:evidence_download", args=[strategy.slug, evidence.pk])
    )
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert_security_headers(response, csp="default-src 'none'; sandbox")


def test_static_files_carry_nosniff_and_the_policy():
    response = Client().get(settings.STATIC_URL + "css/monitor.css")
    assert response.status_code == 200
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == CSP


def test_session_and_csrf_cookies_are_secure_in_production(settings, desk):
    settings.SESSION_COOKIE_SECURE = True
    settings.CSRF_COOKIE_SECURE = True
    client = Client()
    page = client.get(reverse("login"), secure=True)
    csrf = page.cookies[settings.CSRF_COOKIE_NAME]
    assert csrf["secure"] and csrf["samesite"] == "Lax"
    response = client.post(
        reverse("login"),
        {"username": "desk", "password": "pw", "csrfmiddlewaretoken": csrf.value},
        secure=True,
        headers={"referer": "https://testserver/login/"},
    )
    assert response.status_code == 302
    session = response.cookies[settings.SESSION_COOKIE_NAME]
    assert session["secure"]
    assert session["httponly"]
    assert session["samesite"] == "Lax"


def test_production_defaults_are_secure():
    from strategy_monitor import settings as production

    # The test settings turn these off for plain-HTTP test clients; production keeps them on.
    assert production.SESSION_COOKIE_HTTPONLY
    assert production.SESSION_COOKIE_SAMESITE == production.CSRF_COOKIE_SAMESITE == "Lax"
    assert production.X_FRAME_OPTIONS == "DENY"
    assert production.SECURE_REFERRER_POLICY == "same-origin"
    assert production.SECURE_CONTENT_TYPE_NOSNIFF


def test_https_requests_get_hsts_and_plain_http_is_redirected(settings, client_desk, strategy):
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_HSTS_SECONDS = 31536000
    url = reverse("priorities:strategy_detail", args=[strategy.slug])
    plain = client_desk.get(url)
    assert plain.status_code == 301
    assert plain["Location"] == "https://testserver" + url
    secure = client_desk.get(url, secure=True)
    assert secure.status_code == 200
    assert secure["Strict-Transport-Security"].startswith("max-age=31536000")
    # The load balancer's health check may use plain HTTP.
    assert Client().get(reverse("healthz")).status_code == 200
