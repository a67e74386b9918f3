"""Every page of the site needs a login, and refuses outsiders and the wrong role.

The walk goes through every URL pattern the resolver knows, recursively, and fills its path
converters from a table of samples built on real records. A pattern without a sample fails the
walk, so no new page escapes it: add the page to PAGES below, saying who may read it and who
may write through it.

For each page: an anonymous GET and POST are sent to the login page; every role's GET answers
the page to its readers and 403 to everyone else (the outsider is a desk officer of another
strategy); a POST by anyone who may not write answers 403; and the page's records cannot be
reached through the outsider's own strategy's address (404).

Every page a reader gets must show its markup as markup, never escaped into text; a page that
offers its table as CSV and XLSX must give plain values in them, without tags or entities. The
world's texts hold quotes and ampersands and its records are illustrative, so both would show.
"""

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

import pytest
from django.conf import settings
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.priorities.builders import media_root  # noqa: F401
from tests.security.markup import download_cells, escaped_markup, marked_cells
from tests.security.world import World

pytestmark = pytest.mark.django_db

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


def _year(**names: str) -> Callable[[World], dict]:
    build = _with(**names)
    return lambda world: {**build(world), "year": 2024}


PAGES: dict[str, Page] = {
    # --- Across strategies ---------------------------------------------------------------------
    "home": Page(readers=EVERYONE, scoped=False),
    "priorities:strategy_list": Page(readers=EVERYONE, scoped=False),
    "priorities:strategy_create": Page(readers=ADMIN, writers=ADMIN, scoped=False),
    "reports:workbook_import": Page(readers=ADMIN, writers=ADMIN, scoped=False),
    "engagement:my_tasks": Page(readers=EVERYONE, scoped=False),
    "engagement:calendar": Page(readers=EVERYONE, scoped=False),
    # Renews the user's own token: anyone logged in, for themselves only.
    "engagement:calendar_renew": Page(readers=EVERYONE, get=405, scoped=False),
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
        lambda world: {**_slug(world), "year": 2024, "action": "submit"},
        readers=DESK,
        writers=DESK,
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
    # --- Funding -------------------------------------------------------------------------------
    "funding:budget": Page(_slug),
    "funding:budget_setup": Page(_slug, readers=ADMIN, writers=ADMIN),
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
}

# Pages that answer without a login; logging out is tested on its own below.
PUBLIC = {"login", "logout", "healthz"}
# Calendar feeds: the token in the address is the credential, so no login is asked.
TOKEN_FEEDS = {"engagement:user_calendar", "engagement:strategy_calendar"}


def site_patterns(
    resolver: URLResolver | None = None, prefix: str = "", namespace: str = ""
) -> Iterator[tuple[str, str]]:
    """Yield (key, route) for every URL pattern: "namespace:name", or the route if unnamed."""
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            inner = namespace
            if pattern.namespace:
                inner = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
            yield from site_patterns(pattern, route, inner)
        elif isinstance(pattern, URLPattern):
            name = f"{namespace}:{pattern.name}" if namespace and pattern.name else pattern.name
            yield name or route, route


ALL_PATTERNS = sorted(set(site_patterns()))
# The admin site's pages, many generated per model, are walked by their own test below.
ADMIN_PATTERNS = [(key, route) for key, route in ALL_PATTERNS if route.startswith("admin/")]
APP_KEYS = sorted(
    {key for key, route in ALL_PATTERNS if not route.startswith("admin/")} - PUBLIC - TOKEN_FEEDS
)


def test_every_url_pattern_has_a_sample():
    missing = [key for key in APP_KEYS if key not in PAGES]
    assert not missing, (
        f"No sample for {missing}: add each to PAGES in {__name__}, with who may read and write."
    )
    known = {key for key, _ in ALL_PATTERNS}
    stale = sorted(set(PAGES) - known)
    assert not stale, f"PAGES names patterns that no longer exist: {stale}"


def _sends_to_login(response, login_path: str) -> bool:
    return response.status_code == 302 and response["Location"].startswith(login_path + "?next=")


EXPORT_FORMATS = ("csv", "xlsx")
# The list pages known to offer their table as a download: each must go on offering it.
TABLE_DOWNLOADS = {
    "priorities:priorityarea_detail",
    "priorities:priorityarea_detail_by_slug",
    "risks:risk_list",
    "engagement:meeting_list",
    "engagement:actionpoint_list",
    "engagement:milestone_list",
    "funding:budget",
    "funding:parliamentaryapproval_list",
    "funding:commitment_list",
    "funding:disbursement_list",
    "funding:allocationround_list",
}


def _markup_problems(response, role: str) -> list[str]:
    """Return a problem for each piece of markup that a page shows escaped, as text."""
    if response.status_code != 200 or not response["Content-Type"].startswith("text/html"):
        return []
    return [
        f"{role} GET shows escaped markup: …{found}…"
        for found in escaped_markup(response.content.decode())
    ]


def _offers_downloads(response) -> bool:
    return (
        response.status_code == 200
        and response["Content-Type"].startswith("text/html")
        and b"_export=csv" in response.content
    )


def _download_problems(client: Client, url: str, role: str) -> list[str]:
    """Return a problem for each table download that fails or holds a tag or an entity."""
    problems = []
    for export_format in EXPORT_FORMATS:
        response = client.get(url, {"_export": export_format})
        if response.status_code != 200 or "attachment" not in response.get(
            "Content-Disposition", ""
        ):
            problems.append(f"{role} {export_format} download answered {response.status_code}")
            continue
        for cell in marked_cells(download_cells(response)):
            problems.append(f"{role} {export_format} download holds markup: {cell!r}")
    return problems


@pytest.mark.parametrize("key", APP_KEYS)
def test_page_needs_login_and_refuses_outsiders_and_wrong_roles(key, world, clients):
    if key not in PAGES:
        pytest.fail(f"No sample for {key}: add it to PAGES in {__name__}.")
    page = PAGES[key]
    kwargs = page.kwargs(world)
    url = reverse(key, kwargs=kwargs) if ":" in key or key in {"home"} else "/" + key
    login = reverse(settings.LOGIN_URL)
    problems = []

    anonymous = Client()
    for method in ("get", "post"):
        response = getattr(anonymous, method)(url)
        if not _sends_to_login(response, login):
            problems.append(f"anonymous {method.upper()} answered {response.status_code}")

    checked_reader = False
    checked_downloads = False
    for role in ROLES:
        is_reader = role in page.readers
        if is_reader:
            if page.slow and checked_reader:
                continue
            checked_reader = True
            expected = page.get
        else:
            expected = 403
        response = clients[role].get(url)
        status = response.status_code
        if status != expected:
            problems.append(f"{role} GET answered {status}, expected {expected}")
        if is_reader:
            problems.extend(_markup_problems(response, role))
            # The downloads hold the same rows for every reader: one reader checks them.
            if not checked_downloads and _offers_downloads(response):
                checked_downloads = True
                problems.extend(_download_problems(clients[role], url, role))
    if key in TABLE_DOWNLOADS and not checked_downloads:
        problems.append("no reader was offered the table as CSV and XLSX")
        if page.writers is not None and role not in page.writers:
            status = clients[role].post(url, {}).status_code
            if status != 403:
                problems.append(f"{role} POST answered {status}, expected 403")

    if page.scoped and RECORD_KWARGS & kwargs.keys():
        # The outsider's own strategy's address with this strategy's record: not found.
        swapped = reverse(key, kwargs={**kwargs, "slug": world.other.slug})
        for method in ("get", "post"):
            status = getattr(clients["outsider"], method)(swapped).status_code
            if status not in (403, 404, 405):
                problems.append(f"outsider {method.upper()} via own strategy answered {status}")

    assert not problems, f"{url}: " + "; ".join(problems)


@pytest.mark.parametrize("key", ["login", "healthz"])
def test_public_pages_answer_without_login(key):
    assert Client().get(reverse(key)).status_code == 200


def test_logout_takes_only_post(client_desk):
    assert client_desk.get(reverse("logout")).status_code == 405
    response = client_desk.post(reverse("logout"))
    assert response.status_code == 302
    assert response["Location"] == reverse("login")


def test_calendar_feeds_need_their_token_not_a_login(world):
    anonymous = Client()
    token = world.calendar.token
    assert anonymous.get(reverse("engagement:user_calendar", args=[token])).status_code == 200
    assert anonymous.get(reverse("engagement:user_calendar", args=["x" * 40])).status_code == 404
    feed = reverse("engagement:strategy_calendar", args=[world.strategy.slug, token])
    assert anonymous.get(feed).status_code == 200
    # Another strategy's user's token opens nothing of this strategy.
    foreign = reverse(
        "engagement:strategy_calendar", args=[world.strategy.slug, world.other_calendar.token]
    )
    assert anonymous.get(foreign).status_code == 404
    assert anonymous.post(reverse("engagement:user_calendar", args=[token])).status_code == 405


def _admin_url(route: str) -> str:
    """Fill an admin route's converters with harmless values; the admin asks for login first."""
    if "(?P<app_label>" in route:
        return "/admin/priorities/"
    if "(?P<url>" in route:
        # The admin's catch-all, which answers unknown admin addresses.
        return "/admin/no-such-page/"
    url = re.sub(r"<[^>]+>", "1", route)  # path converters
    url = re.sub(r"\([^)]*\)", "1", url).strip("^$")  # regex groups (history pages)
    return "/" + url


@pytest.mark.parametrize(("key", "route"), ADMIN_PATTERNS, ids=[key for key, _ in ADMIN_PATTERNS])
def test_admin_pages_are_for_staff_only(key, route, client_desk):
    if key == "admin:login":
        assert Client().get("/" + route).status_code == 200
        return
    if key == "admin:logout":
        # Logging out shows nothing; without a POST it only redirects.
        assert client_desk.get("/" + route).status_code in (302, 405)
        return
    url = _admin_url(route)
    logins = (reverse("login") + "?next=", reverse("admin:login") + "?next=")
    # Anonymous users go to a login page (the site's or the admin's); so do non-staff users.
    for client in (Client(), client_desk):
        response = client.get(url)
        assert response.status_code == 302, (url, response.status_code)
        assert response["Location"].startswith(logins), (url, response["Location"])
