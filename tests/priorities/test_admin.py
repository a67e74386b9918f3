"""The admin site as a safety net: monitored records are shown, never changed, and the rest saves.

Monitored records (figures, assessments, money, risk ratings, meetings) change on their own
pages, through the services and their rules; the admin shows them and their history. Users,
groups, teams, partners and reference data stay editable. Every page renders, with no query per
changelist row.
"""

import datetime
from decimal import Decimal

import pytest
from django.apps import apps
from django.contrib import admin
from django.contrib.admin.utils import flatten_fieldsets
from django.contrib.auth.models import Group
from django.db import connection
from django.forms.models import model_to_dict
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from api.services import api_token_create
from engagement.choices import ReminderStage
from engagement.models import (
    CalendarToken,
    KeyMessage,
    MidTermReview,
    Reminder,
    calendar_secret_new,
    calendar_selector_new,
)
from funding.models import PlannedAmountRevision
from priorities.choices import DueKind, OfficeKind
from priorities.models import (
    Chapter,
    Evidence,
    KeyFigure,
    Office,
    RelevantSDG,
    ResultsNode,
    TeamMembership,
)
from reports.models import Job, JobKind
from strategy_monitor.admin import MonitoredAdmin
from strategy_monitor.models import ExternalIdentity
from tests.engagement.factories import (
    ActionPointFactory,
    EngagementChannelFactory,
    GoverningBodyFactory,
    MeetingFactory,
    MilestoneFactory,
    RhythmFactory,
)
from tests.funding.factories import (
    AllocationFactory,
    AllocationRoundFactory,
    BudgetLineFactory,
    BudgetTotalAmountFactory,
    BudgetTotalFactory,
    CommitmentFactory,
    DisbursementFactory,
    DonorTableFactory,
    EarmarkedDonorFactory,
    FinanceActCodeFactory,
    FundingRowFactory,
    ParliamentaryApprovalFactory,
    PlannedAmountFactory,
    StatedTotalFactory,
    UnearmarkedContributionFactory,
    UnearmarkedDonorFactory,
)
from tests.priorities.factories import (
    AssessmentFactory,
    IndicatorFactory,
    IndicatorProgressFactory,
    OrganisationFactory,
    PriorityAreaFactory,
    PriorityAreaNodeFactory,
    ResultsFrameworkFactory,
    ResultsNodeFactory,
    StrategyFactory,
    TeamMembershipFactory,
    UserFactory,
)
from tests.reports.issued_factories import issued_brief_store
from tests.risks.factories import RiskFactory, RiskRatingFactory

pytestmark = pytest.mark.django_db

PROJECT_APPS = {"priorities", "funding", "risks", "engagement"}


def key_figure():
    return KeyFigure.objects.create(
        organisation=OrganisationFactory(),
        key="expenditure-2021",
        label="Expenditure 2021",
        value=Decimal("2500000000"),
        unit="USD",
        year=2021,
    )


def country_office(organisation=None):
    organisation = organisation or OrganisationFactory()
    region = Office.objects.create(
        organisation=organisation, key="dakar", kind=OfficeKind.REGIONAL, name="Dakar"
    )
    return Office.objects.create(
        organisation=organisation,
        key="mali",
        kind=OfficeKind.COUNTRY,
        name="Mali",
        regional_office=region,
    )


def results_node():
    objective = ResultsNodeFactory(code="3", key="3")
    return ResultsNode.objects.create(
        framework=objective.framework, code="3b", key="3b", level=2, parent=objective, title="O"
    )


def allocation():
    row = AllocationFactory(decided_by=UserFactory())
    row.office = country_office(row.round.line.strategy.organisation)
    row.save()
    return row


def action_point():
    point = ActionPointFactory(owner=UserFactory())
    point.priority_area = PriorityAreaFactory(strategy=point.strategy)
    point.save()
    return point


# One row of each registered model, with its foreign keys filled so every column has a value.
ROW_BUILDERS = {
    "auth.user": UserFactory,
    "auth.group": lambda: Group.objects.create(name=f"Group {Group.objects.count()}"),
    "priorities.organisation": OrganisationFactory,
    "priorities.keyfigure": key_figure,
    "priorities.office": country_office,
    "priorities.strategy": lambda: StrategyFactory(mid_term_review_year=2024),
    "priorities.strategyyear": lambda: StrategyFactory().strategy_years.first(),
    "priorities.relevantsdg": lambda: RelevantSDG.objects.create(
        strategy=StrategyFactory(), goal=10
    ),
    "priorities.teammembership": TeamMembershipFactory,
    "priorities.priorityarea": PriorityAreaFactory,
    "priorities.resultsframework": ResultsFrameworkFactory,
    "priorities.resultsnode": results_node,
    "priorities.priorityareanode": PriorityAreaNodeFactory,
    "priorities.indicator": IndicatorFactory,
    "priorities.indicatorprogress": IndicatorProgressFactory,
    "priorities.assessment": AssessmentFactory,
    "priorities.evidence": lambda: Evidence.objects.create(
        progress=IndicatorProgressFactory(),
        file="evidence/report.pdf",
        original_name="Annual report 2024.pdf",
        content_type="application/pdf",
        size=1024,
        uploaded_by=UserFactory(),
    ),
    "funding.financeactcode": FinanceActCodeFactory,
    "funding.plannedamountrevision": lambda: PlannedAmountRevision.objects.create(
        planned_amount=PlannedAmountFactory(),
        previous_amount=Decimal("100000000"),
        amount=Decimal("75000000"),
        revised_on=datetime.date(2023, 3, 1),
        source="final one-pager",
    ),
    "priorities.chapter": lambda: Chapter.objects.create(
        strategy=StrategyFactory(), key="budget", number="5", title="Budget"
    ),
    "funding.budgetline": BudgetLineFactory,
    "funding.plannedamount": PlannedAmountFactory,
    "funding.budgettotal": BudgetTotalFactory,
    "funding.budgettotalamount": BudgetTotalAmountFactory,
    "funding.parliamentaryapproval": ParliamentaryApprovalFactory,
    "funding.commitment": CommitmentFactory,
    "funding.disbursement": DisbursementFactory,
    "funding.allocationround": AllocationRoundFactory,
    "funding.allocation": allocation,
    "funding.donortable": DonorTableFactory,
    "funding.statedtotal": StatedTotalFactory,
    "funding.fundingrow": FundingRowFactory,
    "funding.unearmarkeddonor": UnearmarkedDonorFactory,
    "funding.unearmarkedcontribution": UnearmarkedContributionFactory,
    "funding.earmarkeddonor": EarmarkedDonorFactory,
    "risks.risk": lambda: RiskFactory(rated=True, owner=UserFactory()),
    "risks.riskrating": lambda: RiskRatingFactory(rated_by=UserFactory()),
    "engagement.engagementchannel": EngagementChannelFactory,
    "engagement.governingbody": GoverningBodyFactory,
    "engagement.rhythm": RhythmFactory,
    "engagement.meeting": MeetingFactory,
    "engagement.actionpoint": action_point,
    "engagement.keymessage": lambda: KeyMessage.objects.create(
        meeting=MeetingFactory(), text="Ask for the reform's timeline.", drafted_by=UserFactory()
    ),
    "reports.job": lambda: Job.objects.create(
        user=UserFactory(), kind=JobKind.WORKBOOK, title="Monitoring workbook"
    ),
    "engagement.milestone": lambda: MilestoneFactory(owner=UserFactory(), key="generated"),
    "engagement.midtermreview": lambda: MidTermReview.objects.create(
        strategy=StrategyFactory(), completed_on=datetime.date(2024, 11, 29), findings="Fine."
    ),
    "reports.issuedbrief": lambda: issued_brief_store(
        strategy=StrategyFactory(), user=UserFactory()
    ),
    "engagement.reminder": lambda: Reminder.objects.create(
        user=UserFactory(),
        item_type=DueKind.MILESTONE,
        item_id=1,
        stage=ReminderStage.OVERDUE,
        due_on=datetime.date(2024, 5, 14),
        title="Annual consultation",
    ),
    "engagement.calendartoken": lambda: CalendarToken.objects.create(
        user=UserFactory(), selector=calendar_selector_new(), secret=calendar_secret_new()
    ),
    "strategy_monitor.externalidentity": lambda: ExternalIdentity.objects.create(
        issuer="72f988bf-0000-4000-8000-00000000c0de",
        subject=f"oid-{ExternalIdentity.objects.count()}",
        user=UserFactory(),
    ),
    "api.apitoken": lambda: api_token_create(user=UserFactory(), name="Data warehouse")[0],
}
# Monitored records: their pages change them; the admin shows them and their history.
MONITORED = {
    "priorities.strategyyear",
    "priorities.indicatorprogress",
    "priorities.assessment",
    "priorities.evidence",
    "funding.plannedamount",
    "funding.plannedamountrevision",
    "funding.parliamentaryapproval",
    "funding.commitment",
    "funding.disbursement",
    "funding.allocationround",
    "funding.allocation",
    "risks.risk",
    "risks.riskrating",
    "engagement.meeting",
    "engagement.actionpoint",
    "engagement.keymessage",
    "engagement.milestone",
    "engagement.midtermreview",
    "reports.issuedbrief",
}
# Rows the application writes itself: the admin shows them and lets them be deleted, no more.
APP_WRITTEN = {"engagement.reminder", "engagement.calendartoken", "reports.job"}
# Fields an administrator never sees.
HIDDEN_FIELDS = {"engagement.calendartoken": {"secret"}}

REGISTERED = sorted(admin.site._registry.items(), key=lambda item: item[0]._meta.label_lower)
REGISTERED_IDS = [model._meta.label_lower for model, _ in REGISTERED]
MONITORED_MODELS = [apps.get_model(label) for label in sorted(MONITORED)]


def build_row(model):
    label = model._meta.label_lower
    assert label in ROW_BUILDERS, f"Give {label} a row builder in this module."
    return ROW_BUILDERS[label]()


def admin_url(model, action: str, *args) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{action}", args=args)


def stored(obj) -> dict:
    """Return the stored values of `obj` and the length of its history."""
    fresh = type(obj)._default_manager.get(pk=obj.pk)
    history = fresh.history.count() if hasattr(fresh, "history") else None
    return {**model_to_dict(fresh), "history": history}


@pytest.fixture
def superuser():
    return UserFactory(username="superuser", is_superuser=True, is_staff=True)


@pytest.fixture
def client_super(superuser) -> Client:
    client = Client()
    client.force_login(superuser)
    return client


def test_admin_site_names_the_product(client_super):
    response = client_super.get(reverse("admin:index"))
    assert response.status_code == 200
    assert admin.site.site_header == "Strategy Monitor administration"
    assert "Strategy Monitor administration" in response.content.decode()


def test_every_project_model_has_an_admin_page():
    registered = {model for model, _ in REGISTERED}
    for app_label in PROJECT_APPS:
        for model in apps.get_app_config(app_label).get_models():
            if not model.__name__.startswith("Historical"):
                assert model in registered, f"{model._meta.label} has no admin page."


@pytest.mark.parametrize(("model", "model_admin"), REGISTERED, ids=REGISTERED_IDS)
def test_monitored_models_and_only_they_are_view_only(model, model_admin):
    label = model._meta.label_lower
    assert isinstance(model_admin, MonitoredAdmin) == (label in MONITORED), label


@pytest.mark.parametrize(("model", "model_admin"), REGISTERED, ids=REGISTERED_IDS)
def test_admin_pages_render(client_super, model, model_admin):
    obj = build_row(model)
    changelist = client_super.get(admin_url(model, "changelist"))
    assert changelist.status_code == 200
    assert changelist.context["cl"].result_count >= 1
    for url in [admin_url(model, "change", obj.pk), admin_url(model, "history", obj.pk)]:
        assert client_super.get(url).status_code == 200, url
    add = client_super.get(admin_url(model, "add"))
    label = model._meta.label_lower
    assert add.status_code == (403 if label in MONITORED | APP_WRITTEN else 200)


@pytest.mark.parametrize("model", MONITORED_MODELS, ids=sorted(MONITORED))
def test_admin_neither_adds_changes_nor_deletes_a_monitored_record(client_super, model):
    obj = build_row(model)
    before = stored(obj)
    count = model._default_manager.count()
    data = {
        name: "" if value is None else str(value)
        for name, value in model_to_dict(obj).items()
        if not isinstance(value, list)
    }
    assert client_super.post(admin_url(model, "add"), data).status_code == 403
    assert client_super.post(admin_url(model, "change", obj.pk), data).status_code == 403
    assert client_super.get(admin_url(model, "delete", obj.pk)).status_code == 403
    assert client_super.post(admin_url(model, "delete", obj.pk), {"post": "yes"}).status_code == 403
    bulk = client_super.post(
        admin_url(model, "changelist"),
        {"action": "delete_selected", admin.helpers.ACTION_CHECKBOX_NAME: [obj.pk], "post": "yes"},
    )
    assert bulk.status_code in (200, 302, 403)
    assert model._default_manager.count() == count
    assert stored(obj) == before


@pytest.mark.parametrize("model", MONITORED_MODELS, ids=sorted(MONITORED))
def test_admin_shows_a_monitored_records_history_without_reverting_it(client_super, model):
    obj = build_row(model)
    obj.save()  # a strategy's years are made in bulk, without a first version
    version = obj.history.first()
    before = stored(obj)
    url = admin_url(model, "simple_history", obj.pk, version.history_id)
    assert client_super.get(admin_url(model, "history", obj.pk)).status_code == 200
    assert client_super.get(url).status_code == 200
    assert client_super.post(url, {}).status_code == 403
    assert stored(obj) == before


def test_admin_change_page_of_a_monitored_record_offers_no_field_to_edit(client_super):
    risk = RiskFactory(likelihood=4, impact=5)
    response = client_super.get(admin_url(type(risk), "change", risk.pk))
    assert not response.context["adminform"].form.fields
    assert ">20<" in response.content.decode()
    assert 'name="_save"' not in response.content.decode()


def test_admin_refuses_to_delete_a_strategy_with_its_monitored_records(client_super):
    strategy = StrategyFactory()
    page = client_super.get(admin_url(type(strategy), "delete", strategy.pk))
    assert page.status_code == 200
    assert "strategy year" in page.context["perms_lacking"]
    response = client_super.post(admin_url(type(strategy), "delete", strategy.pk), {"post": "yes"})
    assert response.status_code == 403
    assert type(strategy).objects.filter(pk=strategy.pk).exists()


def test_read_only_rows_cannot_be_changed_in_the_admin(client_super):
    for label in APP_WRITTEN:
        model = apps.get_model(label)
        obj = build_row(model)
        response = client_super.post(admin_url(model, "change", obj.pk), {})
        assert response.status_code == 403


def test_admin_revokes_a_calendar_feed_by_deleting_its_token(client_super):
    token = build_row(CalendarToken)
    response = client_super.post(admin_url(CalendarToken, "delete", token.pk), {"post": "yes"})
    assert response.status_code == 302
    assert not CalendarToken.objects.exists()


def test_admin_never_shows_a_calendar_secret(client_super):
    token = build_row(CalendarToken)
    for url in [
        admin_url(CalendarToken, "changelist"),
        admin_url(CalendarToken, "change", token.pk),
    ]:
        page = client_super.get(url).content.decode()
        assert token.selector in page
        assert token.secret not in page


@pytest.mark.parametrize(("model", "model_admin"), REGISTERED, ids=REGISTERED_IDS)
def test_admin_changelist_queries_do_not_grow_with_rows(client_super, model, model_admin):
    build_row(model)
    url = admin_url(model, "changelist")
    with CaptureQueriesContext(connection) as one_row:
        assert client_super.get(url).status_code == 200
    build_row(model)
    build_row(model)
    with CaptureQueriesContext(connection) as three_rows:
        assert client_super.get(url).status_code == 200
    assert len(three_rows) == len(one_row), "\n".join(
        query["sql"] for query in three_rows.captured_queries
    )


EDITABLE_REGISTERED = [
    item
    for item in REGISTERED
    if item[0]._meta.app_label in PROJECT_APPS
    and item[0]._meta.label_lower not in MONITORED | APP_WRITTEN
]


@pytest.mark.parametrize(
    ("model", "model_admin"),
    EDITABLE_REGISTERED,
    ids=[model._meta.label_lower for model, _ in EDITABLE_REGISTERED],
)
def test_admin_form_offers_every_editable_field(superuser, model, model_admin):
    request = RequestFactory().get("/")
    request.user = superuser
    shown = set(flatten_fieldsets(model_admin.get_fieldsets(request)))
    editable = {
        field.name
        for field in model._meta.get_fields()
        if getattr(field, "editable", False)
        and (field.concrete or field.many_to_many)
        and not field.auto_created
        and not (field.many_to_many and not field.remote_field.through._meta.auto_created)
    } - {model._meta.pk.name}
    assert editable - HIDDEN_FIELDS.get(model._meta.label_lower, set()) <= shown


def test_admin_shows_amounts_with_thousands_separators(client_super):
    PlannedAmountFactory(amount=Decimal("48000000"))
    response = client_super.get(admin_url(PlannedAmountFactory._meta.model, "changelist"))
    assert "48,000,000" in response.content.decode()


def test_admin_change_is_recorded_in_history_with_its_user(client_super, superuser):
    donor = EarmarkedDonorFactory(amount=Decimal("5000000"))
    response = client_super.post(
        admin_url(type(donor), "change", donor.pk),
        {
            "table": donor.table.pk,
            "rank": donor.rank,
            "donor": donor.donor,
            "amount": "5100000",
            "source": "Annex 3",
        },
    )
    assert response.status_code == 302, response.context["errors"]
    latest = donor.history.first()
    assert (latest.amount, latest.history_user) == (Decimal("5100000"), superuser)
    history = client_super.get(admin_url(type(donor), "history", donor.pk))
    assert "superuser" in history.content.decode()


def test_admin_adds_a_team_member(client_super, superuser):
    strategy = StrategyFactory()
    user = UserFactory()
    response = client_super.post(
        admin_url(TeamMembership, "add"),
        {"strategy": strategy.pk, "user": user.pk, "role": "desk_officer"},
    )
    assert response.status_code == 302, response.context["errors"]
    membership = TeamMembership.objects.get(strategy=strategy, user=user)
    assert membership.history.first().history_user == superuser


def test_admin_deletes_reference_data(client_super):
    donor = EarmarkedDonorFactory()
    response = client_super.post(admin_url(type(donor), "delete", donor.pk), {"post": "yes"})
    assert response.status_code == 302
    assert not type(donor).objects.filter(pk=donor.pk).exists()
