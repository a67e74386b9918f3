"""Two people recording at once cannot together break a rule that each alone respects.

The services lock the budget line before they sum its records. SQLite has no row locks (it
serialises whole writes instead), so these races run on PostgreSQL only.
"""

import datetime
import threading
import time
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, transaction

from funding import services
from funding.choices import Decision
from funding.models import Allocation, Disbursement
from strategy_monitor.concurrency import version_token
from strategy_monitor.forms import error_codes
from tests.funding.factories import (
    AllocationFactory,
    AllocationRoundFactory,
    CommitmentFactory,
    ParliamentaryApprovalFactory,
    budget_create,
)

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def postgresql_only():
    if connection.vendor != "postgresql":
        pytest.skip("Row locks need PostgreSQL; SQLite serialises writes instead.")


def race(first_call, second_call) -> dict:
    """Run `first_call` in a transaction held open while `second_call` runs; return outcomes."""
    inside = threading.Event()
    outcomes: dict[str, object] = {}

    def first():
        try:
            with transaction.atomic():
                first_call()
                inside.set()
                time.sleep(0.5)
            outcomes["first"] = "saved"
        finally:
            connection.close()

    def second():
        inside.wait(5)
        try:
            second_call()
            outcomes["second"] = "saved"
        except ValidationError as error:
            outcomes["second"] = error_codes(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(10)
    return outcomes


def test_simultaneous_payments_cannot_exceed_the_commitment(strategy, finance):
    line = budget_create(strategy)["a"]
    ParliamentaryApprovalFactory(line=line, year=2025, approved_on=datetime.date(2024, 12, 1))
    CommitmentFactory(
        line=line, year=2025, amount=Decimal("10000000"), committed_on=datetime.date(2025, 1, 5)
    )

    def pay():
        services.disbursement_create(
            line=line,
            year=2025,
            amount=Decimal("6000000"),
            paid_on=datetime.date(2025, 2, 1),
            user=finance,
        )

    assert race(pay, pay) == {"first": "saved", "second": {"over_committed"}}
    assert Disbursement.objects.count() == 1


def test_simultaneous_approvals_cannot_exceed_line_b(strategy, manager):
    line = budget_create(strategy)["b"]
    allocation_round = AllocationRoundFactory(line=line, year=2025)
    first, second = AllocationFactory.create_batch(
        2, round=allocation_round, amount=Decimal("30000000")
    )

    def approve(allocation):
        def call():
            stored = Allocation.objects.select_related("round__line").get(pk=allocation.pk)
            services.allocation_decide(
                allocation=stored,
                version=version_token(stored),
                decision=Decision.APPROVED,
                reason="Along the migratory routes.",
                user=manager,
            )

        return call

    assert race(approve(first), approve(second)) == {
        "first": "saved",
        "second": {"over_line_budget"},
    }
    assert Allocation.objects.filter(decision=Decision.APPROVED).count() == 1
