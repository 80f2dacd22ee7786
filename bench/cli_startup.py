"""``cloudplane --help`` start-up against ``python -c pass`` (and Click's own import, the floor).

Claim (issue 14): at most **3x** ``python -c pass``. Each side runs in a fresh interpreter,
interleaved, ``--samples`` times; the figures are the medians of wall time and of CPU time
(user + sys of the child, steadier than wall time on a loaded machine). ``import click`` is
measured too: no Click command line can start faster than that.
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import time

from bench._common import ROOT, environment, print_table, summarize, verdict, write_results

DEFAULT_SAMPLES = 21
CLAIM = 3.0
HELP = "import sys; sys.argv = ['cloudplane', '--help']; from cloudplane_cli.main import main; main()"
SIDES = {"python -c pass": "pass", "import click": "import click", "cloudplane --help": HELP}


def _run(code: str) -> tuple[float, float]:
    env = {**os.environ, "PYTHONPATH": str(ROOT / "client")}
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    subprocess.run([sys.executable, "-c", code], env=env, stdout=subprocess.DEVNULL, check=True)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.cli_startup", description=__doc__.splitlines()[0])
    parser.add_argument("--samples", type=int, default=DEFAULT_SAMPLES)
    samples = parser.parse_args(argv).samples
    wall: dict[str, list[float]] = {side: [] for side in SIDES}
    cpu: dict[str, list[float]] = {side: [] for side in SIDES}
    for _ in range(samples):
        for side, code in SIDES.items():
            took, used = _run(code)
            wall[side].append(took)
            cpu[side].append(used)
    figures = {side: {"wall": summarize(wall[side]), "cpu": summarize(cpu[side])} for side in SIDES}
    base = figures["python -c pass"]
    rows = []
    for side, measured in figures.items():
        rows.append(
            [
                side,
                f"{measured['wall']['median'] * 1000:.1f}",
                f"{measured['wall']['median'] / base['wall']['median']:.2f}x",
                f"{measured['cpu']['median'] * 1000:.1f}",
                f"{measured['cpu']['median'] / base['cpu']['median']:.2f}x",
            ]
        )
    print_table(
        f"CLI start-up, medians of {samples} interleaved runs",
        ["side", "wall ms", "wall ratio", "cpu ms", "cpu ratio"],
        rows,
    )
    ratio = figures["cloudplane --help"]["cpu"]["median"] / base["cpu"]["median"]
    print(f"\n  cloudplane --help at most {CLAIM}x python -c pass (CPU): {verdict(ratio <= CLAIM)} ({ratio:.2f}x)")
    write_results("cli_startup", {"environment": environment(), "samples": samples, "figures": figures})
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
