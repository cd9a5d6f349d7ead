"""joinup.dask.check_many on a LocalCluster of two worker processes, over a few hundred plans
generated here from the examples: the merged JSON and SARIF reports equal what a serial
`joinup check` writes for the same files, each worker compiles the policy once, and a file that
does not parse is reported without stopping the others."""
import copy
import json
import os
import subprocess
import time

import pytest
import yaml
from distributed import Client, LocalCluster

import joinup.dask

SOURCE = os.environ.get("JOINUP_SOURCE_DIR", os.path.join(os.path.dirname(__file__), "..", ".."))
AS_OF = "2026-11-21"
PLANS = 300


def generate(directory, count):
    """Variants of the example partnerships: renamed, teams grown and shrunk, budgets moved,
    leavers dropped; alternately YAML and JSON."""
    bases = []
    for name in ("northvale-midway.yaml", "eastmoor-struggling.yaml", "harrowfield-good.yaml"):
        with open(os.path.join(SOURCE, "examples", "partnerships", name)) as f:
            bases.append(yaml.safe_load(f))
    with open(os.path.join(SOURCE, "examples", "quickstart", "partnership.yaml")) as f:
        bases.append(yaml.safe_load(f))
    paths = []
    for i in range(count):
        plan = copy.deepcopy(bases[i % len(bases)])
        p = plan["partnership"]
        p["name"] = f"{p.get('name', 'Partnership')} #{i}"
        for team in p.get("teams", []) or []:
            members = team.get("members")
            if isinstance(members, list) and members:
                team["members"] = (members * 3)[: max(1, (len(members) * (i % 7 + 1)) // 4)]
        budget = p.get("budget")
        if isinstance(budget, dict) and isinstance(budget.get("pooled"), (int, float)):
            budget["pooled"] = budget["pooled"] * (i % 5 + 1) / 3
        if i % 3 == 0 and isinstance(p.get("leavers"), list):
            p["leavers"] = p["leavers"][: i % 4]
        if i % 2:
            path = directory / f"plan-{i:03}.json"
            path.write_text(json.dumps(plan, default=str, indent=1))
        else:
            path = directory / f"plan-{i:03}.yaml"
            path.write_text(yaml.safe_dump(plan, sort_keys=False))
        paths.append(str(path))
    return paths


def compiles():
    return joinup.dask.compiles


def command(*args, exit_codes=(0, 1)):
    exe = os.environ.get("JOINUP_COMMAND")
    if not exe:
        pytest.fail("JOINUP_COMMAND is not set: the suite runs this test with the command just built")
    ran = subprocess.run([exe, *args], capture_output=True, text=True)
    assert ran.returncode in exit_codes, ran.stderr
    return json.loads(ran.stdout)


def test_check_many_on_a_local_cluster(tmp_path):
    paths = generate(tmp_path, PLANS)
    broken = tmp_path / "broken.yaml"
    broken.write_text("partnership: {name: [unclosed\n")
    items = paths[:5] + [str(broken)] + paths[5:]

    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster, \
            Client(cluster) as client:
        start = time.monotonic()
        report = joinup.dask.check_many(items, None, as_of=AS_OF, formats=("json", "sarif"), batch_size=20,
                                        client=client)
        took = time.monotonic() - start
        counts = client.run(compiles)

    assert sorted(counts.values()) == [1, 1], counts  # each worker compiled the pack once
    assert report.files == PLANS
    assert len(report.errors) == 1 and report.errors[0][0] == 5
    assert "broken.yaml:1:21: error: invalid YAML: this '[' starts a list that is not closed" in report.errors[0][1]
    assert report.fails("error")

    # The broken plan is in the merged reports where the command puts it (exit 2: a file not checked).
    serial_json = command("check", "--as-of", AS_OF, "--format", "json", *items, exit_codes=(2,))
    merged = json.loads(report.json)
    assert merged["summary"]["files"] == PLANS
    assert [e["file"] for e in merged["errors"]] == [str(broken)]
    assert merged == serial_json
    serial_sarif = command("check", "--as-of", AS_OF, "--format", "sarif", *items, exit_codes=(2,))
    sarif = json.loads(report.reports["sarif"])
    assert sarif["runs"][0]["invocations"][0]["executionSuccessful"] is False
    assert sarif == serial_sarif
    failing = [i for i, r in enumerate(serial_json["results"])
               if r["summary"]["failed_by_severity"]["error"] > 0 or r["summary"]["undetermined"] > 0]
    assert [i - (i > 5) for i in report.failing["error"]] == failing
    print(f"{PLANS} plans on 2 worker processes: {took:.2f} s")


def test_formats_that_do_not_merge():
    with pytest.raises(ValueError, match="cannot merge the format 'text'"):
        joinup.dask.check_many([], None, formats=("text",))
