"""Change reasons fit the change log: shortened with an ellipsis, on a word where possible."""

import re
from pathlib import Path

import pytest

from strategy_monitor.history import CHANGE_REASON_LENGTH, change_reason

ROOT = Path(__file__).resolve().parents[2]
APPS = ("strategy_monitor", "priorities", "funding", "risks", "engagement", "reports", "demo")
# The ways of handing simple-history a reason: the attribute, the bulk keyword, the utility.
# (`history_change_reason=` in a query only reads the log.)
SETS_A_REASON = re.compile(
    r"(\b_change_reason\s*=|default_change_reason\s*=|update_change_reason\()"
)


def test_a_short_reason_is_kept_on_one_line():
    assert change_reason("  Action point\n of   the Council ") == "Action point of the Council"


def test_a_reason_of_exactly_the_limit_is_kept_whole():
    text = "x" * CHANGE_REASON_LENGTH
    assert change_reason(text) == text


def test_a_long_reason_is_cut_on_a_word_with_an_ellipsis():
    title = "Annual consultation with the partner on the strategic results framework " * 3
    reason = change_reason(f"Action point of {title}")
    assert len(reason) <= CHANGE_REASON_LENGTH
    assert reason.endswith("…")
    assert reason.startswith("Action point of Annual consultation")
    # The cut falls between words: what precedes the ellipsis is a whole word of the text.
    assert reason[:-1].split()[-1] in title.split()


def test_one_long_word_is_cut_inside_it():
    reason = change_reason("Closed: " + "a" * 300)
    assert len(reason) == CHANGE_REASON_LENGTH
    assert reason.endswith("a…")


def test_punctuation_is_not_left_before_the_ellipsis():
    reason = change_reason("word, " * 40)
    assert reason.endswith("word…")


def _reason_setters() -> list[tuple[str, int, str]]:
    found = []
    for app in APPS:
        for path in (ROOT / app).rglob("*.py"):
            if (
                "migrations" in path.parts
                or path.name == "history.py"
                and app == "strategy_monitor"
            ):
                continue
            for number, line in enumerate(path.read_text().splitlines(), start=1):
                if SETS_A_REASON.search(line):
                    found.append((str(path.relative_to(ROOT)), number, line.strip()))
    return found


def test_every_change_reason_the_apps_set_goes_through_change_reason():
    setters = _reason_setters()
    assert setters, "no change reason found: the search no longer matches the code"
    bypass = [
        f"{path}:{number}: {line}"
        for path, number, line in setters
        if "change_reason(" not in line.split("=", 1)[-1] and not line.endswith("(")
    ]
    assert not bypass, "set these reasons through strategy_monitor.history.change_reason:\n" + (
        "\n".join(bypass)
    )


@pytest.mark.parametrize("app", ["engagement", "funding", "risks", "priorities"])
def test_each_app_records_its_changes_through_the_one_save(app):
    sources = [
        path.read_text() for path in (ROOT / app).rglob("*.py") if "migrations" not in path.parts
    ]
    assert any("recorded_save(" in source for source in sources)
    # The reason is set in one place, `strategy_monitor.history`, never by an app's own code.
    assert not [path for path, _, _ in _reason_setters() if path.startswith(app + "/")]
