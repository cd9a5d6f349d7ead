#!/usr/bin/env python3
"""Turns joinup_bench's JSON output into the tables of bench/README.md.

    joinup_bench --benchmark_repetitions=5 --benchmark_report_aggregates_only=true \
                 --benchmark_out=run.json --benchmark_out_format=json
    python3 bench/table.py run.json

A run of the load benchmarks alone (--benchmark_filter=load) gives the load table only, one of
the shapes alone (--benchmark_filter=shapes) the shapes table only.

Uses the median of the repetitions (CPU time: on a shared machine it counts less of the time the
process spent waiting for a core) and computes every ratio from figures of the same run.
"""
import json
import sys


def load(path):
    with open(path) as f:
        data = json.load(f)
    out = {}
    for b in data["benchmarks"]:
        if b.get("run_type") == "aggregate" and b.get("aggregate_name") != "median":
            continue
        name = b.get("run_name", b["name"])
        scale = {"ns": 1e-6, "us": 1e-3, "ms": 1.0, "s": 1e3}[b.get("time_unit", "ns")]
        out[name] = dict(b, ms=b["cpu_time"] * scale)
    return out


def fmt(ms):
    if ms < 0.01:
        return f"{ms * 1000:.2f} µs"
    if ms < 0.1:
        return f"{ms * 1000:.1f} µs"
    return f"{ms * 1000:.0f} µs" if ms < 1 else f"{ms:.1f} ms" if ms < 100 else f"{ms:.0f} ms"


def load_table(b):
    """A run of the load benchmarks alone (--benchmark_filter=load)."""
    sizes = sorted({int(k.rsplit("/", 1)[1]) for k in b if k.startswith("load/json/joinup/")})
    print("| N | load JSON joinup | simdjson | ratio | load YAML joinup | YAML::Load | speed-up "
          "| memory / JSON bytes | peak / JSON bytes |")
    print("|---|---|---|---|---|---|---|---|---|")
    for n in sizes:
        j, jb = b[f"load/json/joinup/{n}"]["ms"], b[f"load/json/baseline/{n}"]["ms"]
        y, yn = b[f"load/yaml/joinup/{n}"]["ms"], b[f"load/yaml/yaml-node/{n}"]["ms"]
        m = b[f"load/json/joinup/{n}"]
        peak = m["peak"] * m["per_json_byte"] / m["retained"]
        print(f"| {n:,} | {fmt(j)} | {fmt(jb)} | {j / jb:.1f}× | {fmt(y)} | {fmt(yn)} | {yn / y:.2f}× "
              f"| {m['per_json_byte']:.2f}× | {peak:.2f}× |")


def shapes_table(b):
    """The general shapes (bench/shapes.jup), when the run has them."""
    sizes = sorted({int(k.rsplit("/", 1)[1]) for k in b if k.startswith("eval/shapes/all/joinup/")})
    if not sizes:
        return
    names = ["all"] + [f"s{k}" for k in range(1, 6)]
    print("| N | " + " | ".join("S1–S5" if s == "all" else s.upper() for s in names) + " |")
    print("|---|" + "---|" * len(names))
    for n in sizes:
        cells = []
        for s in names:
            e, eb = b[f"eval/shapes/{s}/joinup/{n}"]["ms"], b[f"eval/shapes/{s}/baseline/{n}"]["ms"]
            cells.append(f"{fmt(e)} / {fmt(eb)} ({e / eb:.1f}×)")
        print(f"| {n:,} | " + " | ".join(cells) + " |")
    if 10000 in sizes and 100000 in sizes:
        g = b["eval/shapes/all/joinup/100000"]["ms"] / b["eval/shapes/all/joinup/10000"]["ms"]
        gb = b["eval/shapes/all/baseline/100000"]["ms"] / b["eval/shapes/all/baseline/10000"]["ms"]
        print()
        print(f"Growth of eval S1–S5 from N = 10,000 to 100,000: joinup {g:.1f}×, baseline {gb:.1f}×")


def main():
    b = load(sys.argv[1])
    sizes = sorted({int(k.rsplit("/", 1)[1]) for k in b if k.startswith("eval/all/joinup/")})
    if not sizes:
        if any(k.startswith("eval/shapes/") for k in b):
            shapes_table(b)
        else:
            load_table(b)
        return
    print("| N | eval R1–R8 joinup (find) | baseline | ratio | joinup, every violation rendered | ratio |")
    print("|---|---|---|---|---|---|")
    for n in sizes:
        e, eb = b[f"eval/all/joinup/{n}"]["ms"], b[f"eval/all/baseline/{n}"]["ms"]
        full = b.get(f"eval/all/joinup-full/{n}", {}).get("ms")
        tail = f"{fmt(full)} | {full / eb:.1f}×" if full else "– | –"
        print(f"| {n:,} | {fmt(e)} | {fmt(eb)} | {e / eb:.2f}× | {tail} |")
    if all(f"load/json/joinup/{n}" in b for n in sizes):
        print()
        load_table(b)
    print()
    print("| N | " + " | ".join(f"R{k}" for k in range(1, 9)) + " |")
    print("|---|" + "---|" * 8)
    for n in sizes:
        cells = []
        for k in range(1, 9):
            e, eb = b[f"eval/r{k}/joinup/{n}"]["ms"], b[f"eval/r{k}/baseline/{n}"]["ms"]
            cells.append(f"{fmt(e)} / {fmt(eb)} ({e / eb:.1f}×)")
        print(f"| {n:,} | " + " | ".join(cells) + " |")
    print()
    if 10000 in sizes and 100000 in sizes:
        g = b["eval/all/joinup/100000"]["ms"] / b["eval/all/joinup/10000"]["ms"]
        gb = b["eval/all/baseline/100000"]["ms"] / b["eval/all/baseline/10000"]["ms"]
        print(f"Growth of eval R1–R8 from N = 10,000 to 100,000: joinup {g:.1f}×, baseline {gb:.1f}×")
    if "compile/workload" in b:
        print(f"Compile: workload.jup {fmt(b['compile/workload']['ms'])}, "
              f"1,000 generated rules {fmt(b['compile/generated-1000']['ms'])}")
    print()
    shapes_table(b)


main()
