#!/usr/bin/env bash
# step.sh LABEL LOG COMMAND...: one short line for a setup step, the command's own output in LOG.
# Used by the Makefile so that installs stay quiet; on failure the end of LOG is shown.
set -uo pipefail
label=$1
log=$2
shift 2
mkdir -p "$(dirname "$log")"
printf '==> %s ... ' "$label"
start=$SECONDS
if "$@" >"$log" 2>&1; then
    printf 'done (%ds)\n' $((SECONDS - start))
else
    status=$?
    printf 'FAILED\n'
    tail -n 40 "$log" >&2
    printf 'step failed: %s (exit %d; full output in %s)\n' "$label" "$status" "$log" >&2
    exit "$status"
fi
