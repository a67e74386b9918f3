"""The record of the last full accessibility check says what was checked, with the tool pinned.

The page walk (test_page_walk.py) writes it when A11Y_RECORD names a file; the committed copy at
strategy_monitor/accessibility_check.json is what the accessibility page reports. It must be
the record of a clean run, made with the axe-core that package.json pins, in both languages.
"""

import datetime
import json
from pathlib import Path

from django.conf import settings

from tests.security.axe import STANDARD, AxeRecord
from tests.security.test_page_walk import DESKTOP, PHONE

RECORD = Path(settings.BASE_DIR) / "strategy_monitor" / "accessibility_check.json"
PACKAGE = Path(settings.BASE_DIR) / "package.json"


def test_the_committed_record_is_of_a_clean_run_with_the_pinned_axe_core():
    record = json.loads(RECORD.read_text(encoding="utf-8"))
    pinned = json.loads(PACKAGE.read_text(encoding="utf-8"))["devDependencies"]["axe-core"]
    assert set(record) == {
        "checked_on",
        "tool",
        "standard",
        "pages",
        "checks",
        "languages",
        "widths",
        "violations",
        "by_rule",
    }
    datetime.date.fromisoformat(record["checked_on"])
    assert record["tool"] == f"axe-core {pinned}"
    assert record["standard"] == STANDARD == "WCAG 2.1 A and AA"
    assert record["languages"] == [code for code, _ in settings.LANGUAGES] == ["en-gb", "da"]
    assert record["widths"] == [DESKTOP, PHONE]
    assert record["pages"] >= 80
    # Every page in two languages, and the key pages again for their other readers and widths.
    assert record["checks"] > 2 * record["pages"]
    assert record["violations"] == 0
    assert record["by_rule"] == {}


def test_a_record_counts_each_rule_broken_on_each_page_once():
    record = AxeRecord(version="4.14.1")
    record.add("/a/", 1440, "en-gb", [])
    record.add("/a/", 390, "en-gb", ["color-contrast"])
    record.add("/b/", 1440, "da", ["color-contrast", "label"])
    assert record.as_dict(on=datetime.date(2026, 12, 7)) == {
        "checked_on": "2026-12-07",
        "tool": "axe-core 4.14.1",
        "standard": "WCAG 2.1 A and AA",
        "pages": 2,
        "checks": 3,
        "languages": ["en-gb", "da"],
        "widths": [1440, 390],
        "violations": 3,
        "by_rule": {"color-contrast": 2, "label": 1},
    }
