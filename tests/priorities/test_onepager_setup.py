"""Setting up a strategy from its one-pager: read, review, confirm; uploads; who may."""

import html
import io
import zipfile
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from funding.models import BudgetLine
from priorities.models import Organisation, PriorityArea, RelevantSDG, Strategy
from priorities.onepager_files import docx_text, onepager_upload_text
from tests.priorities.factories import OrganisationFactory
from tests.priorities.test_onepager import FIVE_YEARS, PDF_SHAPED, iom_front_page

pytestmark = pytest.mark.django_db

URL = reverse("priorities:strategy_create_from_onepager")
M = Decimal(1_000_000)


def read(client, text: str):
    return client.post(URL, {"text": text})


def review_data(response) -> dict:
    """Return the review page's form as the browser would post it back on confirm."""
    form = response.context["form"]
    years = response.context["years"]
    data = {"confirm": "1"}
    for name, field in form.fields.items():
        value = form[name].value()
        if name == "sdgs":
            data[name] = [str(goal) for goal in value or []]
        elif value is None or value is False:
            data[name] = ""
        elif value is True:
            data[name] = "on"
        else:
            data[name] = str(field.prepare_value(value)) if value != "" else ""
    data.update(
        {
            "years-TOTAL_FORMS": str(years.total_form_count()),
            "years-INITIAL_FORMS": "0",
            "years-MIN_NUM_FORMS": "0",
            "years-MAX_NUM_FORMS": "10",
        }
    )
    for index, row in enumerate(years.forms):
        for name, field in row.fields.items():
            value = row[name].value()
            data[f"years-{index}-{name}"] = "" if value is None else str(field.prepare_value(value))
    return data


def test_reading_shows_a_prefilled_review_and_saves_nothing(client_admin):
    response = read(client_admin, FIVE_YEARS)
    assert response.status_code == 200
    form = response.context["form"]
    assert form["title"].value().startswith("Strategy for Denmark's engagement with the Office")
    assert form["new_organisation_acronym"].value() == "OCHA"
    assert form["slug"].value() == "ocha-2024-2028"
    assert form["finance_act_codes"].value() == "§06.32.08.70\n§06.32.08.75"
    rows = [(row["year"].value(), row["commitment"].value()) for row in response.context["years"]]
    # The whole period, the year the table leaves out empty.
    assert rows == [(year, "62.5") for year in range(2024, 2028)] + [(2028, None)]
    assert 'value="62.5"' in response.text
    assert (
        "2 Finance Act codes for one table: the codes are kept, and no budget line is created"
        in response.text
    )
    assert "Not found in the text" not in response.text
    assert not Strategy.objects.exists()
    assert not Organisation.objects.exists()


def test_fields_not_found_are_empty_and_highlighted(client_admin):
    response = read(client_admin, "Responsible Unit\tGeneva\nKey results\n- Better data\n")
    assert "Not found in the text: title, partner, duration of the strategy" in response.text
    form = response.context["form"]
    assert form["title"].value() == "" and form["start_year"].value() is None
    assert response.text.count('class="not-found"') >= 8
    assert form["responsible_unit"].value() == "Geneva"
    assert not Strategy.objects.exists()


def test_confirm_creates_the_strategy_years_areas_sdgs_and_one_budget_line(
    client_admin, admin_user
):
    OrganisationFactory(name="International Organization for Migration", acronym="IOM")
    response = read(client_admin, iom_front_page())
    data = review_data(response)
    assert data["organisation"]  # the known partner is picked, not created again
    data["slug"] = "iom-2023-2026"
    data["sdgs"] = ["10", "16"]
    response = client_admin.post(URL, data, follow=True)
    strategy = Strategy.objects.get(slug="iom-2023-2026")
    assert response.redirect_chain[-1][0].endswith("/strategies/iom-2023-2026/setup/")
    assert "set up from its one-pager with the years 2023-2026 and 4 priority areas" in (
        response.text
    )
    assert Organisation.objects.count() == 1
    assert strategy.is_draft
    assert strategy.file_number == "2022-18394"
    assert strategy.finance_act_code == "§06.32.10.14"
    assert strategy.stated_commitment_total == 400 * M
    assert {year.year: year.planned_commitment for year in strategy.strategy_years.all()} == {
        year: 100 * M for year in range(2023, 2027)
    }
    areas = list(PriorityArea.objects.filter(strategy=strategy).order_by("order"))
    assert [(area.number, area.order) for area in areas] == [(1, 1), (2, 2), (3, 3), (4, 4)]
    assert areas[0].key_result == "Enhancing strategic and organizational effectiveness of IOM."
    assert set(RelevantSDG.objects.filter(strategy=strategy).values_list("goal", flat=True)) == {
        10,
        16,
    }
    line = BudgetLine.objects.get(strategy=strategy)
    assert line.finance_act_code.code == "§06.32.10.14"
    assert dict(line.planned_amounts.values_list("year", "amount")) == {
        year: 100 * M for year in range(2023, 2027)
    }
    assert strategy.history.first().history_user == admin_user


def test_two_codes_create_no_budget_line_and_a_new_partner(client_admin):
    response = read(client_admin, FIVE_YEARS)
    data = review_data(response)
    data["years-4-commitment"] = "10,5"
    data["new_organisation_iati_identifier"] = "XM-OCHA-13"
    response = client_admin.post(URL, data, follow=True)
    strategy = Strategy.objects.get(slug="ocha-2024-2028")
    assert strategy.organisation.acronym == "OCHA"
    assert strategy.organisation.iati_identifier == "XM-OCHA-13"
    assert strategy.finance_act_code == "§06.32.08.70, §06.32.08.75"
    assert "add the budget lines under each on the budget page" in response.text
    assert not BudgetLine.objects.exists()
    assert [code.code for code in strategy.finance_act_codes.order_by("order")] == [
        "§06.32.08.70",
        "§06.32.08.75",
    ]
    assert strategy.strategy_years.get(year=2028).planned_commitment == Decimal("10500000")


@pytest.mark.parametrize(
    ("change", "field", "text"),
    [
        ({"end_year": "2035"}, "__all__", "A strategy runs for 3 to 5 years."),
        ({"years-0-commitment": "DKK 62"}, None, "Enter the amount in DKK million"),
        ({"years-0-commitment": "-5"}, None, "An amount cannot be negative."),
        ({"title": ""}, "title", "This field is required."),
        ({"new_organisation_acronym": ""}, "__all__", "Choose the partner, or give"),
        ({"slug": "new"}, "slug", "“new” is reserved"),
        ({"end_year": "2026"}, "__all__", "The table gives 2027, outside the period"),
    ],
)
def test_invalid_edits_are_refused_next_to_the_field_and_nothing_is_saved(
    client_admin, change, field, text
):
    data = review_data(read(client_admin, FIVE_YEARS))
    data.update(change)
    response = client_admin.post(URL, data)
    assert response.status_code == 200
    assert text in response.text
    if field:
        errors = response.context["form"].errors.as_data()[field]
        assert any(text in message for error in errors for message in error.messages)
    assert not Strategy.objects.exists()
    assert not Organisation.objects.exists()
    # The highlighting survives the refusal.
    assert response.context["form"]["unrecognised"].value() == ""


def test_the_strategy_list_links_to_the_one_pager_set_up(client_admin):
    response = client_admin.get(reverse("priorities:strategy_list"))
    assert f'href="{URL}"' in response.text


@pytest.mark.parametrize("client_name", ["client_desk", "client_finance", "client_mission"])
def test_other_roles_are_refused(request, client_name):
    client = request.getfixturevalue(client_name)
    before = Strategy.objects.count()
    assert client.get(URL).status_code == 403
    assert client.post(URL, {"text": FIVE_YEARS}).status_code == 403
    assert Strategy.objects.count() == before


def test_a_manager_is_refused(client_manager):
    assert client_manager.post(URL, {"text": FIVE_YEARS}).status_code == 403


def test_anonymous_is_sent_to_log_in(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert "/login/" in response["Location"]


def test_nothing_pasted_is_refused(client_admin):
    response = client_admin.post(URL, {"text": "  "})
    assert "Paste the one-pager's text or choose the strategy document." in html.unescape(
        response.text
    )


# Uploads


def docx_bytes(paragraphs: list[str], table: list[list[str]], *, doctype: str = "") -> bytes:
    """Return a minimal Word document holding `paragraphs`, then `table`."""
    ns = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"

    def paragraph(text: str) -> str:
        runs = "<w:r><w:tab/></w:r>".join(
            f"<w:r><w:t>{part}</w:t></w:r>" for part in text.split("\t")
        )
        return f"<w:p>{runs}</w:p>"

    rows = "".join(
        "<w:tr>" + "".join(f"<w:tc>{paragraph(cell)}</w:tc>" for cell in row) + "</w:tr>"
        for row in table
    )
    body = "".join(paragraph(text) for text in paragraphs) + f"<w:tbl>{rows}</w:tbl>"
    document = (
        f'<?xml version="1.0" encoding="UTF-8"?>{doctype}'
        f'<w:document xmlns:w="{ns}"><w:body>{body}</w:body></w:document>'
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", document)
    return buffer.getvalue()


DOCX_TABLE = [
    ["Million DKK", "2024", "2025", "2026"],
    ["Commitment", "30", "30", "30"],
    ["Projected ann. Disb.", "30", "30", "30"],
    ["Duration of strategy", "2024-2026 (3 years)"],
    ["Finance Act code", "06.32.11.12"],
    ["File No.", "2023 - 998"],
]


def test_a_word_document_is_read_with_its_table_cells_as_tabs():
    upload = SimpleUploadedFile(
        "strategy.docx",
        docx_bytes(
            ["Strategy for Denmark's engagement with UNFPA 2024-2026", "Key results:", "- Choice"],
            DOCX_TABLE,
        ),
    )
    text = onepager_upload_text(upload)
    assert "Million DKK\t2024\t2025\t2026" in text
    from priorities.onepager import onepager_read

    page = onepager_read(text)
    assert page.file_number == "2023 - 998"
    assert page.years[0].commitment == 30 * M
    assert page.finance_act_codes == ["06.32.11.12"]


def test_a_word_document_declaring_a_doctype_is_refused():
    bomb = '<!DOCTYPE lolz [<!ENTITY lol "lol">]>'
    upload = SimpleUploadedFile("strategy.docx", docx_bytes(["x"], [["y"]], doctype=bomb))
    with pytest.raises(Exception) as refused:
        docx_text(upload)
    assert refused.value.code == "unreadable_file"


def test_an_uploaded_word_document_fills_the_review(client_admin):
    upload = SimpleUploadedFile(
        "strategy.docx",
        docx_bytes(["Strategy for Denmark's engagement with UNFPA 2024-2026"], DOCX_TABLE),
    )
    response = client_admin.post(URL, {"text": "", "file": upload})
    assert response.context["form"]["file_number"].value() == "2023 - 998"
    assert not Strategy.objects.exists()


def test_an_uploaded_pdf_is_read(client_admin):
    weasyprint = pytest.importorskip("weasyprint")
    lines = "<br>".join(PDF_SHAPED.splitlines())
    pdf = weasyprint.HTML(string=f"<p>{lines}</p>").write_pdf()
    response = client_admin.post(URL, {"file": SimpleUploadedFile("strategy.pdf", pdf)})
    form = response.context["form"]
    assert form["file_number"].value() == "F2/2024-1"
    assert form["desk_officer"].value() == "Karen Olsen"
    assert [row["commitment"].value() for row in response.context["years"]] == ["510"] * 5


def test_an_image_or_a_disguised_file_is_refused(client_admin):
    png = SimpleUploadedFile("strategy.png", b"\x89PNG\r\n\x1a\n" + b"0" * 20)
    response = client_admin.post(URL, {"file": png})
    assert "upload the strategy as a PDF or a Word document" in response.text
    fake = SimpleUploadedFile("strategy.pdf", b"#!/bin/sh\necho hi\n")
    response = client_admin.post(URL, {"file": fake})
    assert "whatever its name says" in response.text
    assert response.context.get("years") is None


def test_reading_takes_a_fixed_number_of_queries(client_admin, django_assert_max_num_queries):
    OrganisationFactory(acronym="OCHA")
    # session, user, groups (administrator check), partner match, partner choices
    with django_assert_max_num_queries(8):
        read(client_admin, FIVE_YEARS)


def test_a_partner_typed_as_new_but_already_known_is_not_created_twice(client_admin, admin_user):
    from priorities.services import strategy_create_from_onepager

    known = OrganisationFactory(name="United Nations Population Fund", acronym="UNFPA")
    strategy, notes = strategy_create_from_onepager(
        user=admin_user,
        new_organisation_name="",
        new_organisation_acronym="unfpa",
        title="Strategy for Denmark's engagement with UNFPA 2024-2026",
        slug="unfpa-2024-2026",
        start_year=2024,
        end_year=2026,
    )
    assert strategy.organisation == known
    assert notes == []
    assert Organisation.objects.count() == 1
