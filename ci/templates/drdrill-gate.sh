#!/usr/bin/env bash
# The regression gate the CI templates call: fetch the last good run of the default branch (the
# baseline), run the drills, compare with the baseline, write a summary, and exit with the verdict.
#
#   drdrill-gate.sh fetch-baseline   the last good run's run folder into $DRDRILL_BASELINE:
#                                    GitHub Actions: the artifact of the newest successful run of this
#                                    workflow on the default branch (gh, with GH_TOKEN);
#                                    GitLab CI: the artifacts of this job in the newest successful
#                                    pipeline on the default branch (job artifacts API, CI_JOB_TOKEN).
#                                    Never fails the job: no baseline is a first run, said so.
#   drdrill-gate.sh run              drdrill run, then judge
#   drdrill-gate.sh judge            for a run folder made already (drdrill merge): compare with the
#                                    baseline when there is one, write the summary, exit the verdict
#
# The exit is the worst of the run's and the comparison's codes (README, "Exit codes"): 130, 2, 3,
# 1 (a drill failed), 4 (an objective missed), 5 (a regression), 0. No baseline: the run's code alone.
#
# Settings (environment):
#   DRDRILL               how to call drdrill (default: npx drdrill)
#   DRDRILL_SCENARIOS     what to run (default: scenarios/)
#   DRDRILL_OUT           the run folder (default: drill-report)
#   DRDRILL_BASELINE      where the baseline run folder goes (default: baseline); none: no comparison
#   DRDRILL_RUN_ARGS      more arguments of `drdrill run` (e.g. --repeat 5 --evidence)
#   DRDRILL_COMPARE_ARGS  more arguments of `drdrill compare` (e.g. --metrics rto,rpo --require-all)
#   DRDRILL_ARTIFACT      GitHub: the name of the artifact holding the run folder (default: dr-drill-report)
#   DRDRILL_DEFAULT_BRANCH  GitHub: the default branch (default: asked of gh)
#   GITHUB_STEP_SUMMARY   where GitHub shows the summary; elsewhere it is $DRDRILL_OUT/summary.md only
set -u

DRDRILL=${DRDRILL:-npx drdrill}
SCENARIOS=${DRDRILL_SCENARIOS:-scenarios/}
OUT=${DRDRILL_OUT:-drill-report}
BASE=${DRDRILL_BASELINE:-baseline}
ARTIFACT=${DRDRILL_ARTIFACT:-dr-drill-report}

say() { echo "drdrill-gate: $*" >&2; }

fetch_github() {
  local branch=${DRDRILL_DEFAULT_BRANCH:-}
  [ -n "$branch" ] || branch=$(gh repo view "$GITHUB_REPOSITORY" --json defaultBranchRef -q .defaultBranchRef.name) ||
    return 1
  # This workflow by its file (GITHUB_WORKFLOW_REF is owner/repo/.github/workflows/FILE@ref), else by its name.
  local workflow=${GITHUB_WORKFLOW_REF:+$(basename "${GITHUB_WORKFLOW_REF%%@*}")}
  workflow=${workflow:-${GITHUB_WORKFLOW:-}}
  local id
  id=$(gh run list --repo "$GITHUB_REPOSITORY" --workflow "$workflow" --branch "$branch" --status success \
    --limit 1 --json databaseId -q '.[0].databaseId') || return 1
  if [ -z "$id" ]; then
    say "no successful run of $workflow on $branch yet: no baseline"
    return 0
  fi
  say "baseline: run $id of $workflow on $branch (artifact $ARTIFACT)"
  gh run download "$id" --repo "$GITHUB_REPOSITORY" --name "$ARTIFACT" --dir "$BASE"
}

fetch_gitlab() {
  local zip
  zip=$(mktemp)
  local url="$CI_API_V4_URL/projects/$CI_PROJECT_ID/jobs/artifacts/$CI_DEFAULT_BRANCH/download?job=$CI_JOB_NAME"
  if ! curl --fail --silent --show-error --location --header "JOB-TOKEN: $CI_JOB_TOKEN" "$url" -o "$zip"; then
    say "no artifacts of $CI_JOB_NAME in a successful pipeline on $CI_DEFAULT_BRANCH yet: no baseline"
    rm -f "$zip"
    return 0
  fi
  local dir
  dir=$(mktemp -d)
  unzip -q "$zip" -d "$dir" 2>/dev/null || python3 -m zipfile -e "$zip" "$dir" || return 1
  rm -f "$zip"
  # The archive holds the job's paths: the run folder is $OUT inside it.
  if [ -f "$dir/$OUT/results.json" ]; then
    mkdir -p "$(dirname "$BASE")" && rm -rf "$BASE" && mv "$dir/$OUT" "$BASE"
    say "baseline: $CI_JOB_NAME of the newest successful pipeline on $CI_DEFAULT_BRANCH"
  else
    say "the baseline's artifacts hold no $OUT/results.json: no baseline"
  fi
  rm -rf "$dir"
}

fetch_baseline() {
  if [ -f "$BASE/results.json" ]; then
    say "baseline already in $BASE"
  elif [ "${GITHUB_ACTIONS:-}" = true ]; then
    fetch_github || say "could not fetch the baseline from GitHub: no baseline"
  elif [ "${GITLAB_CI:-}" = true ]; then
    fetch_gitlab || say "could not fetch the baseline from GitLab: no baseline"
  else
    say "not GitHub Actions nor GitLab CI: put a baseline run folder in $BASE to compare with"
  fi
  return 0
}

# The first of the codes given in drdrill's order (README, "Exit codes").
worst() {
  local c
  for c in 130 2 3 1 4 5; do
    case " $* " in *" $c "*) echo "$c"; return ;; esac
  done
  echo 0
}

verdict_words() {
  case $1 in
    0) echo "✅ passed" ;;
    1) echo "❌ a drill failed its expectation" ;;
    2) echo "⛔ invalid input, or nothing to compare with" ;;
    3) echo "⚠️ could not run (environment)" ;;
    4) echo "❌ an objective was missed" ;;
    5) echo "❌ regression against the last good run" ;;
    130) echo "‖ interrupted" ;;
    *) echo "exit $1" ;;
  esac
}

judge() {
  local run_code=$1 compare_code="" note=""
  if [ ! -f "$OUT/results.json" ]; then
    note="No results: drdrill could not run the drills (exit $run_code)."
  elif [ "$run_code" = 2 ] || [ "$run_code" = 130 ]; then
    note="Not compared: the run ended with exit $run_code."
  elif [ "$BASE" = none ]; then
    note="Not compared: no baseline was asked for."
  elif [ -f "$BASE/results.json" ]; then
    # shellcheck disable=SC2086 # the arguments are words on purpose
    $DRDRILL compare "$BASE" "$OUT" --out "$OUT/regression.md" ${DRDRILL_COMPARE_ARGS:-} >/dev/null
    compare_code=$?
    [ -f "$OUT/regression.md" ] || note="The comparison failed (exit $compare_code)."
  else
    note="No baseline: no good run of the default branch to compare with yet (the first run, or its artifact"
    note="$note expired). This run's report becomes the baseline once a run on the default branch passes."
  fi
  local code
  code=$(worst "$run_code" "${compare_code:-0}")
  local summary="$OUT/summary.md"
  mkdir -p "$OUT"
  {
    echo "# drdrill: $(verdict_words "$code") (exit $code)"
    echo
    echo "\`drdrill run\` exit $run_code$([ -n "$compare_code" ] && echo ", \`drdrill compare\` exit $compare_code")."
    echo
    [ -n "$note" ] && echo "$note" && echo
    [ -f "$OUT/regression.md" ] && sed 's/^## /### /' "$OUT/regression.md" && echo
    if [ -f "$OUT/report.md" ]; then
      echo "<details><summary>The run's report</summary>"
      echo
      cat "$OUT/report.md"
      echo
      echo "</details>"
    fi
  } >"$summary"
  [ -n "${GITHUB_STEP_SUMMARY:-}" ] && cat "$summary" >>"$GITHUB_STEP_SUMMARY"
  say "$(verdict_words "$code") (exit $code); summary: $summary"
  return "$code"
}

run_cmd() {
  # shellcheck disable=SC2086
  $DRDRILL run $SCENARIOS --out "$OUT" ${DRDRILL_RUN_ARGS:-}
  judge $?
}

# The code of the run folder made already (results.json's exitCode), for judge on its own.
folder_code() {
  [ -f "$OUT/results.json" ] || { echo 2; return; }
  node -e 'process.stdout.write(String(JSON.parse(require("fs").readFileSync(process.argv[1], "utf8")).exitCode))' \
    "$OUT/results.json" 2>/dev/null || echo 2
}

case ${1:-} in
  fetch-baseline) fetch_baseline ;;
  run) run_cmd ;;
  judge) judge "${DRDRILL_RUN_CODE:-$(folder_code)}" ;;
  *)
    echo "usage: drdrill-gate.sh fetch-baseline | run | judge" >&2
    exit 2
    ;;
esac
