"""The Affinity and Attio fakes in a process of their own, for benchmarks.

In the benchmark's own process the fakes would share its interpreter lock with the app, and a
figure about batches in flight would measure that lock. ``python -m tests.support.crm_fakes_process
--persons N --orgs M [--latency S] [--attio-writes W]`` starts both, prints one JSON line with their
base URLs, and serves until stdin closes; ``GET /__stats`` on either answers its counters.
"""

from __future__ import annotations

import argparse
import json
import sys

from tests.support import crm_data
from tests.support.crm_fakes import FakeAffinity, FakeAttio


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--affinity-key", required=True)
    parser.add_argument("--attio-token", required=True)
    parser.add_argument("--persons", type=int, required=True)
    parser.add_argument("--orgs", type=int, required=True)
    parser.add_argument("--latency", type=float, default=0.0)
    parser.add_argument("--attio-reads", type=int, default=0, help="reads a second (0: no limit)")
    parser.add_argument("--attio-writes", type=int, default=0, help="writes a second (0: no limit)")
    args = parser.parse_args()
    orgs = crm_data.organizations(args.orgs)
    affinity = FakeAffinity(args.affinity_key, limit_per_window=None)
    affinity.load(crm_data.persons(args.persons, orgs), orgs)
    attio = FakeAttio(
        args.attio_token, reads_per_second=args.attio_reads or None, writes_per_second=args.attio_writes or None
    )
    affinity.latency = attio.latency = args.latency
    affinity.start()
    attio.start()
    print(json.dumps({"affinity": affinity.base_url, "attio": attio.base_url}), flush=True)
    sys.stdin.read()  # until the parent closes it
    affinity.stop()
    attio.stop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
