"""The scripts' words come from the JavaScript catalogue, in the user's language."""

import pytest
from django.test import Client
from django.urls import reverse


def test_the_catalogue_answers_without_a_login_in_danish_for_a_danish_browser(db):
    response = Client().get(reverse("javascript_catalog"), HTTP_ACCEPT_LANGUAGE="da")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/javascript")
    script = response.content.decode()
    for danish in ("Eksempeldata", "Tilf\\u00f8j endnu en r\\u00e6kke", "Sender\\u2026"):
        assert danish in script
    assert '"%(used)s of %(limit)s characters": "%(used)s af %(limit)s tegn"' in script


def test_the_catalogue_in_english_translates_nothing(db):
    script = Client().get(reverse("javascript_catalog")).content.decode()
    assert "Eksempeldata" not in script
    assert "function gettext" in script or "django.gettext" in script


@pytest.mark.django_db
def test_every_page_loads_the_catalogue_before_its_scripts(client_desk):
    page = client_desk.get(reverse("reports:my_tasks")).text
    catalogue = page.index(f'<script src="{reverse("javascript_catalog")}" defer></script>')
    assert catalogue < page.index("js/submit-once.js")
