"""In Chromium: sign in through the provider's own page and land signed in on the home page."""

import pytest
from playwright.sync_api import expect

from tests.sso.conftest import entra_claims

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_colleague_signs_in_with_the_ministry_account(page, live_server, sso):
    oid = "0b5e6c1a-1111-4c6e-9a1b-5d2f0e4c7a01"
    sso.set_claims(
        "karen",
        entra_claims(
            oid, given_name="Karen", family_name="Holm", roles=["StrategyMonitor.Manager"]
        ),
    )

    page.goto(f"{live_server.url}/")
    expect(page.get_by_role("heading", name="Log in", exact=True)).to_be_visible()
    page.get_by_role("link", name="Sign in with your ministry account").click()

    # The provider's authorisation page: the subject whose claims were stored above.
    page.wait_for_url(f"{sso.issuer}/oauth2/authorize*")
    page.get_by_placeholder("sub").first.fill("karen")
    page.get_by_role("button", name="Authorize").click()

    page.wait_for_url(f"{live_server.url}/my/")
    expect(page.locator(".user-name")).to_have_text("Karen Holm")
    expect(page.get_by_role("link", name="Dashboard")).to_be_visible()


def test_an_account_without_a_role_sees_the_no_access_page(page, live_server, sso):
    sso.set_claims("stranger", entra_claims("9f1d2c3b-2222-4c6e-9a1b-5d2f0e4c7a02", roles=[]))

    page.goto(f"{live_server.url}/login/")
    page.get_by_role("link", name="Sign in with your ministry account").click()
    page.wait_for_url(f"{sso.issuer}/oauth2/authorize*")
    page.get_by_placeholder("sub").first.fill("stranger")
    page.get_by_role("button", name="Authorize").click()

    page.wait_for_url(f"{live_server.url}/no-access/")
    expect(
        page.get_by_role("heading", name="Your account has no role in Strategy Monitor")
    ).to_be_visible()
    expect(page.locator(".user-name")).to_have_count(0)
