"""The IATI activity identifier follows IATI's rules; the file number is kept as printed."""

import re

import pytest
from lxml import etree

from reports.builders import iati_build
from reports.builders.iati import activity_identifier
from reports.render.iati import IatiInvalid, codelist_errors, iati_xml, schema_errors
from tests.priorities.factories import StrategyFactory
from tests.reports.reportdata import iati_activity

# IATI: an activity identifier holds none of / & | ? and should hold no spaces.
IDENTIFIER_RULE = re.compile(r"^[^/&|?\s]+$")


@pytest.mark.parametrize(
    ("file_number", "suffix"),
    [
        ("2022-18394", "2022-18394"),
        ("24/39059", "24-39059"),
        ("2023 - 14870", "2023-14870"),
        (" F&A | 12?34 ", "F-A-12-34"),
    ],
)
def test_activity_identifier_replaces_characters_iati_forbids(file_number, suffix):
    identifier = activity_identifier(file_number=file_number, slug="fallback")
    assert identifier == f"DK-CVR-43271911-{suffix}"
    assert IDENTIFIER_RULE.match(identifier)


def test_activity_identifier_falls_back_to_the_slug_without_a_usable_file_number():
    assert activity_identifier(file_number=" / ", slug="unhcr-2024-2027") == (
        "DK-CVR-43271911-unhcr-2024-2027"
    )


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("file_number", "identifier"),
    [
        ("24/39059", "DK-CVR-43271911-24-39059"),
        ("2023 - 14870", "DK-CVR-43271911-2023-14870"),
    ],
)
def test_iati_export_of_a_file_number_with_slash_or_spaces_is_valid(file_number, identifier):
    strategy = StrategyFactory(file_number=file_number)
    content = iati_xml(iati_build(strategy=strategy))
    assert schema_errors(content) == []
    assert codelist_errors(content) == []
    node = etree.fromstring(content).find("iati-activity")
    assert node.findtext("iati-identifier") == identifier
    assert IDENTIFIER_RULE.match(node.findtext("iati-identifier"))
    # The file number as printed stays in the file, as the ministry's own identifier.
    other = node.find("other-identifier")
    assert (other.get("ref"), other.get("type")) == (file_number, "A1")
    assert other.find("owner-org").get("ref") == "DK-CVR-43271911"


@pytest.mark.django_db
def test_iati_export_without_a_file_number_names_no_other_identifier():
    strategy = StrategyFactory(file_number="", slug="wfp-2024-2027")
    node = etree.fromstring(iati_xml(iati_build(strategy=strategy))).find("iati-activity")
    assert node.findtext("iati-identifier") == "DK-CVR-43271911-wfp-2024-2027"
    assert node.find("other-identifier") is None


@pytest.mark.parametrize("identifier", ["DK-CVR-43271911-24/39059", "DK-CVR-43271911-2023 - 1"])
def test_iati_xml_refuses_an_identifier_that_breaks_iati_rules(identifier):
    with pytest.raises(IatiInvalid, match="identifier"):
        iati_xml(iati_activity(identifier=identifier))
