"""Run the settings module afresh under a given environment, as a server would start."""

import os
import runpy
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SETTINGS = ROOT / "strategy_monitor" / "settings.py"


def load_settings(monkeypatch, **environment) -> dict:
    """Return the settings read under exactly `environment` (plus PATH and HOME)."""
    for name in list(os.environ):
        if name not in {"PATH", "HOME"}:
            monkeypatch.delenv(name)
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(str(SETTINGS))
