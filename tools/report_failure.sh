#!/usr/bin/env bash
# Called by a weekly workflow's `report` job when its check failed: opens an issue titled TITLE,
# or, when an open issue with exactly that title exists, adds a comment to it (one issue per
# kind of failure, however many weeks it lasts). Needs the GitHub CLI and GH_TOKEN with
# `issues: write`; the GITHUB_* variables are set by GitHub Actions.
#
#   tools/report_failure.sh TITLE [DETAILS]
set -euo pipefail
title=${1:?usage: tools/report_failure.sh TITLE [DETAILS]}
details=${2:-}
run_url="$GITHUB_SERVER_URL/$GITHUB_REPOSITORY/actions/runs/$GITHUB_RUN_ID"
body="The weekly workflow **$GITHUB_WORKFLOW** failed on $(date -u +%Y-%m-%d) at commit $GITHUB_SHA.

Log and artifacts: $run_url
$details"
number=$(gh issue list --repo "$GITHUB_REPOSITORY" --state open --search "\"$title\" in:title" \
  --json number,title --jq "map(select(.title == \"$title\")) | .[0].number // empty")
if [[ -n $number ]]; then
  gh issue comment "$number" --repo "$GITHUB_REPOSITORY" --body "$body"
else
  gh issue create --repo "$GITHUB_REPOSITORY" --title "$title" --body "$body"
fi
