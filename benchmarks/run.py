#!/usr/bin/env python3
"""instantly-async benchmarks (``make bench``; ``make bench QUICK=1`` for a smoke run).

Every figure of issue 9, side by side with the peer SDK ``instantlyai`` 0.7.0 (installed
into its own pinned virtualenv, ``.bench/peer-venv``) and with raw httpx + ``json.loads``,
all on ``httpx.MockTransport``:

  coldstart    cold start to a first answered call (fresh interpreters)
  import       cold import of one endpoint module: lazy models vs every model
  pipeline     per call, small GET; governor on vs rate_limit=None (asyncio and trio)
  parse        100-item pages of leads and of campaigns, dict -> models, per item
  paging       one 100-lead page per lead; 100,000 leads with async for, peak RSS
  concurrency  2,000 concurrent calls, no governor (asyncio and trio)
  governor     1,500 requests from 200 tasks against a strict sliding-window server
  prefetch     100 pages with fetch latency and consumer work, with and without .prefetch()
  regen        wall time of scripts/regen.py, and whether two runs are byte-identical

Speed claims come only from ratios of medians of interleaved repetitions measured in this
run. The full run writes BENCHMARKS.md at the repository root; ``--quick`` runs every
figure briefly (it must not crash; its numbers mean little) and writes
.bench/BENCHMARKS-quick.md instead.
"""

from __future__ import annotations

import argparse
import datetime
import os
import platform
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path

import _peer
import bench_coldstart
import bench_concurrency
import bench_governor
import bench_import
import bench_paging
import bench_parse
import bench_pipeline
import bench_prefetch
import bench_regen
from _common import BENCH_DIR, FIGURES, FULL, LOG, QUICK, REPO, Settings, load_average, stat

BENCHMARKS: dict[str, Callable[[Settings], None]] = {
    "coldstart": bench_coldstart.run,
    "import": bench_import.run,
    "pipeline": bench_pipeline.run,
    "parse": bench_parse.run,
    "paging": bench_paging.run,
    "concurrency": bench_concurrency.run,
    "governor": bench_governor.run,
    "prefetch": bench_prefetch.run,
    "regen": bench_regen.run,
}
SKIPPED_WHEN_QUICK = frozenset({"regen"})


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="run.py", description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="fast smoke run")
    parser.add_argument(
        "--only",
        metavar="NAMES",
        help=f"comma-separated subset of: {', '.join(BENCHMARKS)}",
    )
    parser.add_argument(
        "--output",
        type=Path,
        help="where to write the report (default: BENCHMARKS.md, or "
        ".bench/BENCHMARKS-quick.md with --quick; with --only: no report unless given)",
    )
    return parser


def _machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo") as fh:
            cpu = next((r.split(":", 1)[1].strip() for r in fh if r.startswith("model name")), cpu)
    except OSError:
        pass
    return (
        f"Python {platform.python_version()} ({sys.implementation.name}), "
        f"{platform.system()} {platform.release()} {platform.machine()}, "
        f"{os.cpu_count()} CPU(s): {cpu}"
    )


def _commit() -> str:
    """The commit measured (and whether the working tree had changes)."""
    try:
        head = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=REPO, capture_output=True, text=True
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--untracked-files=no", "--", "instantly_async"],
            cwd=REPO,
            capture_output=True,
            text=True,
        ).stdout.strip()
    except OSError:
        return "unknown"
    return f"commit {head or 'unknown'}" + (" + uncommitted changes" if dirty else "")


def _report(
    command: str, settings: Settings, header: list[str], footer: list[str], names: list[str]
) -> str:
    rows = [
        "| figure | ours | instantlyai 0.7.0 | raw httpx + json.loads | ratio | target | result |",
        "|---|---|---|---|---|---|---|",
    ]
    for f in FIGURES:
        cells = [
            f.name,
            stat(f.ours, f.unit),
            stat(f.peer, f.unit),
            stat(f.raw, f.unit),
            f.ratio,
            f.target,
            f.verdict,
        ]
        rows.append("| " + " | ".join(c.replace("|", "/") for c in cells) + " |")
    return "\n".join(
        [
            "# Benchmarks",
            "",
            f"Produced by `{command}` ({'smoke run, ' if settings.quick else ''}"
            f"benchmarks: {', '.join(names)}). Do not edit by hand: rerun it.",
            "",
            *header,
            "",
            "Cells: median [min-max] of the repetitions of this run. Times are CPU time of the "
            "process (cold start: from the child's first statement to its parsed answer), "
            "except the governor run (wall time). Variants ran interleaved (order rotated "
            "each round), so ratios are the meaningful part; absolute times depend on the "
            "machine and its load. All traffic is `httpx.MockTransport` in process: the "
            "figures measure the SDKs, not a network.",
            "",
            *rows,
            "",
            *footer,
            "",
            "## Output of the run",
            "",
            "```text",
            *[row.rstrip() for row in LOG],
            "```",
            "",
        ]
    )


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    settings = QUICK if args.quick else FULL
    names = [n for n in BENCHMARKS if not (settings.quick and n in SKIPPED_WHEN_QUICK)]
    if args.only:
        names = [n.strip() for n in args.only.split(",") if n.strip()]
        unknown = [n for n in names if n not in BENCHMARKS]
        if unknown:
            parser.error(f"unknown benchmark(s): {', '.join(unknown)}")
    output = args.output
    if output is None and not args.only:
        output = BENCH_DIR / "BENCHMARKS-quick.md" if settings.quick else REPO / "BENCHMARKS.md"
    command = "make bench QUICK=1" if settings.quick else "make bench"
    if args.only:
        command = (
            f"python benchmarks/run.py{' --quick' if settings.quick else ''} --only {args.only}"
        )

    BENCH_DIR.mkdir(exist_ok=True)
    versions = _peer.activate()
    started_at = datetime.datetime.now(datetime.timezone.utc)
    header = [
        f"- date: {started_at:%Y-%m-%d %H:%M} UTC; code: {_commit()}",
        f"- machine: {_machine()}",
        f"- load average (1, 5, 15 min) at start: {load_average()}",
        "- peer: " + ", ".join(f"{k} {v}" for k, v in versions.items()),
    ]
    for row in header:
        print(row)
    started = time.perf_counter()
    for name in names:
        BENCHMARKS[name](settings)
        print(f"  [load average after {name}: {load_average()}]")
    footer = [
        f"- load average at end: {load_average()}",
        f"- total time: {time.perf_counter() - started:.0f} s",
    ]
    print()
    for row in footer:
        print(row)
    if output is not None:
        output.write_text(_report(command, settings, header, footer, names))
        print(f"wrote {output.relative_to(REPO) if output.is_relative_to(REPO) else output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
