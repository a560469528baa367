"""Fail on known vulnerabilities in the installed dependencies (pip-audit).

pip-audit asks PyPI's JSON API which versions have published advisories. Where
that API cannot be reached (a registry mirror that serves only the simple
index, as on the project's build machines), every package comes back
"could not be audited": that is reported loudly as NOT AUDITED rather than as
a pass, and does not fail the build. A package with a known vulnerability
always fails it.
"""

import json
import subprocess
import sys


def main():
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip_audit",
            "--skip-editable",
            "--progress-spinner",
            "off",
            "--format",
            "json",
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    try:
        report = json.loads(result.stdout)
    except json.JSONDecodeError:
        print(result.stderr, file=sys.stderr)
        return 1
    dependencies = report["dependencies"]
    vulnerable = [dep for dep in dependencies if dep.get("vulns")]
    audited = [dep for dep in dependencies if "skip_reason" not in dep]
    for dep in vulnerable:
        ids = ", ".join(vuln["id"] for vuln in dep["vulns"])
        print(f"VULNERABLE: {dep['name']} {dep['version']}: {ids}")
    if vulnerable:
        return 1
    if not audited:
        print(
            f"NOT AUDITED: the vulnerability service was unreachable for all "
            f"{len(dependencies)} packages."
        )
        return 0
    print(
        f"No known vulnerabilities in {len(audited)} audited packages "
        f"({len(dependencies) - len(audited)} could not be audited)."
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
