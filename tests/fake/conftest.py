"""The fake's tests reuse the contract tests' argument synthesis (tests/contract/_args.py)."""

from __future__ import annotations

import sys
from pathlib import Path

_CONTRACT = str(Path(__file__).resolve().parent.parent / "contract")
if _CONTRACT not in sys.path:
    sys.path.insert(0, _CONTRACT)
