#!/usr/bin/env python3
"""instantly-async benchmarks (``make bench``).

1. import   cold import of one endpoint module (lazy models) vs forcing every model to load
2. pipeline per-call overhead of the client on httpx.MockTransport, with and without the
            rate governor, against a bare httpx request (asyncio and trio)
3. paginate ``async for`` over 5,000 items in 50 pages vs the same pages fetched by hand
4. regen    wall time of scripts/regen.py and whether two runs are byte-identical

Speed claims come only from ratios of medians of interleaved repetitions measured in this
run; absolute times are printed for orientation and for the two targets (import, regen).
``--quick`` is a smoke run: few repetitions, one regeneration.
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import time
from collections.abc import Callable, Sequence

import bench_import
import bench_pagination
import bench_pipeline
import bench_regen
from _common import FULL, QUICK, Settings

BENCHMARKS: dict[str, Callable[[Settings], None]] = {
    "import": bench_import.run,
    "pipeline": bench_pipeline.run,
    "paginate": bench_pagination.run,
    "regen": bench_regen.run,
}


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="run.py", description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="fast smoke run")
    parser.add_argument(
        "--only",
        metavar="NAMES",
        help=f"comma-separated subset of: {', '.join(BENCHMARKS)}",
    )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    names = list(BENCHMARKS)
    if args.only:
        names = [n.strip() for n in args.only.split(",") if n.strip()]
        unknown = [n for n in names if n not in BENCHMARKS]
        if unknown:
            parser.error(f"unknown benchmark(s): {', '.join(unknown)}")
    settings = QUICK if args.quick else FULL
    print(
        f"instantly-async benchmarks{' (--quick)' if settings.quick else ''}: "
        f"Python {platform.python_version()} ({sys.implementation.name}), "
        f"{platform.system()} {platform.machine()}, {os.cpu_count()} CPU(s)"
    )
    print(
        "Ratios compare medians of interleaved repetitions from this run; "
        "absolute times depend on the machine and its load."
    )
    started = time.perf_counter()
    for name in names:
        BENCHMARKS[name](settings)
    print()
    print(f"total {time.perf_counter() - started:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
