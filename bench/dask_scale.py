"""Throughput of joinup.dask.check_many (docs/scale.md): plans per second on one core in one
process, then on LocalClusters of 1 and 2 worker processes, and each worker's memory.

    JOINUP_LIBRARY=build/libjoinup.so.0 PYTHONPATH=bindings/python \
        /usr/bin/python3 bench/dask_scale.py [PLANS] [MAX_WORKERS]
"""
import os
import sys
import tempfile
import time
import pathlib

import psutil
from distributed import Client, LocalCluster

import joinup
import joinup.dask

here = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(here, "..", "tests", "dask"))
from test_dask import generate  # noqa: E402  the same generated plans as the suite's test

AS_OF = "2026-11-21"


def rss():
    return psutil.Process().memory_info().rss


def main():
    plans = int(sys.argv[1]) if len(sys.argv) > 1 else 600
    max_workers = int(sys.argv[2]) if len(sys.argv) > 2 else 2
    with tempfile.TemporaryDirectory() as d:
        paths = generate(pathlib.Path(d), plans)
        size = sum(os.path.getsize(p) for p in paths)
        print(f"{plans} plans, {size / plans / 1024:.1f} KiB each on average; standard pack; as of {AS_OF}")

        with joinup.Policy.standard() as policy:
            start = time.perf_counter()
            for p in paths:
                with joinup.Document.load(p) as doc, policy.evaluate(doc, as_of=AS_OF) as result:
                    result.report("json")
            took = time.perf_counter() - start
        print(f"one process, no Dask: {plans / took:7.0f} plans/s ({took * 1e3 / plans:.2f} ms a plan, JSON report each)")
        with joinup.Policy.standard() as policy:
            start = time.perf_counter()
            for p in paths:
                with joinup.Document.load(p) as doc, policy.evaluate(doc, as_of=AS_OF) as result:
                    result.fails("error")
            took = time.perf_counter() - start
        print(f"one process, no Dask: {plans / took:7.0f} plans/s ({took * 1e3 / plans:.2f} ms a plan, outcomes only)")

        for workers in range(1, max_workers + 1):
            with LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None) as c, \
                    Client(c) as client:
                joinup.dask.check_many(paths[:workers * 4], None, as_of=AS_OF, batch_size=1, client=client)  # warm
                start = time.perf_counter()
                bare = joinup.dask.check_many(paths, None, as_of=AS_OF, formats=(), batch_size=25, client=client)
                took_bare = time.perf_counter() - start
                start = time.perf_counter()
                report = joinup.dask.check_many(paths, None, as_of=AS_OF, formats=("json",), batch_size=25,
                                                client=client)
                took = time.perf_counter() - start
                memory = client.run(rss)
            assert report.files == plans and bare.files == plans
            mib = ", ".join(f"{m / 2**20:.0f}" for m in memory.values())
            print(f"Dask, {workers} worker process(es): {plans / took_bare:7.0f} plans/s outcomes only, "
                  f"{plans / took:7.0f} plans/s with the merged JSON ({len(report.json) / 2**20:.1f} MiB); "
                  f"worker RSS (MiB): {mib}")


if __name__ == "__main__":
    main()
