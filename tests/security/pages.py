"""Every page of the site, with a sample address built on the world's records and who uses it.

Both walks of the site read this table: the URL walk (test_url_access.py), which meets every
page with every role, and the browser walk (test_page_walk.py), which opens every page in
Chromium. A new page is added here once, saying who may read it and who may write through it.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from tests.security.world import World

ROLES = ("desk", "finance", "mission", "manager", "admin", "outsider")
TEAM = frozenset({"desk", "finance", "mission"})
READERS = TEAM | {"manager", "admin"}
EVERYONE = READERS | {"outsider"}
DESK = frozenset({"desk"})
FINANCE = frozenset({"finance"})
MANAGER = frozenset({"manager"})
ADMIN = frozenset({"admin"})
# Path converters that name a record of the strategy, rather than the strategy or a year.
RECORD_KWARGS = {"pk", "number", "area"}


@dataclass(frozen=True)
class Page:
    """How one URL pattern is reached and who may use it."""

    kwargs: Callable[[World], dict] = field(default=lambda world: {})
    readers: frozenset[str] = READERS  # whose GET answers `get`; everyone else gets 403
    writers: frozenset[str] | None = None  # whose POST may act; None for read-only pages
    get: int = 200  # the status of an allowed GET (405 for pages that only take POST)
    # What a GET of anyone but the readers answers: 403, or 404 for a record that is one
    # user's alone (a job), whose existence others are not told.
    refused: int = 403
    scoped: bool = True  # the page belongs to one strategy
    slow: bool = False  # renders a document: one reader is enough to prove the sample works


def _slug(world: World) -> dict:
    return {"slug": world.strategy.slug}


def _with(**names: str) -> Callable[[World], dict]:
    """Return kwargs builder: the strategy's slug plus attributes of the world's records."""

    def build(world: World) -> dict:
        values = _slug(world)
        for key, path in names.items():
            value = world
            for part in path.split("."):
                value = getattr(value, part)
            values[key] = value
        return values

    return build


def _job(world: World) -> dict:
    """Return the key of a finished export of the strategy's desk officer, made for the walk.

    A job is its user's alone: the walk's other users, whatever their role, are told it does
    not exist.
    """
    from django.core.files.base import ContentFile

    from priorities.choices import TeamRole
    from reports.models import Job, JobKind, JobState

    owner = world.strategy.team.get(role=TeamRole.DESK_OFFICER).user
    job = Job(
        user=owner,
        kind=JobKind.WORKBOOK,
        title=f'Monitoring workbook · {world.strategy.title} "walk" & co',
        strategy_slug=world.strategy.slug,
        state=JobState.DONE,
        percent=100,
        download_name="walk-monitoring-workbook.xlsx",
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    job.file.save("result", ContentFile(b"PK"), save=False)
    job.save()
    return {"pk": job.pk}


def _year(**names: str) -> Callable[[World], dict]:
    build = _with(**names)
    return lambda world: {**build(world), "year": 2024}


PAGES: dict[str, Page] = {
    # --- Across strategies ---------------------------------------------------------------------
    "home": Page(readers=EVERYONE, scoped=False),
    "priorities:strategy_list": Page(readers=EVERYONE, scoped=False),
    "priorities:strategy_create": Page(readers=ADMIN, writers=ADMIN, scoped=False),
    "priorities:strategy_create_from_onepager": Page(readers=ADMIN, writers=ADMIN, scoped=False),
    "reports:workbook_import": Page(readers=ADMIN, writers=ADMIN, scoped=False),
    "reports:my_tasks": Page(readers=EVERYONE, scoped=False),
    "preferences:userpreference_update": Page(readers=EVERYONE, writers=EVERYONE, scoped=False),
    "engagement:calendar": Page(readers=EVERYONE, scoped=False),
    # Renews the user's own token: anyone logged in, for themselves only.
    "engagement:calendar_renew": Page(readers=EVERYONE, writers=EVERYONE, get=405, scoped=False),
    # --- Priorities ----------------------------------------------------------------------------
    "priorities:strategy_detail": Page(_slug),
    "priorities:priorityarea_list": Page(_slug),
    "priorities:priorityarea_detail": Page(_with(number="area.number")),
    "priorities:priorityarea_detail_by_slug": Page(_with(area="cross_cutting.slug")),
    "priorities:indicator_create": Page(_with(pk="area.pk"), readers=DESK, writers=DESK),
    "priorities:assessment_edit": Page(_year(pk="area.pk"), readers=DESK, writers=DESK),
    "priorities:progress_bulk_edit": Page(_year(pk="area.pk"), readers=DESK, writers=DESK),
    "priorities:indicator_update": Page(_with(pk="indicator.pk"), readers=DESK, writers=DESK),
    "priorities:progress_edit": Page(_year(pk="indicator.pk"), writers=DESK),
    "priorities:evidence_download": Page(_with(pk="evidence.pk")),
    "priorities:evidence_delete": Page(
        _with(pk="evidence.pk"), readers=DESK, writers=DESK, get=405
    ),
    "priorities:strategyyear_action": Page(
        lambda world: {**_slug(world), "year": 2024, "action": "reopen"},
        readers=MANAGER,
        writers=MANAGER,
    ),
    # A year's review: the desk officers submit from it, the managers approve or return.
    "priorities:strategyyear_review": Page(
        lambda world: {**_slug(world), "year": 2024},
        readers=DESK | MANAGER,
        writers=DESK | MANAGER,
    ),
    "reports:strategy_history": Page(_slug),
    "priorities:strategy_update": Page(_slug, readers=ADMIN, writers=ADMIN),
    "priorities:strategyyear_setup": Page(_slug, readers=ADMIN, writers=ADMIN),
    "priorities:priorityarea_setup": Page(_slug, readers=ADMIN, writers=ADMIN),
    "priorities:team_setup": Page(_slug, readers=ADMIN, writers=ADMIN),
    "priorities:framework_setup": Page(_slug, readers=ADMIN, writers=ADMIN),
    "priorities:node_update": Page(_with(pk="node.pk"), readers=ADMIN, writers=ADMIN),
    # --- Risks ---------------------------------------------------------------------------------
    "risks:risk_list": Page(_slug),
    "risks:risk_create": Page(_slug, readers=DESK, writers=DESK),
    "risks:heatmap": Page(_slug),
    "risks:risk_detail": Page(_with(pk="risk.pk")),
    "risks:risk_update": Page(_with(pk="risk.pk"), readers=DESK, writers=DESK),
    "risks:risk_rate": Page(_with(pk="risk.pk"), readers=DESK, writers=DESK),
    "risks:risk_close": Page(_with(pk="risk.pk"), readers=DESK, writers=DESK),
    "risks:risk_reopen": Page(_with(pk="closed_risk.pk"), readers=DESK, writers=DESK),
    # --- Engagement ----------------------------------------------------------------------------
    "engagement:meeting_list": Page(_slug),
    "engagement:meeting_create": Page(_slug, readers=TEAM, writers=TEAM),
    "engagement:meeting_detail": Page(_with(pk="meeting.pk")),
    "engagement:meeting_update": Page(_with(pk="meeting.pk"), readers=TEAM, writers=TEAM),
    "engagement:actionpoint_create": Page(_with(pk="meeting.pk"), readers=TEAM, writers=TEAM),
    "engagement:meeting_minutes": Page(_with(pk="meeting.pk")),
    "engagement:keymessage_list": Page(_with(pk="meeting.pk"), readers=TEAM, writers=TEAM),
    "engagement:keymessage_outcome": Page(_with(pk="meeting.pk"), readers=TEAM, writers=TEAM),
    "engagement:keymessage_actionpoint": Page(
        _with(pk="key_message.pk"), readers=TEAM, writers=TEAM
    ),
    "engagement:actionpoint_list": Page(_slug),
    "engagement:actionpoint_update": Page(_with(pk="action_point.pk"), readers=TEAM, writers=TEAM),
    "engagement:actionpoint_close": Page(_with(pk="action_point.pk"), readers=TEAM, writers=TEAM),
    "engagement:milestone_list": Page(_slug),
    "engagement:milestone_create": Page(_slug, readers=TEAM, writers=TEAM),
    "engagement:milestone_generate": Page(_slug, readers=TEAM, writers=TEAM, get=405),
    "engagement:milestone_update": Page(_with(pk="milestone.pk"), readers=TEAM, writers=TEAM),
    "engagement:milestone_done": Page(
        _with(pk="milestone.pk"), readers=TEAM, writers=TEAM, get=405
    ),
    "engagement:milestone_delete": Page(_with(pk="milestone.pk"), readers=TEAM, writers=TEAM),
    "engagement:milestone_review": Page(_slug, readers=DESK | MANAGER, writers=DESK | MANAGER),
    "engagement:milestone_review_report": Page(_slug),
    # --- Funding -------------------------------------------------------------------------------
    "funding:budget": Page(_slug),
    "funding:budget_setup": Page(_slug, readers=ADMIN, writers=ADMIN),
    "funding:plannedamount_revise": Page(
        _with(pk="planned.pk"), readers=FINANCE | ADMIN, writers=FINANCE | ADMIN
    ),
    "engagement:rhythm_setup": Page(_slug, readers=ADMIN, writers=ADMIN),
    "funding:parliamentaryapproval_list": Page(_slug),
    "funding:parliamentaryapproval_create": Page(_slug, readers=FINANCE, writers=FINANCE),
    "funding:parliamentaryapproval_detail": Page(_with(pk="approval.pk")),
    "funding:parliamentaryapproval_update": Page(
        _with(pk="approval.pk"), readers=FINANCE, writers=FINANCE
    ),
    "funding:parliamentaryapproval_delete": Page(
        _with(pk="approval.pk"), readers=FINANCE, writers=FINANCE
    ),
    "funding:commitment_list": Page(_slug),
    "funding:commitment_create": Page(_slug, readers=FINANCE, writers=FINANCE),
    "funding:commitment_detail": Page(_with(pk="commitment.pk")),
    "funding:commitment_update": Page(_with(pk="commitment.pk"), readers=FINANCE, writers=FINANCE),
    "funding:commitment_delete": Page(_with(pk="commitment.pk"), readers=FINANCE, writers=FINANCE),
    "funding:disbursement_list": Page(_slug),
    "funding:disbursement_create": Page(_slug, readers=FINANCE, writers=FINANCE),
    "funding:disbursement_detail": Page(_with(pk="disbursement.pk")),
    "funding:disbursement_update": Page(
        _with(pk="disbursement.pk"), readers=FINANCE, writers=FINANCE
    ),
    "funding:disbursement_delete": Page(
        _with(pk="disbursement.pk"), readers=FINANCE, writers=FINANCE
    ),
    "funding:allocationround_list": Page(_slug),
    "funding:allocationround_create": Page(_slug, readers=FINANCE, writers=FINANCE),
    "funding:allocationround_detail": Page(_with(pk="round.pk")),
    "funding:allocationround_update": Page(_with(pk="round.pk"), readers=FINANCE, writers=FINANCE),
    "funding:allocation_create": Page(_with(pk="round.pk"), readers=FINANCE, writers=FINANCE),
    "funding:allocation_detail": Page(_with(pk="allocation.pk")),
    "funding:allocation_update": Page(_with(pk="allocation.pk"), readers=FINANCE, writers=FINANCE),
    "funding:allocation_decide": Page(_with(pk="allocation.pk"), readers=MANAGER, writers=MANAGER),
    "funding:donortable_list": Page(_slug),
    # --- Reports -------------------------------------------------------------------------------
    "reports:strategy_dashboard": Page(_slug),
    "reports:brief_download": Page(_year(), slow=True),
    "reports:workbook_download": Page(_slug, slow=True),
    "reports:iati_download": Page(_slug, slow=True),
    # Issuing is for whoever keeps the meetings, and administrators; withdrawing for the latter.
    "reports:issuedbrief_issue": Page(_slug, readers=TEAM | ADMIN, writers=TEAM | ADMIN),
    "reports:issuedbrief_download": Page(_with(pk="issued_brief.pk")),
    "reports:issuedbrief_withdraw": Page(_with(pk="issued_brief.pk"), readers=ADMIN, writers=ADMIN),
    # Starting a long export: a POST by anyone who may see the strategy, then the job's page.
    "reports:brief_annex_start": Page(_year(), readers=READERS, writers=READERS, get=405),
    "reports:workbook_start": Page(_slug, readers=READERS, writers=READERS, get=405),
    # --- Jobs: each user's own exports and imports -----------------------------------------------
    "reports:job_list": Page(readers=EVERYONE, scoped=False),
    "reports:portfolio_export_start": Page(
        readers=EVERYONE, writers=EVERYONE, get=405, scoped=False
    ),
    "reports:job_detail": Page(_job, readers=DESK, refused=404, scoped=False),
    "reports:job_status": Page(_job, readers=DESK, refused=404, scoped=False),
    "reports:job_download": Page(_job, readers=DESK, refused=404, scoped=False, slow=True),
    # --- Search: anyone logged in, across the strategies each may see ----------------------------
    "reports:search": Page(readers=EVERYONE, scoped=False),
    # The exact DKK of an amount as typed, for the echo under amount fields (JSON).
    "amount_exact": Page(readers=EVERYONE, scoped=False),
}

# Further samples of a pattern whose address chooses what it does. The year's workflow steps
# were such a pattern; they are decided on the review page now, and only reopening is left.
VARIANTS: dict[str, Page] = {}
