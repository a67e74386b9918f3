"""The Danish catalogue is complete: every marked string of the interface is translated.

The strings are collected afresh, as `make messages` does, in a copy of the source tree (so the
test never writes to the tree it checks), merged with the translations kept in
locale/da/LC_MESSAGES/django.po, and the result must hold no untranslated and no fuzzy entry.
A translation equal to its English text is allowed only for the names and loan words listed in
locale/da/GLOSSARY.md ("The same in both languages").
"""

import os
import re
import shutil
import subprocess  # nosec B404: runs this project's own manage.py and GNU gettext's tools
import sys
from pathlib import Path

import pytest
from django.conf import settings

CATALOGUE = Path(settings.BASE_DIR) / "locale" / "da" / "LC_MESSAGES" / "django.po"
GLOSSARY = Path(settings.BASE_DIR) / "locale" / "da" / "GLOSSARY.md"
# What the copy leaves out: what makemessages is told to ignore, and what holds no source.
SKIPPED = (".git", ".venv", "node_modules", "var", "media", "tests", "tools", "htmlcov")
MAKEMESSAGES_IGNORES = [".venv/*", "node_modules/*", "var/*", "tests/*", "tools/*"]


def po_entries(text: str) -> list[dict]:
    """Return the entries of a .po file: msgctxt, msgid, msgid_plural, msgstr[...] and flags."""
    entries, entry, key = [], {}, None
    for line in [*text.splitlines(), ""]:
        line = line.strip()
        if not line:
            if entry.get("msgid") is not None:
                entries.append(entry)
            entry, key = {}, None
            continue
        if line.startswith("#,"):
            entry["flags"] = {flag.strip() for flag in line[2:].split(",")}
        elif line.startswith("#"):
            continue
        elif line.startswith('"') and key:
            entry[key] += _unquote(line)
        else:
            key, _, value = line.partition(" ")
            entry[key] = _unquote(value)
    return entries


def _unquote(value: str) -> str:
    return value.strip()[1:-1].encode("latin-1", "backslashreplace").decode("unicode_escape")


def same_in_danish() -> set[str]:
    """Return the texts the glossary allows to read the same in Danish."""
    section = GLOSSARY.read_text(encoding="utf-8").partition("## The same in both languages")[2]
    return set(re.findall(r"^- `([^`]+)`$", section, flags=re.MULTILINE))


@pytest.fixture(scope="module")
def collected(tmp_path_factory) -> list[dict]:
    """Collect the strings afresh in a copy of the tree and return the merged catalogue."""
    if not shutil.which("xgettext") or not shutil.which("msgmerge"):
        pytest.fail("GNU gettext is missing: install it (apt-get install gettext), as .ci/run does")
    root = Path(settings.BASE_DIR)
    copy = tmp_path_factory.mktemp("tree") / "tree"
    shutil.copytree(root, copy, ignore=shutil.ignore_patterns(*SKIPPED, "*.mo", "__pycache__"))
    command = [sys.executable, "manage.py", "makemessages", "-l", "da", "--no-obsolete"]
    command += ["--no-location"] + [f"--ignore={pattern}" for pattern in MAKEMESSAGES_IGNORES]
    env = {**os.environ, "DEBUG": "true", "PYTHONPATH": str(copy)}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    subprocess.run(command, cwd=copy, env=env, check=True, capture_output=True)  # nosec B603
    text = (copy / "locale" / "da" / "LC_MESSAGES" / "django.po").read_text(encoding="utf-8")
    return [entry for entry in po_entries(text) if entry["msgid"]]


def _name(entry: dict) -> str:
    context = f"[{entry['msgctxt']}] " if "msgctxt" in entry else ""
    return context + entry["msgid"]


def _translations(entry: dict) -> list[str]:
    return [value for key, value in entry.items() if key.startswith("msgstr")]


def test_every_marked_string_is_translated(collected):
    missing = [_name(entry) for entry in collected if not all(_translations(entry))]
    assert not missing, f"{len(missing)} strings have no Danish translation: {missing[:40]}"


def test_no_translation_is_fuzzy(collected):
    fuzzy = [_name(entry) for entry in collected if "fuzzy" in entry.get("flags", ())]
    assert not fuzzy, f"{len(fuzzy)} translations are fuzzy guesses to check: {fuzzy[:40]}"


def test_no_translation_merely_repeats_the_english(collected):
    allowed = same_in_danish()
    same = [
        _name(entry)
        for entry in collected
        if entry["msgid"] not in allowed and entry["msgid"] in _translations(entry)
    ]
    assert not same, f"Translated as the English text, and not listed in the glossary: {same}"


def test_the_committed_catalogue_parses_and_compiles(tmp_path):
    entries = po_entries(CATALOGUE.read_text(encoding="utf-8"))
    assert entries[0]["msgid"] == "" and "Language: da" in entries[0]["msgstr"]
    subprocess.run(  # nosec B603 B607: GNU gettext's compiler on our own catalogue
        ["msgfmt", "--check", "-o", str(tmp_path / "django.mo"), str(CATALOGUE)],
        check=True,
        capture_output=True,
    )
