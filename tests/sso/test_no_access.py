"""The no-access page: public, 403, naming the roles and whom to ask."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_no_access_page_is_public_and_answers_403(client, settings):
    settings.OIDC_ACCESS_CONTACT = "the Strategy Monitor team at monitor@um.example"
    response = client.get(reverse("no_access"))
    assert response.status_code == 403
    text = response.content.decode()
    for role in (
        "Desk officer",
        "Financial officer",
        "Mission staff",
        "Manager",
        "Administrator",
        "Observer",
    ):
        assert f"<li>{role}</li>" in text
    assert "monitor@um.example" in text
    assert reverse("login") in text
