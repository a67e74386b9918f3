"""In Chromium on a phone's and a tablet's screen, every page opens, keeps to the policy and fits.

One walk through the site's pages (the table in tests/security/pages.py), each opened by one of
its readers, makes every check that needs a browser on each page: it answers 200, Chromium
reports no console error (refused scripts, styles and connections of the Content Security
Policy among them) and no script fails, its visible text shows no markup (a tag or an entity
printed as text), and the page does not scroll sideways at 320 px (WCAG's reflow width) nor at
768 px: only a table's own scroll panel may. Problems are collected page by page and reported
together at the end. Who may open which page, and markup escaped in the HTML, are checked by
the URL walk (test_url_access.py) with the test client, for every role.
"""

import pytest
from django.urls import reverse

from tests.priorities.builders import media_root  # noqa: F401
from tests.security.markup import visible_markup
from tests.security.pages import PAGES, ROLES, VARIANTS, Page

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# The narrowest screen WCAG asks content to reflow to (1.4.10), then a tablet held upright. Each
# page is opened at the first width and measured again at the second, in the same tab.
WIDTHS = (320, 768)
HEIGHT = 800
# Answers that are files, not pages: the browser would download them.
FILES = {
    "priorities:evidence_download",
    "engagement:meeting_minutes",
    "engagement:milestone_review_report",
    "reports:brief_download",
    "reports:workbook_download",
    "reports:iati_download",
    "reports:issuedbrief_download",
    "reports:job_download",
    "reports:job_status",
    "amount_exact",
}
USERNAMES = {
    "desk": "desk",
    "finance": "finance",
    "mission": "mission",
    "manager": "manager",
    "admin": "administrator",
}
# Whether the page scrolls sideways (document.scrollingElement.scrollWidth > innerWidth) and, to
# say why, the elements that stick out to the right of the screen, skipping those inside a panel
# that scrolls sideways on its own (a table's), whose overflow the panel holds.
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
    return {
        scroll: document.scrollingElement.scrollWidth,
        width: window.innerWidth,
        wide: wide.slice(0, 5),
    };
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


def test_every_page_opens_within_the_policy_and_fits_a_phone_and_a_tablet(
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
    narrow = WIDTHS[0]
    for role, samples in walk_plan().items():
        context = browser.new_context(viewport={"width": narrow, "height": HEIGHT})
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
            page.set_viewport_size({"width": narrow, "height": HEIGHT})
            response = page.goto(live_server.url + path)
            if response.status != 200:
                problems.append(f"{path} ({role}) answered {response.status}")
                continue
            problems.extend(
                f"{path} ({role}) shows markup as text: {bit!r}"
                for bit in visible_markup(page.inner_text("body"))
            )
            for width in WIDTHS:
                if width != narrow:
                    page.set_viewport_size({"width": width, "height": HEIGHT})
                fit = page.evaluate(OVERFLOW)
                if fit["scroll"] > fit["width"]:
                    problems.append(
                        f"{path} ({role}) is {fit['scroll']} px wide on a {fit['width']} px "
                        f"screen: {', '.join(fit['wide'])}"
                    )
            problems.extend(f"{path} ({role}): {text}" for text in seen)
        context.close()
    assert not problems, "\n".join(problems)
