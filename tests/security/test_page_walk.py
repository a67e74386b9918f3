"""In Chromium, every page opens, keeps to the policy, fits a phone and a tablet, and meets WCAG.

One walk through the site's pages (the table in tests/security/pages.py), each opened by one of
its readers, makes every check that needs a browser on each page: it answers 200, Chromium
reports no console error (refused scripts, styles and connections of the Content Security
Policy among them) and no script fails, its visible text shows no markup (a tag or an entity
printed as text), and the page does not scroll sideways at 320 px (WCAG's reflow width) nor at
768 px: only a table's own scroll panel may. On the way, axe-core checks each page against the
rules of WCAG 2.0 and 2.1 at levels A and AA (tests/security/axe.py): every page at a desktop's
width in English and in Danish, and the key pages (KEY_PAGES) for every role that reads them at
a desktop's and at a phone's width, with the error summary of a refused form among them.
Problems are collected page by page and reported together at the end. Who may open which page,
and markup escaped in the HTML, are checked by the URL walk (test_url_access.py) with the test
client, for every role.

With A11Y_RECORD naming a file, the walk writes there what axe checked and found (the record
that strategy_monitor/accessibility_check.json keeps from the last full run).
"""

import os

import pytest
from django.urls import reverse

from tests.priorities.builders import media_root  # noqa: F401
from tests.security.axe import AxeRecord, axe_check, axe_source
from tests.security.markup import visible_markup
from tests.security.pages import PAGES, ROLES, VARIANTS, Page

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# The narrowest screen WCAG asks content to reflow to (1.4.10), then a tablet held upright. Each
# page is opened at the first width and measured again at the second, in the same tab.
WIDTHS = (320, 768)
HEIGHT = 800
# Where axe looks: a desktop's screen, and a phone's (a common one, wider than WCAG's reflow).
DESKTOP = 1440
PHONE = 390
# The pages every user works in most, checked by axe as each role that reads them sees them, at
# both widths: the overview, a priority area and its year's grid of figures, the budget, the
# risks, a meeting's form, the user's own tasks, and the portfolio's and the strategy's
# dashboards. The failed meeting form (FAILED_FORM) is added for the roles that may write it.
KEY_PAGES = (
    "priorities:strategy_detail",
    "priorities:priorityarea_detail",
    "priorities:progress_bulk_edit",
    "funding:budget",
    "risks:risk_list",
    "engagement:meeting_create",
    "reports:my_tasks",
    "home",
    "reports:strategy_dashboard",
)
FAILED_FORM = "engagement:meeting_create"
# Milliseconds for static/js/charts.js to draw a chart again after the window's width changed.
CHART_REDRAW = 400
ENGLISH, DANISH = "en-gb", "da"
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
    # A desk officer of another strategy: the key pages open to everyone, as they see them.
    "outsider": "outsider",
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


def key_pages(role: str) -> list[tuple[str, Page]]:
    """Return the key pages `role` reads but is not the walk's first reader of."""
    return [
        (key, PAGES[key])
        for key in KEY_PAGES
        if role in PAGES[key].readers
        and next(first for first in ROLES if first in PAGES[key].readers) != role
    ]


def screen(page, width: int) -> None:
    """Give the tab a screen `width` pixels wide, with no page in it.

    The page drawn for the last screen is left first: made narrower in place, its charts would
    be drawn again for the narrower screen as the next page loads, and anything said of that
    would be taken for the next page's errors.
    """
    if page.viewport_size["width"] != width:
        page.goto("about:blank")
        page.set_viewport_size({"width": width, "height": HEIGHT})


def test_every_page_opens_within_the_policy_fits_a_phone_and_a_tablet_and_meets_wcag(
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
    record = AxeRecord()
    narrow = WIDTHS[0]

    def axe(page, path: str, role: str, width: int, language: str) -> None:
        if page.viewport_size["width"] != width:
            page.set_viewport_size({"width": width, "height": HEIGHT})
            # A chart that crossed a breakpoint is drawn again after the resize has settled.
            if page.evaluate("() => document.querySelector('div.chart') !== null"):
                page.wait_for_timeout(CHART_REDRAW)
        where = f"{path} ({role}, {width} px, {language})"
        problems.extend(axe_check(page, where, path, record, width=width, language=language))

    for role, samples in walk_plan().items():
        context = browser.new_context(viewport={"width": narrow, "height": HEIGHT})
        # axe-core is ready in every page the context opens, as the page's own scripts start.
        context.add_init_script(script=axe_source())
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
        opened: list[str] = []
        for sample, entry in samples:
            key = sample.split("/")[0]
            path = reverse(key, kwargs=entry.kwargs(world))
            screen(page, narrow)
            seen.clear()
            response = page.goto(live_server.url + path)
            if response.status != 200:
                problems.append(f"{path} ({role}) answered {response.status}")
                continue
            opened.append(path)
            problems.extend(
                f"{path} ({role}) shows markup as text: {bit!r}"
                for bit in visible_markup(page.inner_text("body"))
            )
            # From the narrowest screen to the widest, as a window is widened: the charts, drawn
            # for the first, are drawn again as they cross their breakpoints.
            for width in (*WIDTHS, DESKTOP):
                if key in KEY_PAGES and narrow < PHONE < width == WIDTHS[1]:
                    axe(page, path, role, PHONE, ENGLISH)
                if width == DESKTOP:
                    axe(page, path, role, DESKTOP, ENGLISH)
                    continue
                if width != narrow:
                    page.set_viewport_size({"width": width, "height": HEIGHT})
                fit = page.evaluate(OVERFLOW)
                if fit["scroll"] > fit["width"]:
                    problems.append(
                        f"{path} ({role}) is {fit['scroll']} px wide on a {fit['width']} px "
                        f"screen: {', '.join(fit['wide'])}"
                    )
            problems.extend(f"{path} ({role}): {text}" for text in seen)
        # The key pages this role reads after another's first look, at both widths.
        for key, entry in key_pages(role):
            path = reverse(key, kwargs=entry.kwargs(world))
            screen(page, PHONE)
            seen.clear()
            response = page.goto(live_server.url + path)
            if response.status != 200:
                problems.append(f"{path} ({role}) answered {response.status}")
                continue
            axe(page, path, role, PHONE, ENGLISH)
            axe(page, path, role, DESKTOP, ENGLISH)
            problems.extend(f"{path} ({role}): {text}" for text in seen)
        # A refused form: its error summary and the fields it points to.
        if role in (PAGES[FAILED_FORM].writers or ()):
            path = reverse(FAILED_FORM, kwargs=PAGES[FAILED_FORM].kwargs(world))
            screen(page, PHONE)
            seen.clear()
            page.goto(live_server.url + path)
            page.locator("main form[method=post] button[type=submit]").first.click()
            page.wait_for_selector("#error-summary")
            where = f"{path} refused"
            axe(page, where, role, PHONE, ENGLISH)
            axe(page, where, role, DESKTOP, ENGLISH)
            problems.extend(f"{where} ({role}): {text}" for text in seen)
        # Every page again in Danish, at a desktop's width.
        context.add_cookies([{"name": "django_language", "value": DANISH, "url": live_server.url}])
        screen(page, DESKTOP)
        for path in opened:
            seen.clear()
            response = page.goto(live_server.url + path)
            if response.status != 200:
                problems.append(f"{path} ({role}, {DANISH}) answered {response.status}")
                continue
            axe(page, path, role, DESKTOP, DANISH)
            problems.extend(f"{path} ({role}, {DANISH}): {text}" for text in seen)
        context.close()
    if target := os.environ.get("A11Y_RECORD"):
        record.write(target)
    assert not problems, "\n".join(problems)
