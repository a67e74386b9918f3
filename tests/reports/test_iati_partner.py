"""The partner's IATI organisation identifier is data of the partner, and its absence is said."""

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse
from lxml import etree

from reports.builders import iati_build
from reports.render.iati import iati_xml, schema_errors
from tests.funding.factories import budget_create


def partner_orgs(content: bytes) -> list:
    root = etree.fromstring(content)
    orgs = root.iterfind("iati-activity/participating-org")
    return [org for org in orgs if org.get("role") == "4"]


@pytest.mark.django_db
def test_partner_reference_comes_from_the_partner_record(strategy):
    organisation = strategy.organisation
    organisation.iati_identifier = "XM-DAC-41121"
    organisation.save()
    budget_create(strategy)
    activity = iati_build(strategy=strategy)
    content = iati_xml(activity)
    assert schema_errors(content) == []
    [partner] = partner_orgs(content)
    assert partner.get("ref") == "XM-DAC-41121"
    assert activity.partner_ref_missing == ""


@pytest.mark.django_db
def test_partner_without_identifier_is_named_without_ref_and_the_file_still_validates(strategy):
    strategy.organisation.slug = "iom"  # no fixed list keyed by slug any more
    strategy.organisation.save()
    budget_create(strategy)
    activity = iati_build(strategy=strategy)
    content = iati_xml(activity)
    assert schema_errors(content) == []
    [partner] = partner_orgs(content)
    assert partner.get("ref") is None
    assert "no IATI organisation identifier" in activity.partner_ref_missing


@pytest.mark.django_db
def test_export_command_warns_when_the_identifier_is_missing(strategy, tmp_path, capsys):
    budget_create(strategy)
    call_command("export_iati", strategy.slug, "--output", str(tmp_path / "a.xml"))
    assert "no IATI organisation identifier" in capsys.readouterr().err


@pytest.mark.django_db
def test_strategy_page_says_the_identifier_is_missing(client_desk, strategy):
    url = reverse("priorities:strategy_detail", kwargs={"slug": strategy.slug})
    assert "no IATI organisation identifier" in client_desk.get(url).content.decode()
    strategy.organisation.iati_identifier = "XM-DAC-41121"
    strategy.organisation.save()
    assert "no IATI organisation identifier" not in client_desk.get(url).content.decode()


@pytest.mark.parametrize("value", ["XM DAC 41121", "XM/DAC/1", "41121", "XM-DAC-4112?"])
def test_malformed_identifier_is_refused(value):
    from priorities.models import validate_iati_identifier

    with pytest.raises(ValidationError) as caught:
        validate_iati_identifier(value)
    assert caught.value.code == "invalid_iati_identifier"


@pytest.mark.django_db
def test_iom_fixture_holds_the_identifier_and_the_chapters_of_its_contents_page():
    from priorities.models import Organisation, Strategy

    call_command("loaddata", "iom_2023_2026", verbosity=0)
    assert Organisation.objects.get(slug="iom").iati_identifier == "XM-DAC-47066"
    strategy = Strategy.objects.get(slug="iom-2023-2026")
    assert [chapter.heading for chapter in strategy.chapters.order_by("order")] == [
        "1. Objective",
        "2. The Organisation",
        "3. Lessons learnt, key strategic challenges and opportunities",
        "4. Priority areas and results to be achieved",
        "5. Budget",
        "6. Risks and assumptions",
        "7. Danish approach to engagement with the organization",
    ]
    codes = list(strategy.finance_act_codes.values_list("code", flat=True))
    assert codes == ["06.32.10.14"]
    assert set(strategy.budget_lines.values_list("finance_act_code__code", flat=True)) == {
        "06.32.10.14"
    }
