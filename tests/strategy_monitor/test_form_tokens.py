"""A rendered form is sent once: a second post of the same form shows the first one's result."""

import datetime
import re
import threading
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from funding.models import Disbursement
from strategy_monitor.formtokens import (
    FORM_TOKEN_FIELD,
    FORM_TOKEN_MAX_AGE,
    form_token_claim,
    form_tokens_clear_old,
)
from strategy_monitor.middleware import ALREADY_SUBMITTED
from strategy_monitor.models import FormSubmission
from tests.funding.factories import CommitmentFactory, ParliamentaryApprovalFactory, budget_create

D = Decimal
TEMPLATES = Path(settings.BASE_DIR) / "templates"
# Forms whose sending twice repeats nothing: logging in, and logging out.
UNTOKENED_FORMS = {"registration/login.html", "base.html", "includes/language_switch.html"}


def disbursement_url(strategy) -> str:
    return reverse("funding:disbursement_create", kwargs={"slug": strategy.slug})


def rendered_token(client, url: str) -> str:
    """Return the form token of the form at `url`, as a browser would send it back."""
    page = client.get(url)
    match = re.search(rf'name="{FORM_TOKEN_FIELD}" value="([^"]+)"', page.text)
    assert match, "the form carries no form token"
    return match.group(1)


@pytest.fixture
def line_a(strategy):
    line = budget_create(strategy)["a"]
    ParliamentaryApprovalFactory(
        line=line, year=2025, amount=D("48000000"), approved_on=datetime.date(2024, 12, 12)
    )
    CommitmentFactory(line=line, year=2025, amount=D("1000"))
    return line


def payment(line, token: str, amount: str = "400") -> dict:
    data = {"line": line.pk, "paid_on": "2025-03-01", "year": "", "amount": amount}
    return {**data, FORM_TOKEN_FIELD: token}


@pytest.mark.django_db
def test_rendered_form_holds_a_fresh_token_each_time(client_finance, strategy, line_a):
    first = rendered_token(client_finance, disbursement_url(strategy))
    second = rendered_token(client_finance, disbursement_url(strategy))
    assert first != second
    assert len(first) >= 32


@pytest.mark.django_db
def test_disbursement_posted_twice_is_recorded_once_and_the_repeat_shows_the_result(
    client_finance, strategy, line_a
):
    token = rendered_token(client_finance, disbursement_url(strategy))
    first = client_finance.post(disbursement_url(strategy), payment(line_a, token))
    assert first.status_code == 302
    second = client_finance.post(disbursement_url(strategy), payment(line_a, token))
    assert second.status_code == 302
    assert second["Location"] == first["Location"]
    assert Disbursement.objects.count() == 1
    shown = client_finance.get(second["Location"])
    assert str(ALREADY_SUBMITTED) in shown.text


@pytest.mark.django_db
def test_five_posts_of_one_form_record_one_disbursement(client_finance, strategy, line_a):
    token = rendered_token(client_finance, disbursement_url(strategy))
    answers = [
        client_finance.post(disbursement_url(strategy), payment(line_a, token)) for _ in range(5)
    ]
    assert {answer.status_code for answer in answers} == {302}
    assert len({answer["Location"] for answer in answers}) == 1
    assert Disbursement.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_five_simultaneous_posts_of_one_form_record_one_disbursement(strategy, finance, line_a):
    if connection.vendor != "postgresql":
        pytest.skip("Simultaneous writers need PostgreSQL; SQLite serialises writes instead.")
    client = Client()
    client.force_login(finance)
    token = rendered_token(client, disbursement_url(strategy))
    start = threading.Barrier(5)
    statuses: list[int] = []

    def post():
        try:
            start.wait(5)
            statuses.append(
                client.post(disbursement_url(strategy), payment(line_a, token)).status_code
            )
        finally:
            connection.close()

    threads = [threading.Thread(target=post) for _ in range(5)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert Disbursement.objects.count() == 1
    # One went through; the others were sent to its result or told it is still being saved.
    assert len(statuses) == 5 and set(statuses) <= {302, 409}


@pytest.mark.django_db
def test_form_refused_by_validation_can_be_sent_again_once_corrected(
    client_finance, strategy, line_a
):
    token = rendered_token(client_finance, disbursement_url(strategy))
    refused = client_finance.post(disbursement_url(strategy), payment(line_a, token, "1000.01"))
    assert refused.status_code == 200
    assert refused.context["form"].errors.as_data()["amount"][0].code == "over_committed"
    corrected = client_finance.post(disbursement_url(strategy), payment(line_a, token, "400"))
    assert corrected.status_code == 302
    assert Disbursement.objects.get().amount == D("400")


@pytest.mark.django_db
def test_repeat_while_the_first_is_still_being_saved_is_told_to_wait(
    client_finance, strategy, line_a
):
    token = rendered_token(client_finance, disbursement_url(strategy))
    assert form_token_claim(token=token) is None
    response = client_finance.post(disbursement_url(strategy), payment(line_a, token))
    assert response.status_code == 409
    assert "This form is still being saved" in response.text
    assert not Disbursement.objects.exists()


@pytest.mark.django_db
def test_post_without_a_token_is_handled_as_before(client_finance, strategy, line_a):
    data = {"line": line_a.pk, "paid_on": "2025-03-01", "year": "", "amount": "400"}
    client_finance.post(disbursement_url(strategy), data)
    client_finance.post(disbursement_url(strategy), data)
    assert Disbursement.objects.count() == 2
    assert not FormSubmission.objects.exists()


@pytest.mark.django_db
def test_post_refused_by_the_login_check_does_not_spend_its_token(strategy, line_a):
    response = Client().post(disbursement_url(strategy), payment(line_a, "t" * 32))
    assert response.status_code == 302
    assert "/login/" in response["Location"]
    assert not FormSubmission.objects.exists()


@pytest.mark.django_db
def test_tokens_older_than_a_day_are_cleared_when_a_form_is_sent():
    now = timezone.now()
    FormSubmission.objects.create(
        token="o" * 32,
        location="/old/",
        created_at=now - FORM_TOKEN_MAX_AGE - datetime.timedelta(1),
    )
    FormSubmission.objects.create(token="r" * 32, location="/recent/", created_at=now)
    assert form_token_claim(token="n" * 32) is None
    assert set(FormSubmission.objects.values_list("token", flat=True)) == {"r" * 32, "n" * 32}
    assert form_tokens_clear_old(now=now + FORM_TOKEN_MAX_AGE * 2) == 2


def post_forms(text: str):
    """Yield the opening tag and body of each POST form in a template's source."""
    for match in re.finditer(r"(<form\b[^>]*>)(.*?)</form>", text, re.DOTALL | re.IGNORECASE):
        if re.search(r'method="post"', match.group(1), re.IGNORECASE):
            yield match.group(1), match.group(2)


def test_every_post_form_of_the_site_carries_a_form_token():
    missing = []
    for path in sorted(TEMPLATES.rglob("*.html")):
        name = path.relative_to(TEMPLATES).as_posix()
        for tag, body in post_forms(path.read_text()):
            if "{% form_token %}" not in body and name not in UNTOKENED_FORMS:
                missing.append(f"{name}: {tag}")
    assert not missing, "POST forms without {% form_token %}:\n" + "\n".join(missing)


@pytest.mark.django_db
def test_pages_load_the_script_that_disables_a_sent_forms_buttons(client_finance, strategy, line_a):
    page = client_finance.get(disbursement_url(strategy))
    assert re.search(r'<script src="/static/js/submit-once\.[^"]*js" defer></script>', page.text)
    script = (Path(settings.BASE_DIR) / "static" / "js" / "submit-once.js").read_text()
    # A disabled button is left out of the form data: its name and value are copied first.
    assert "submitter.name" in script and "Sending" in script
