"""The systemd units shipped in deploy/systemd parse, and every command they name exists."""

import io
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command, get_commands
from django.core.management.base import CommandError

from strategy_monitor.management.commands import run_daily_jobs

ROOT = Path(__file__).resolve().parents[2]
UNITS = ROOT / "deploy" / "systemd"
RELEASE = "/srv/strategy-monitor/current"


def unit(name: str) -> dict[str, dict[str, str]]:
    """Return a unit file's sections and settings, with continued lines joined."""
    sections: dict[str, dict[str, str]] = {}
    current = None
    text = (UNITS / name).read_text().replace("\\\n", " ")
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith(("#", ";")):
            continue
        if line.startswith("["):
            current = sections.setdefault(line.strip("[]"), {})
        else:
            key, _, value = line.partition("=")
            current[key.strip()] = value.strip()
    return sections


def manage_commands(exec_start: str) -> list[str]:
    words = shlex.split(exec_start)
    return [words[index + 1] for index, word in enumerate(words) if word == "manage.py"]


def test_the_units_pass_systemd_analyze_verify(tmp_path):
    if shutil.which("systemd-analyze") is None:
        pytest.skip("systemd-analyze is not installed on this machine (package systemd)")
    # verify checks that each program exists: point the release's paths at this checkout.
    venv_bin = str(Path(sys.executable).parent) + "/"
    for path in UNITS.iterdir():
        text = path.read_text().replace(f"{RELEASE}/.venv/bin/", venv_bin)
        (tmp_path / path.name).write_text(text.replace(RELEASE, str(ROOT)))
    run = subprocess.run(
        ["systemd-analyze", "verify", "--man=no", *sorted(map(str, tmp_path.iterdir()))],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert run.returncode == 0, run.stderr
    assert run.stderr.strip() == ""


def test_the_daily_timer_runs_early_every_morning_and_catches_up_missed_runs():
    timer = unit("strategy-monitor-daily.timer")["Timer"]
    assert timer["OnCalendar"].endswith(("05:30:00", "05:30"))
    assert timer["Persistent"] == "true"
    assert timer["RandomizedDelaySec"]
    assert unit("strategy-monitor-daily.timer")["Install"]["WantedBy"] == "timers.target"


def test_the_daily_service_is_a_oneshot_with_the_servers_environment():
    daily = unit("strategy-monitor-daily.service")["Service"]
    server = unit("strategy-monitor.service")["Service"]
    assert daily["Type"] == "oneshot"
    for key in ("User", "WorkingDirectory", "EnvironmentFile"):
        assert daily[key] == server[key]


def test_every_command_the_units_name_is_a_manage_py_command():
    available = get_commands()
    named = manage_commands(unit("strategy-monitor-daily.service")["Service"]["ExecStart"])
    assert named == ["run_daily_jobs"]
    jobs = [job[0] for job in run_daily_jobs.DAILY_JOBS]
    assert {"send_reminders", "clearsessions", "purge_personal_data"} <= set(jobs)
    missing = [name for name in named + jobs if name not in available]
    assert not missing


@pytest.mark.django_db
def test_the_daily_jobs_run_in_sequence():
    out = io.StringIO()
    call_command("run_daily_jobs", stdout=out)
    text = out.getvalue()
    assert text.index("clearsessions") < text.index("purge_personal_data")
    assert text.index("purge_personal_data") < text.index("send_reminders")
    assert "Daily jobs done." in text


@pytest.mark.django_db
def test_a_failing_daily_job_does_not_stop_the_others_but_fails_the_run(monkeypatch, capsys):
    monkeypatch.setattr(run_daily_jobs, "DAILY_JOBS", (("no_such_job",), ("purge_personal_data",)))
    with pytest.raises(CommandError, match="Daily jobs failed: no_such_job"):
        call_command("run_daily_jobs")
    assert "login attempt record(s)" in capsys.readouterr().out
