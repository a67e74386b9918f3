"""Every page of the site needs a login, and refuses outsiders and the wrong role.

The walk goes through every URL pattern the resolver knows, recursively, and fills its path
converters from a table of samples built on real records. A pattern without a sample fails the
walk, so no new page escapes it: add the page to PAGES in tests/security/pages.py, saying who
may read it and who may write through it.

For each page: an anonymous GET and POST are sent to the login page; every role's GET answers
the page to its readers and 403 to everyone else (the outsider is a desk officer of another
strategy); a POST by anyone who may not write answers 403 and changes no record; the page's
records cannot be reached through the outsider's own strategy's address (404); and a POST by
those who may write reaches the page (the form answers, or the step redirects). This walk is
the one place where every role meets every page; the apps' own tests check what a page does.

Every page a reader gets must show its markup as markup, never escaped into text; a page that
offers its table as CSV and XLSX must give plain values in them, without tags or entities. The
world's texts hold quotes and ampersands and its records are illustrative, so both would show.
"""

import re
from collections.abc import Iterator

import pytest
from django.apps import apps
from django.conf import settings
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.security.markup import download_cells, escaped_markup, marked_cells
from tests.security.pages import PAGES, RECORD_KWARGS, ROLES, VARIANTS

pytestmark = pytest.mark.django_db

# Pages that answer without a login; logging out is tested on its own below. The sign-in flow
# and the page for accounts without a role are reached before any login (tests/sso).
PUBLIC = {
    "login",
    "logout",
    "healthz",
    "privacy",
    "javascript_catalog",
    "accessibility",
    "no_access",
    # The language switch: before login it sets the language cookie (tests/strategy_monitor).
    "preferences:language_set",
    "oidc_authentication_init",
    "oidc_authentication_callback",
}
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
# The admin site's pages, many generated per model, are walked by their own test below. The
# API answers 401 rather than the login page and 404 for another strategy's records: its own
# walk is tests/api/test_access.py.
ADMIN_PATTERNS = [(key, route) for key, route in ALL_PATTERNS if route.startswith("admin/")]
APP_KEYS = sorted(
    {key for key, route in ALL_PATTERNS if not route.startswith(("admin/", "api/"))}
    - PUBLIC
    - TOKEN_FEEDS
)


def test_every_url_pattern_has_a_sample():
    missing = [key for key in APP_KEYS if key not in PAGES]
    assert not missing, (
        f"No sample for {missing}: add each to PAGES in tests.security.pages, "
        "with who may read and write."
    )
    known = {key for key, _ in ALL_PATTERNS}
    stale = sorted({*PAGES, *(sample.split("/")[0] for sample in VARIANTS)} - known)
    assert not stale, f"PAGES names patterns that no longer exist: {stale}"


SAMPLES = APP_KEYS + sorted(VARIANTS)
# The apps whose records a refused POST must leave as they were (their history rows included).
RECORD_APPS = ("priorities", "funding", "risks", "engagement", "reports")


def _records() -> dict[str, list[tuple]]:
    """Return every row of the apps' models, each with all its columns."""
    state = {}
    for label in RECORD_APPS:
        for model in apps.get_app_config(label).get_models():
            columns = [column.attname for column in model._meta.concrete_fields]
            state[model._meta.label] = list(model.objects.order_by("pk").values_list(*columns))
    return state


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


@pytest.mark.parametrize("sample", SAMPLES)
def test_page_needs_login_and_refuses_outsiders_and_wrong_roles(sample, site):
    world, clients = site.world, site.clients
    key = sample.split("/")[0]
    page = PAGES.get(sample) or VARIANTS.get(sample)
    if page is None:
        pytest.fail(f"No sample for {key}: add it to PAGES in tests.security.pages.")
    kwargs = page.kwargs(world)
    named = ":" in key or key in {"home", "amount_exact"}
    url = reverse(key, kwargs=kwargs) if named else "/" + key
    login = reverse(settings.LOGIN_URL)
    problems = []

    anonymous = Client()
    response = anonymous.get(url)
    if not _sends_to_login(response, login):
        problems.append(f"anonymous GET answered {response.status_code}")

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
            expected = page.refused
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

    # Refused POSTs: the anonymous user's, each role's that may not write, and the outsider's
    # through the outsider's own strategy's address. None of them changes a record.
    before = _records()
    response = anonymous.post(url)
    if not _sends_to_login(response, login):
        problems.append(f"anonymous POST answered {response.status_code}")
    writers = page.writers or frozenset()
    # A read-only page refuses its readers' POST as a method it does not take.
    refusals = {403} if page.writers is not None else {403, 405}
    for role in ROLES:
        if role not in writers:
            status = clients[role].post(url, {}).status_code
            if status not in refusals:
                problems.append(f"{role} POST answered {status}, expected 403")

    if page.scoped and RECORD_KWARGS & kwargs.keys():
        # The outsider's own strategy's address with this strategy's record: not found.
        swapped = reverse(key, kwargs={**kwargs, "slug": world.other.slug})
        for method in ("get", "post"):
            status = getattr(clients["outsider"], method)(swapped).status_code
            if status not in (403, 404, 405):
                problems.append(f"outsider {method.upper()} via own strategy answered {status}")
    changed = [label for label, rows in _records().items() if before[label] != rows]
    if changed:
        problems.append(f"refused POSTs changed {changed}")

    # Last, as it may change the records: an empty POST by one who may write reaches the
    # page, which answers with the form's errors or does its step (a delete) and redirects.
    if writers:
        role = min(writers, key=ROLES.index)
        status = clients[role].post(url, {}).status_code
        if status not in (200, 302):
            problems.append(f"{role} POST answered {status}, expected 200 or 302")

    assert not problems, f"{url}: " + "; ".join(problems)


@pytest.mark.parametrize("key", ["login", "healthz", "accessibility"])
def test_public_pages_answer_without_login(key):
    assert Client().get(reverse(key)).status_code == 200


def test_logout_takes_only_post(client_desk):
    assert client_desk.get(reverse("logout")).status_code == 405
    response = client_desk.post(reverse("logout"))
    assert response.status_code == 302
    assert response["Location"] == reverse("login")


def test_calendar_feeds_need_their_token_not_a_login(site):
    world = site.world
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
