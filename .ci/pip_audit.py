"""Audit the installed Python packages for known vulnerabilities with pip-audit.

Fails (exit 1) when a package has a known vulnerability that is not listed in IGNORED below
with the reason it does not apply. pip-audit asks PyPI's vulnerability API for each package's
vulnerabilities; where that API cannot be reached (a machine that reaches only a package
mirror), nothing can be audited: the run says so plainly and does not fail for lack of network.
"""

import json
import subprocess
import sys
from pathlib import Path

# Known vulnerabilities accepted for now, each with the reason it does not affect us.
IGNORED: dict[str, str] = {}

PIP_AUDIT = Path(sys.executable).with_name("pip-audit")


def main() -> int:
    command = [
        str(PIP_AUDIT),
        "--local",
        "--skip-editable",
        "--progress-spinner",
        "off",
        "--desc",
        "off",
        "--format",
        "json",
        "--timeout",
        "20",
    ]
    for vulnerability in IGNORED:
        command += ["--ignore-vuln", vulnerability]
    try:
        # The command is fixed above; no shell and no user input are involved.
        run = subprocess.run(  # nosec B603 # fixed argument list, no shell
            command, capture_output=True, text=True, timeout=600, check=False
        )
    except subprocess.TimeoutExpired:
        print("pip-audit: NOT AUDITED — the vulnerability service did not answer in 10 minutes.")
        return 0
    try:
        report = json.loads(run.stdout)
    except json.JSONDecodeError:
        print("pip-audit: NOT AUDITED — pip-audit could not produce a report:")
        print("\n".join(run.stderr.strip().splitlines()[-5:]))
        return 0

    dependencies = report.get("dependencies", [])
    skipped = [item for item in dependencies if item.get("skip_reason")]
    unreachable = [item for item in skipped if "not found on PyPI" in item["skip_reason"]]
    audited = [item for item in dependencies if not item.get("skip_reason")]
    vulnerable = [item for item in audited if item.get("vulns")]

    for item in vulnerable:
        for vulnerability in item["vulns"]:
            fixes = ", ".join(vulnerability.get("fix_versions", [])) or "no fixed version yet"
            print(
                f"VULNERABLE {item['name']} {item['version']}: {vulnerability['id']} "
                f"(fixed in {fixes})"
            )
    for vulnerability, reason in IGNORED.items():
        print(f"ignored {vulnerability}: {reason}")

    if not audited and unreachable:
        print(
            f"pip-audit: NOT AUDITED — PyPI's vulnerability data could not be reached from this "
            f"machine, so none of the {len(unreachable)} installed packages could be checked "
            f"(pip-audit reports each as 'not found on PyPI'). This is reported, not failed: "
            f"run `make audit` where PyPI's vulnerability API is reachable."
        )
        return 0
    if unreachable:
        names = ", ".join(sorted(item["name"] for item in unreachable))
        print(f"pip-audit: {len(unreachable)} package(s) could not be checked: {names}")
    if vulnerable:
        print(f"pip-audit: {len(vulnerable)} of {len(audited)} audited packages are vulnerable.")
        return 1
    print(f"pip-audit: no known vulnerabilities in {len(audited)} audited packages.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
