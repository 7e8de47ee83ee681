"""4. Regeneration: wall time of scripts/regen.py, and whether two runs are byte-identical."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _common import REPO, Settings, heading, line

REGEN = REPO / "scripts" / "regen.py"
COMMITTED = REPO / "instantly_async" / "_generated"
LOCK = REPO / "scripts" / "names" / "lock.yaml"
TARGET_S = 30.0
IGNORED = frozenset({"__pycache__", ".mypy_cache", ".ruff_cache", ".pytest_cache"})


def _regen(output: Path, hash_seed: int) -> tuple[float, str]:
    """Run regen.py into ``output``; its wall time and its last output line."""
    env = dict(os.environ, PYTHONHASHSEED=str(hash_seed))
    # the committed tree was built with the names lock and the readable-names table; copies
    # keep the run from touching them
    lock = output.parent / "lock.yaml"
    output.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(LOCK, lock)
    shutil.copyfile(LOCK.with_name("readable.yaml"), lock.with_name("readable.yaml"))
    started = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, str(REGEN), "--output", str(output), "--lock", str(lock)],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
    )
    elapsed = time.perf_counter() - started
    if proc.returncode != 0:
        raise SystemExit(f"regen.py failed ({proc.returncode}):\n{proc.stdout}\n{proc.stderr}")
    steps = [s for s in proc.stdout.splitlines() if s.startswith("generated ")]
    return elapsed, steps[0] if steps else ""


def _tree(root: Path) -> dict[str, bytes]:
    files: dict[str, bytes] = {}
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = [d for d in dirnames if d not in IGNORED]
        for name in filenames:
            if not name.endswith(".pyc"):
                path = Path(dirpath) / name
                files[path.relative_to(root).as_posix()] = path.read_bytes()
    return files


def _differences(old: dict[str, bytes], new: dict[str, bytes]) -> list[str]:
    return sorted(
        {name for name in old.keys() ^ new.keys()}
        | {name for name in old.keys() & new.keys() if old[name] != new[name]}
    )


def run(settings: Settings) -> None:
    runs = settings.regen_runs
    heading(
        f"4. Regeneration: scripts/regen.py --output <tmp>/instantly_async/_generated "
        f"({runs} run{'s' if runs > 1 else ''}, absolute wall time; not a ratio)"
    )
    with tempfile.TemporaryDirectory(prefix="instantly-bench-regen-") as tmp:
        outputs = [Path(tmp) / f"run{n}" / "instantly_async" / "_generated" for n in range(runs)]
        times: list[float] = []
        for n, output in enumerate(outputs):
            # A different hash seed per run, so set-order dependence shows up as a difference.
            elapsed, steps = _regen(output, hash_seed=n + 1)
            times.append(elapsed)
            line(f"run {n + 1} (PYTHONHASHSEED={n + 1}): {elapsed:6.2f} s   {steps}")
        trees = [_tree(output) for output in outputs]
        first = times[0]
        verdict = "meets" if first <= TARGET_S else "MISSES"
        line(f"first run {first:.2f} s: {verdict} the <= {TARGET_S:.0f} s target")
        if len(trees) > 1:
            diff = _differences(trees[0], trees[1])
            if diff:
                shown = ", ".join(diff[:5]) + (" ..." if len(diff) > 5 else "")
                line(f"deterministic: NO, {len(diff)} of {len(trees[0])} files differ ({shown})")
            else:
                line(
                    f"deterministic: yes, the two trees are byte-identical ({len(trees[0])} files)"
                )
        else:
            line("deterministic: not checked (--quick runs regen once)")
        if COMMITTED.is_dir():
            # MANIFEST.json names its inputs by path, and the lock copies live elsewhere
            stale = [
                name for name in _differences(_tree(COMMITTED), trees[0]) if name != "MANIFEST.json"
            ]
            state = (
                "identical to"
                if not stale
                else f"{len(stale)} file(s) differ ({', '.join(stale[:3])}"
                + (" ..." if len(stale) > 3 else "")
                + ") from"
            )
            line(
                f"fresh tree is {state} instantly_async/_generated in the working tree "
                "(MANIFEST.json aside)"
            )
        conclusion = (
            f"regeneration takes {first:.1f} s ({verdict} target)"
            + (f", run-to-run spread {max(times) - min(times):.1f} s" if len(times) > 1 else "")
            + "."
        )
        line(f"conclusion: {conclusion}")
