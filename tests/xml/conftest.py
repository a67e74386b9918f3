"""A marker file on the server's disk, which no hostile file may ever read into the app."""

import uuid

import pytest


@pytest.fixture
def marker(tmp_path):
    """Return a file whose unique text must never show up in anything the app reads."""
    path = tmp_path / "secret.txt"
    path.write_text(f"MARKER-{uuid.uuid4().hex}")
    return path
