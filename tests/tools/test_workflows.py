"""The GitHub Actions workflows are valid, and the weekly ones do what README.md says.

Validation uses check-jsonschema with the GitHub workflow schema it ships (no network), the
same check GitHub's own editor applies; a deliberately broken workflow proves the check bites.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
WORKFLOWS = sorted((ROOT / ".github" / "workflows").glob("*.yml"))
WEEKLY = {"latest.yml": "make test-latest", "colab.yml": "tools/colab_run.sh"}


def _check(*paths: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "check_jsonschema", "--builtin-schema", "vendor.github-workflows",
         *map(str, paths)],
        capture_output=True, text=True, timeout=120,
    )


def _load(name: str) -> dict:
    # YAML 1.1 reads the key `on` as True; GitHub reads it as "on"
    data = yaml.safe_load((ROOT / ".github" / "workflows" / name).read_text(encoding="utf-8"))
    return {("on" if key is True else key): value for key, value in data.items()}


def test_every_workflow_validates():
    assert {p.name for p in WORKFLOWS} >= {"ci.yml", "publish.yml", "linkcheck.yml", *WEEKLY}
    result = _check(*WORKFLOWS)
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_validator_rejects_a_broken_workflow(tmp_path):
    broken = tmp_path / "broken.yml"
    broken.write_text("name: broken\non: {schedule: [{cron: 5}]}\njobs:\n  x:\n    steps: [{run: true, uses: 3}]\n")
    result = _check(broken)
    assert result.returncode != 0 and "broken.yml" in result.stdout + result.stderr


@pytest.mark.parametrize("name", sorted(WEEKLY))
def test_weekly_workflow_runs_its_check_and_reports_failure(name):
    flow = _load(name)
    crons = [entry["cron"] for entry in flow["on"]["schedule"]]
    assert len(crons) == 1 and re.fullmatch(r"\d+ \d+ \* \* [0-6]", crons[0]), f"{name}: weekly cron, got {crons}"
    assert "workflow_dispatch" in flow["on"]
    jobs = flow["jobs"]
    runs = "\n".join(step.get("run", "") for job in jobs.values() for step in job["steps"])
    assert WEEKLY[name] in runs

    report = jobs["report"]
    assert report["if"] == "failure()" and report["permissions"] == {"issues": "write"}
    assert set(jobs) - {"report"} == {report["needs"]}
    assert "tools/report_failure.sh" in report["steps"][-1]["run"]
    assert report["steps"][-1]["env"]["GH_TOKEN"] == "${{ github.token }}"
    assert flow["permissions"] == {"contents": "read"}, "only the report job may write (issues)"

    for job in jobs.values():  # a pipe would hide a failure without pipefail (shell: bash)
        for step in job["steps"]:
            if "|" in step.get("run", "").replace("||", "") and "tee" in step["run"]:
                assert step.get("shell") == "bash", f"{name}: {step['name']} needs shell: bash"


def test_colab_job_uses_colabs_published_image():
    flow = _load("colab.yml")
    assert flow["env"]["COLAB_IMAGE"] == "us-docker.pkg.dev/colab-images/public/runtime:latest"
    runs = [step.get("run", "") for step in flow["jobs"]["colab"]["steps"]]
    assert any("docker pull" in run for run in runs)
    assert any('docker run' in run and '"$COLAB_IMAGE" tools/colab_run.sh' in run for run in runs)


@pytest.mark.parametrize("script", ["test_latest.sh", "colab_run.sh", "report_failure.sh"])
def test_tool_scripts_are_executable_bash(script):
    path = ROOT / "tools" / script
    assert path.stat().st_mode & 0o111, f"{script} must be executable"
    assert path.read_text().startswith("#!/usr/bin/env bash\n")
    subprocess.run(["bash", "-n", str(path)], check=True)


def test_make_test_latest_exists():
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert re.search(r"^test-latest:.*\n\ttools/test_latest\.sh ", makefile, re.M)
