"""In Chromium on a phone's screen, every page opens, keeps to the policy and fits the width.

One walk through the site's pages (the table in tests/security/pages.py), each opened by one of
its readers, makes every check that needs a browser on each page: it answers 200, Chromium
reports no console error (refused scripts, styles and connections of the Content Security
Policy among them) and no script fails, its visible text shows no markup (a tag or an entity
printed as text), and the page is no wider than a 390 px phone (but for the pages listed in
KNOWN_WIDE). Problems are collected page by page and reported together at the end. Who may
open which page, and markup escaped in the HTML, are checked by the URL walk
(test_url_access.py) with the test client, for every role.
"""

import pytest
from django.urls import reverse

from tests.priorities.builders import media_root  # noqa: F401
from tests.security.markup import visible_markup
from tests.security.pages import PAGES, ROLES, VARIANTS, Page

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
# Answers that are files, not pages: the browser would download them.
FILES = {
    "priorities:evidence_download",
    "engagement:meeting_minutes",
    "reports:brief_download",
    "reports:workbook_download",
    "reports:iati_download",
    "reports:issuedbrief_download",
    "reports:job_download",
    "reports:job_status",
}
# Pages wider than a phone when this walk was written: each scrolls sideways as a whole, most
# for a table outside a scrolling panel. The walk fails when another page joins them, and when
# one of them fits, so that it leaves the list.
KNOWN_WIDE = {
    "home",
    "engagement:meeting_detail",
    "engagement:milestone_list",
    "priorities:strategy_detail",
    "priorities:priorityarea_list",
    "reports:strategy_history",
    "priorities:strategyyear_setup",
    "funding:budget_setup",
    "priorities:framework_setup",
    "funding:budget",
    "funding:parliamentaryapproval_detail",
    "funding:commitment_detail",
    "funding:disbursement_detail",
    "funding:allocationround_detail",
    "funding:allocation_detail",
    "reports:strategy_dashboard",
}
USERNAMES = {
    "desk": "desk",
    "finance": "finance",
    "mission": "mission",
    "manager": "manager",
    "admin": "administrator",
}
# The elements that stick out to the right of the screen, skipping those inside a panel that
# scrolls sideways on its own (a table's), whose overflow the panel holds.
OVERFLOW = """
() => {
    const width = document.documentElement.clientWidth;
    const scrolls = (element) => {
        for (let node = element.parentElement; node; node = node.parentElement) {
            const overflow = getComputedStyle(node).overflowX;
            if (overflow === "auto" || overflow === "scroll" || overflow === "hidden") return true;
        }
        return false;
    };
    const wide = [];
    for (const element of document.body.querySelectorAll("*")) {
        if (element.getBoundingClientRect().right > width + 1 && !scrolls(element)) {
            const name = element.tagName.toLowerCase();
            wide.push(element.className ? `${name}.${element.className}` : name);
        }
    }
    return {scroll: document.documentElement.scrollWidth, width, wide: wide.slice(0, 5)};
}
"""


def walk_plan() -> dict[str, list[tuple[str, Page]]]:
    """Return, for each role, the pages it opens: each page by its first reader."""
    plan: dict[str, list[tuple[str, Page]]] = {role: [] for role in USERNAMES}
    for sample, page in {**PAGES, **VARIANTS}.items():
        if page.get != 200 or sample.split("/")[0] in FILES:
            continue
        role = next(role for role in ROLES if role in page.readers)
        plan[role].append((sample, page))
    return plan


def test_every_page_opens_within_the_policy_and_fits_a_phone(
    browser,
    live_server,
    browser_login,
    world,
    finance,
    mission,
    manager,
    admin_user,
):
    problems: list[str] = []
    for role, samples in walk_plan().items():
        context = browser.new_context(viewport=PHONE)
        page = context.new_page()
        seen: list[str] = []
        page.on(
            "console",
            lambda message, seen=seen: (
                seen.append(message.text) if message.type == "error" else None
            ),
        )
        page.on("pageerror", lambda error, seen=seen: seen.append(str(error)))
        browser_login(page, USERNAMES[role])
        for sample, entry in samples:
            key = sample.split("/")[0]
            path = reverse(key, kwargs=entry.kwargs(world))
            seen.clear()
            response = page.goto(live_server.url + path)
            if response.status != 200:
                problems.append(f"{path} ({role}) answered {response.status}")
                continue
            problems.extend(
                f"{path} ({role}) shows markup as text: {bit!r}"
                for bit in visible_markup(page.inner_text("body"))
            )
            fit = page.evaluate(OVERFLOW)
            wide = fit["scroll"] > fit["width"]
            if wide and sample not in KNOWN_WIDE:
                problems.append(
                    f"{path} ({role}) is {fit['scroll']} px wide on a {fit['width']} px "
                    f"screen: {', '.join(fit['wide'])}"
                )
            elif not wide and sample in KNOWN_WIDE:
                problems.append(f"{path} ({role}) now fits: take {sample} out of KNOWN_WIDE")
            problems.extend(f"{path} ({role}): {text}" for text in seen)
        context.close()
    assert not problems, "\n".join(problems)
