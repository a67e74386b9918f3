"""The export links offer each document in the other language too: `?lang=da` or `?lang=en`."""

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from lxml import html

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english_afterwards():
    """Leave the thread in English: a Danish request keeps its language active after it."""
    yield
    translation.activate(settings.LANGUAGE_CODE)


def in_language(code: str, text: str) -> str:
    with translation.override(code):
        return _(text)


def page(client, strategy, language: str):
    response = client.get(strategy.get_absolute_url(), HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200
    return html.fromstring(response.content)


# The strategy page's exports panel, and the Export menu of the header on every strategy page.
PANEL = "//h2[@id='exports']/following-sibling::ul[1]"
MENU = "//details[contains(@class, 'export-menu')]"


def other_language_links(tree, where: str, other: str) -> dict[str, html.HtmlElement]:
    return {link.get("href"): link for link in tree.xpath(f"{where}//a[@hreflang='{other}']")}


@pytest.mark.parametrize(
    ("language", "other", "label"),
    [("en-gb", "da", "In Danish"), ("da", "en", "In English")],
)
@pytest.mark.parametrize("where", [PANEL, MENU], ids=["panel", "menu"])
def test_each_brief_and_the_workbook_link_to_the_other_language(
    client_desk, strategy, language, other, label, where
):
    tree = page(client_desk, strategy, language)
    links = other_language_links(tree, where, other)
    workbook = reverse("reports:workbook_download", kwargs={"slug": strategy.slug})
    briefs = [
        reverse("reports:brief_download", kwargs={"slug": strategy.slug, "year": year})
        for year in strategy.years
    ]
    assert sorted(links) == sorted(f"{url}?lang={other}" for url in [*briefs, workbook])
    assert links[f"{workbook}?lang={other}"].text_content() == in_language(language, label)
    for year, url in zip(strategy.years, briefs, strict=True):
        assert links[f"{url}?lang={other}"].text_content() == str(year)
    # The link texts are in the reader's language; the documents they open in the other one.
    labelled = [link for link in links.values() if link.get("lang")]
    assert labelled and all(link.get("lang") == language for link in labelled)


def test_danish_reader_reads_the_labels_in_danish(client_desk, strategy):
    tree = page(client_desk, strategy, "da")
    panel = tree.xpath(PANEL)[0]
    text = panel.text_content()
    assert in_language("da", "In English") in text
    labels = [link.get("aria-label") for link in panel.xpath(".//a[@hreflang='en']")]
    with translation.override("da"):
        expected = _("Consultation brief %(year)s in %(language)s (PDF)") % {
            "year": strategy.years[0],
            "language": translation.pgettext("language, after in", "English"),
        }
    assert expected in labels


def test_the_other_language_link_downloads_the_workbook_in_it(client_desk, strategy):
    tree = page(client_desk, strategy, "en-gb")
    href = next(
        link.get("href")
        for link in tree.xpath(f"{MENU}//a[@hreflang='da']")
        if "workbook" in link.get("href")
    )
    response = client_desk.get(href)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
