"""Every stylesheet parses as a whole: a brace left open swallows every rule after it.

A stylesheet merged from two changes once lost the closing brace of a media query, and every
rule below it (the phone layout, the header on a tablet) silently stopped applying.
"""

import re
from pathlib import Path

import pytest
from django.conf import settings

STYLESHEETS = sorted(
    path
    for folder in settings.STATICFILES_DIRS
    for path in Path(folder).rglob("*.css")
    if "vendor" not in path.parts
)
COMMENT = re.compile(r"/\*.*?\*/", re.S)
STRING = re.compile(r"\"(?:[^\"\\]|\\.)*\"|'(?:[^'\\]|\\.)*'")


def test_there_are_stylesheets_to_check():
    assert STYLESHEETS


@pytest.mark.parametrize("path", STYLESHEETS, ids=lambda path: path.name)
def test_every_block_of_a_stylesheet_is_closed(path):
    text = STRING.sub('""', COMMENT.sub("", path.read_text(encoding="utf-8")))
    depth = 0
    for number, line in enumerate(text.splitlines(), start=1):
        for character in line:
            if character == "{":
                depth += 1
            elif character == "}":
                depth -= 1
                assert depth >= 0, f"{path.name}:{number} closes a block that is not open"
    assert depth == 0, f"{path.name} leaves {depth} block(s) open"
