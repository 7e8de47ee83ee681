"""Cold start to a first answered call, in fresh interpreters (interpreter start removed).

Each child notes the time as its first statement, then imports what it needs, builds a client
on an ``httpx.MockTransport`` and awaits one small GET; it reports the CPU and wall time from
that first statement to the parsed answer (the table uses CPU time: wall time on a shared
machine mostly measures waiting for a core). Interpreter start-up is therefore not in the
figure, but every import (asyncio, httpx, the SDK) is.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

import _peer
from _common import (
    MEMBER_ID,
    MEMBER_URL,
    REPO,
    Figure,
    Settings,
    fmt_ms,
    heading,
    interleave,
    line,
    median,
    member_body,
    ratio_of,
    record,
    verdict,
)

TARGET_PEER = 0.35
TARGET_EXTRA_S = 0.040

# httpx imports its command-line tool (click, rich, pygments: ~70 ms) whenever those packages
# are installed, as they are in the dev venv (the docs tools bring them). A plain install of
# either SDK does not have them; the children hide that module, for every variant alike.
_NO_HTTPX_CLI = """
import sys
class _NoHttpxCli:
    def find_spec(self, name, path=None, target=None):
        if name == "httpx._main":
            raise ImportError("httpx's CLI is not installed")
        return None
sys.meta_path.insert(0, _NoHttpxCli())
"""

_PRELUDE = """
import time
t0, c0 = time.perf_counter(), time.process_time()
import asyncio, json, httpx
BODY = {body!r}
def handler(request):
    return httpx.Response(200, content=BODY, headers={{"content-type": "application/json"}})
"""

_REPORT = """
asyncio.run(main())
c1, t1 = time.process_time(), time.perf_counter()
print(json.dumps({{"cpu": c1 - c0, "wall": t1 - t0, "modules": len(__import__("sys").modules)}}))
"""

OURS = """
from instantly_async import AsyncInstantly
async def main():
    async with httpx.AsyncClient(transport=httpx.MockTransport(handler)) as http:
        client = AsyncInstantly(api_key="k", http_client=http)
        member = await client.workspace_member.get({id!r})
        assert member.id == {id!r}, member
"""

PEER = """
from instantlyai import AsyncInstantly
async def main():
    async with httpx.AsyncClient(transport=httpx.MockTransport(handler)) as http:
        client = AsyncInstantly(api_key="k", http_client=http)
        member = await client.workspace_members.retrieve({id!r})
        assert str(member.id) == {id!r}, member
"""

RAW = """
async def main():
    async with httpx.AsyncClient(transport=httpx.MockTransport(handler)) as http:
        response = await http.request("GET", {url!r}, headers={{"Authorization": "Bearer k"}})
        member = json.loads(response.content)
        assert member["id"] == {id!r}, member
"""


def _script(body: str, *, peer_site: str | None = None) -> str:
    path = f"import sys\nsys.path.insert(0, {peer_site!r})\n" if peer_site else ""
    code = _PRELUDE.format(body=member_body()) + body.format(id=MEMBER_ID, url=MEMBER_URL)
    return _NO_HTTPX_CLI + path + code + _REPORT.format()


def _env() -> dict[str, str]:
    """The environment of a child: bytecode is written and read, as after ``pip install``
    (with PYTHONDONTWRITEBYTECODE set, every run would compile changed modules afresh)."""
    env = dict(os.environ)
    for name in ("PYTHONDONTWRITEBYTECODE", "PYTHONPROFILEIMPORTTIME", "PYTHONVERBOSE"):
        env.pop(name, None)
    return env


def _child(code: str, modules: list[int], walls: list[float]) -> float:
    proc = subprocess.run(
        [sys.executable, "-c", code],
        cwd=REPO,
        env=_env(),
        capture_output=True,
        text=True,
        check=False,
    )
    if proc.returncode != 0:
        raise SystemExit(f"cold-start child failed ({proc.returncode}):\n{proc.stderr}")
    report = json.loads(proc.stdout.strip().splitlines()[-1])
    modules.append(int(report["modules"]))
    walls.append(float(report["wall"]))
    return float(report["cpu"])


def run(settings: Settings) -> None:
    rounds = settings.coldstart_rounds
    heading(
        f"Cold start to a first answered call (fresh interpreters, interpreter start removed; "
        f"{rounds} rounds of ours / instantlyai / raw httpx, order rotated)"
    )
    site = str(_peer.ensure())
    scripts = {
        "ours": _script(OURS),
        "peer": _script(PEER, peer_site=site),
        "raw": _script(RAW),
    }
    modules: dict[str, list[int]] = {name: [] for name in scripts}
    walls: dict[str, list[float]] = {name: [] for name in scripts}
    variants = {name: (lambda n=name: _child(scripts[n], modules[n], walls[n])) for name in scripts}
    for once in variants.values():  # warm-up: writes bytecode, fills the OS file cache
        once()
    for values in walls.values():
        values.clear()
    samples = interleave(variants, rounds)
    labels = {
        "ours": "instantly_async: import, AsyncInstantly(...), await workspace_member.get(id)",
        "peer": "instantlyai 0.7.0: import, AsyncInstantly(...), await workspace_members.retrieve(id)",
        "raw": "httpx + json.loads: import, AsyncClient, request, json.loads",
    }
    for name, label in labels.items():
        values = samples[name]
        line(
            f"{name:<5}cpu {fmt_ms(median(values))} [{min(values) * 1e3:.1f}-"
            f"{max(values) * 1e3:.1f}]  wall {fmt_ms(median(walls[name]))}  "
            f"{modules[name][-1]} modules  {label}"
        )
    to_peer = ratio_of(samples["ours"], samples["peer"])
    extra = median(samples["ours"]) - median(samples["raw"])
    line(f"CPU time: ours/instantlyai = {to_peer:.2f}x; ours - raw httpx = {extra * 1e3:+.1f} ms")
    line(
        f"wall time: ours/instantlyai = {ratio_of(walls['ours'], walls['peer']):.2f}x; "
        f"ours - raw httpx = {(median(walls['ours']) - median(walls['raw'])) * 1e3:+.1f} ms"
    )
    ok = to_peer <= TARGET_PEER and extra <= TARGET_EXTRA_S
    record(
        Figure(
            "Cold start to a first answered call (interpreter start removed; CPU time)",
            "ms",
            ours=samples["ours"],
            peer=samples["peer"],
            raw=samples["raw"],
            ratio=f"{to_peer:.2f}x instantlyai; raw {extra * 1e3:+.0f} ms",
            target=f"<= {TARGET_PEER}x instantlyai and <= raw + {TARGET_EXTRA_S * 1e3:.0f} ms",
            verdict=verdict(ok, f"{to_peer:.3f}x, {extra * 1e3:+.0f} ms"),
        )
    )
