#!/usr/bin/env bash
# step.sh LABEL LOG COMMAND...: one short line for a setup step, the command's own output in LOG.
# Used by the Makefile so that installs stay quiet; on failure the end of LOG is shown.
# With STEP_PARALLEL=1 (steps running side by side) the start and the end get a line each.
set -uo pipefail
label=$1
log=$2
shift 2
mkdir -p "$(dirname "$log")"
if [ "${STEP_PARALLEL:-}" = 1 ]; then
    printf '==> %s ...\n' "$label"
else
    printf '==> %s ... ' "$label"
fi
start=$SECONDS
if "$@" >"$log" 2>&1; then
    if [ "${STEP_PARALLEL:-}" = 1 ]; then
        printf '    done (%ds): %s\n' $((SECONDS - start)) "$label"
    else
        printf 'done (%ds)\n' $((SECONDS - start))
    fi
else
    status=$?
    [ "${STEP_PARALLEL:-}" = 1 ] || printf 'FAILED\n'
    tail -n 40 "$log" >&2
    printf 'step failed: %s (exit %d; full output in %s)\n' "$label" "$status" "$log" >&2
    exit "$status"
fi
