"""The commands: send_reminders (once per item and stage, to the right people) and
generate_milestones."""

import datetime
from io import StringIO

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command
from django.core.management.base import CommandError

from engagement.choices import ReminderStage
from engagement.models import Milestone, Reminder
from priorities.choices import DueKind
from priorities.models import StrategyYear
from tests.engagement.factories import ActionPointFactory, MilestoneFactory
from tests.funding.factories import AllocationFactory, AllocationRoundFactory, BudgetLineFactory
from tests.priorities.factories import UserFactory
from tests.risks.factories import RiskFactory

pytestmark = pytest.mark.django_db


def at(day: datetime.date):
    """Travel to 07:00 in Copenhagen on `day`, when the daily job runs."""
    return time_machine.travel(
        datetime.datetime(day.year, day.month, day.day, 6, 0, tzinfo=datetime.UTC), tick=False
    )


def send(**options) -> str:
    out = StringIO()
    call_command("send_reminders", stdout=out, **options)
    return out.getvalue()


def sent_to() -> list[str]:
    return sorted(address for message in mail.outbox for address in message.to)


@pytest.fixture(autouse=True)
def submitted_years(strategy, other_strategy):
    """Submit every year, so that only the items a test adds are due."""
    StrategyYear.objects.update(state="submitted")


@pytest.fixture
def point(strategy, finance, desk, mission, outsider, manager):
    """An action point of the financial officer due on 1 October 2024."""
    return ActionPointFactory(
        strategy=strategy,
        owner=finance,
        text="Agree the reporting format",
        due_on=datetime.date(2024, 10, 1),
    )


def test_nothing_is_sent_before_an_item_is_due_soon(point):
    with at(datetime.date(2024, 9, 20)):
        output = send()
    assert mail.outbox == []
    assert "sent 0 e-mails with 0 reminders" in output


def test_a_reminder_is_sent_once_when_due_soon_and_once_when_overdue(point):
    with at(datetime.date(2024, 9, 24)):
        output = send()
    assert sent_to() == ["finance@example.org"]
    message = mail.outbox[0]
    assert message.subject == "Strategy Monitor: 1 due within 7 days"
    assert "Agree the reporting format" in message.body
    assert "Due 1 October 2024" in message.body
    assert f"#action-{point.pk}" in message.body
    assert "To finance@example.org (finance):" in output
    assert "[due soon] 2024-10-01 Action point: Agree the reporting format" in output

    for day in (24, 25, 30):
        with at(datetime.date(2024, 9, day)):
            send()
    assert len(mail.outbox) == 1

    with at(datetime.date(2024, 10, 2)):
        send()
    assert len(mail.outbox) == 2
    assert mail.outbox[1].subject == "Strategy Monitor: 1 overdue"
    assert "OVERDUE" in mail.outbox[1].body
    with at(datetime.date(2024, 10, 20)):
        send()
    assert len(mail.outbox) == 2
    assert set(
        Reminder.objects.filter(item_type=DueKind.ACTION_POINT).values_list("stage", flat=True)
    ) == {ReminderStage.DUE_SOON, ReminderStage.OVERDUE}


def test_an_item_first_seen_overdue_is_sent_only_as_overdue(point):
    with at(datetime.date(2024, 11, 1)):
        send()
    assert len(mail.outbox) == 1
    assert "DUE WITHIN" not in mail.outbox[0].body
    assert list(Reminder.objects.values_list("stage", flat=True)) == [ReminderStage.OVERDUE]


def test_a_closed_action_point_is_not_reminded(point):
    point.status, point.closing_note = "done", "Agreed."
    point.save()
    with at(datetime.date(2024, 10, 5)):
        send()
    assert mail.outbox == []


def test_one_email_per_user_lists_all_new_items(strategy, finance, desk):
    ActionPointFactory(strategy=strategy, owner=finance, due_on=datetime.date(2024, 9, 28))
    ActionPointFactory(strategy=strategy, owner=finance, due_on=datetime.date(2024, 9, 1))
    MilestoneFactory(strategy=strategy, owner=finance, due_on=datetime.date(2024, 9, 30))
    with at(datetime.date(2024, 9, 25)):
        send()
    to_finance = [message for message in mail.outbox if message.to == ["finance@example.org"]]
    assert len(to_finance) == 1
    assert to_finance[0].subject == "Strategy Monitor: 1 overdue and 2 due within 7 days"


def test_reminders_reach_only_the_right_people(strategy, desk, finance, mission, outsider, manager):
    # Unowned milestone: everyone on the team. Risk review: the desk officer. Allocation
    # round: managers. Outsider: nothing of this strategy.
    MilestoneFactory(strategy=strategy, owner=None, due_on=datetime.date(2024, 9, 30))
    RiskFactory(strategy=strategy, next_review=datetime.date(2024, 9, 29))
    line = BudgetLineFactory(strategy=strategy, kind="soft_earmarked")
    AllocationFactory(
        round=AllocationRoundFactory(line=line, dialogue_on=datetime.date(2024, 9, 27))
    )
    UserFactory(username="nobody")
    with at(datetime.date(2024, 9, 25)):
        send()
    bodies = {message.to[0]: message.body for message in mail.outbox}
    assert sorted(bodies) == [
        "desk@example.org",
        "finance@example.org",
        "manager@example.org",
        "mission@example.org",
    ]
    assert "Risk review" in bodies["desk@example.org"]
    assert "Risk review" not in bodies["finance@example.org"]
    assert "Allocation decision" in bodies["manager@example.org"]
    assert "Allocation decision" not in bodies["desk@example.org"]


def test_users_without_an_address_or_inactive_get_nothing(strategy, finance):
    finance.email = ""
    finance.save()
    ActionPointFactory(strategy=strategy, owner=finance, due_on=datetime.date(2024, 9, 28))
    with at(datetime.date(2024, 9, 25)):
        send()
    assert mail.outbox == []
    assert not Reminder.objects.exists()


def test_links_in_the_email_use_the_base_url(point):
    with at(datetime.date(2024, 9, 30)):
        send(base_url="https://monitor.example.org/")
    body = mail.outbox[0].body
    assert "https://monitor.example.org/strategies/test-2023-2026/meetings/" in body
    assert "https://monitor.example.org/my/" in body


def test_a_failed_send_records_nothing_and_is_tried_again(point, monkeypatch):
    def refuse(self, fail_silently=False):
        raise OSError("connection refused")

    monkeypatch.setattr("django.core.mail.EmailMessage.send", refuse)
    with at(datetime.date(2024, 9, 30)), pytest.raises(CommandError):
        send()
    assert not Reminder.objects.exists()
    monkeypatch.undo()
    with at(datetime.date(2024, 9, 30)):
        send()
    assert len(mail.outbox) == 1


def test_generate_milestones_command_is_idempotent(strategy):
    out = StringIO()
    call_command("generate_milestones", strategy.slug, stdout=out)
    # A partner without bodies and a budget without a dialogue line: per year a consultation,
    # a parliamentary approval, the annual report and the approval of the year's progress.
    assert "16 milestones generated, 0 already planned" in out.getvalue()
    assert "Annual consultation 2024" in out.getvalue()
    out = StringIO()
    call_command("generate_milestones", strategy.slug, "--first-high-level-year=2024", stdout=out)
    assert "0 milestones generated, 16 already planned" in out.getvalue()
    assert Milestone.objects.filter(strategy=strategy).count() == 16


def test_generate_milestones_command_refuses_unknown_strategy_and_year(strategy):
    with pytest.raises(CommandError, match="No strategy"):
        call_command("generate_milestones", "nope")
    with pytest.raises(CommandError, match="outside the strategy period"):
        call_command("generate_milestones", strategy.slug, "--first-high-level-year=2040")


def test_a_year_still_in_draft_is_reminded_to_the_desk_officer_only(strategy, desk, finance):
    StrategyYear.objects.filter(strategy=strategy, year=2024).update(state="draft")
    with at(datetime.date(2024, 12, 27)):
        send()
    assert sent_to() == ["desk@example.org"]
    assert "Submit the year 2024 for approval" in mail.outbox[0].body
    assert "#years" in mail.outbox[0].body


def test_a_reminder_lists_a_multi_line_action_point_on_one_line(strategy, finance):
    ActionPointFactory(
        strategy=strategy,
        owner=finance,
        text="Agree the reporting format\nwith IOM's donor relations\r\nbefore the session",
        due_on=datetime.date(2024, 10, 1),
    )
    with at(datetime.date(2024, 9, 24)):
        send()
    body = mail.outbox[0].body
    assert (
        "- Action point: Agree the reporting format with IOM's donor relations before the session\n"
        in body
    )
    assert "\r" not in body
