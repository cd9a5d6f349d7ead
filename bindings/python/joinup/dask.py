"""Checking many partnership files on a Dask cluster: one report for all of them.

    from distributed import Client
    import joinup.dask

    client = Client("scheduler.example:8786")          # or LocalCluster(), or no client: threads
    report = joinup.dask.check_many(paths, rules=None, as_of="2026-11-21", formats=("json", "sarif"))
    open("joinup.sarif", "w").write(report.reports["sarif"])

The files are split into batches, one task per batch. Each worker process compiles the policy the
first time a task needs it and keeps it for every later task (`compiles` counts how often that
happened in a process). The library renders each file's report; the batches' reports are merged
into one, equal to what `joinup check --format json` (or `sarif`) writes for the same files in
the same order. Paths are read by the workers, so on a cluster of several machines they must be
on storage every worker sees (or pass the documents' values instead of paths).
"""

from __future__ import annotations

import copy
import datetime
import json
import os
import threading
from dataclasses import dataclass, field
from typing import Any, Dict, List, Mapping, Optional, Sequence, Tuple, Union

import joinup

__all__ = ["check_many", "CheckReport", "merge_json", "merge_sarif", "MERGEABLE_FORMATS", "compiles"]

# Reports that merge into one report of every file, as the command writes for several files.
MERGEABLE_FORMATS = ("json", "sarif")

Item = Union[str, "os.PathLike[str]", Mapping[str, Any], Tuple[str, Mapping[str, Any]]]
RulesKey = Tuple[str, Tuple[Any, ...]]

# This process's compiled policies, by what they were compiled from.
_policies: Dict[RulesKey, joinup.Policy] = {}
_policies_lock = threading.Lock()
compiles = 0  # how many policies this process has compiled


def _policy(key: RulesKey) -> joinup.Policy:
    global compiles
    with _policies_lock:
        policy = _policies.get(key)
        if policy is None:
            kind, payload = key
            if kind == "standard":
                policy = joinup.Policy.standard()
            elif kind == "paths":
                policy = joinup.Policy.load(*payload)
            else:
                policy = joinup.Policy.compile_texts(dict(payload))
            _policies[key] = policy
            compiles += 1
        return policy


def _rules_key(rules: Union[None, str, "os.PathLike[str]", Sequence[Any], Mapping[str, str]]) -> RulesKey:
    if rules is None:
        return ("standard", ())
    if isinstance(rules, Mapping):
        return ("texts", tuple(sorted((str(k), str(v)) for k, v in rules.items())))
    if isinstance(rules, (str, os.PathLike)):
        return ("paths", (os.fspath(rules),))
    return ("paths", tuple(os.fspath(p) for p in rules))


def _check_batch(key: RulesKey, batch: List[Tuple[int, Item]], as_of: str,
                 formats: Tuple[str, ...]) -> Dict[str, Any]:
    """One task: each item of the batch checked, its reports rendered by the library and merged
    here, on the worker, so that the client only joins one report per batch."""
    policy = _policy(key)
    out = []
    for index, item in batch:
        entry: Dict[str, Any] = {"index": index}
        try:
            if isinstance(item, tuple):
                origin, value = item
                document = joinup.Document.from_value(value, origin)
            elif isinstance(item, Mapping):
                document = joinup.Document.from_value(item, f"document[{index}]")
            else:
                document = joinup.Document.load(item)
            with document:
                with policy.evaluate(document, as_of=as_of) as result:
                    entry["reports"] = {f: result.report(f) for f in formats}
                    entry["fails"] = {s: result.fails(s) for s in ("error", "warning", "info")}
        except joinup.Error as e:
            entry["error"] = str(e)
            entry["diagnostics"] = [{"file": d.origin, "line": d.line, "column": d.column, "code": d.code,
                                     "message": d.message, "help": d.help} for d in e.diagnostics]
        out.append(entry)
    checked = [e for e in out if "reports" in e]
    merged = {}
    for f in formats if checked else ():
        report = _MERGE[f]([e["reports"][f] for e in checked])
        merged[f] = _cut(report, f)
    for e in out:
        e.pop("reports", None)
    return {"entries": out, "merged": merged}


# The long lists of each mergeable report, and how deep their items sit in it: a worker sends
# them as JSON text, and the client splices the texts into the report it writes instead of
# parsing and re-serialising every file's findings.
_LISTS = {"json": [(("results",), 2)], "sarif": [(("runs", 0, "artifacts"), 4), (("runs", 0, "results"), 4)]}


def _at(report: Dict[str, Any], path: Tuple[Any, ...]) -> Tuple[Any, Any]:
    node = report
    for step in path[:-1]:
        node = node[step]
    return node, path[-1]


def _cut(report: Dict[str, Any], fmt: str) -> Tuple[Dict[str, Any], List[str]]:
    """The report without its long lists, and each list's items as JSON text at their depth."""
    texts = []
    for path, depth in _LISTS[fmt]:
        node, last = _at(report, path)
        indent = "\n" + "  " * depth
        texts.append((","+indent).join(json.dumps(item, indent=2, ensure_ascii=False).replace("\n", indent)
                                       for item in node[last]))
        node[last] = []
    return report, texts


def _splice(skeletons: List[Tuple[Dict[str, Any], List[str]]], fmt: str) -> str:
    """The merged report's text: the skeletons merged, then each long list's texts put in place."""
    merged = _MERGE[fmt]([s for s, _ in skeletons])
    pieces = []
    for k, (path, depth) in enumerate(_LISTS[fmt]):
        joined = (",\n" + "  " * depth).join(t[k] for _, t in skeletons if t[k])
        if joined:
            node, last = _at(merged, path)
            node[last] = [f"@@joinup-splice-{k}@@"]
        pieces.append(joined)
    text = json.dumps(merged, indent=2, ensure_ascii=False) + "\n"
    for k, joined in enumerate(pieces):
        if joined:
            text = text.replace(f'"@@joinup-splice-{k}@@"', joined, 1)
    return text


def _add(total: Dict[str, Any], part: Mapping[str, Any]) -> None:
    for k, v in part.items():
        if isinstance(v, Mapping):
            _add(total.setdefault(k, {}), v)
        elif isinstance(v, (int, float)) and not isinstance(v, bool):
            total[k] = total.get(k, 0) + v
        else:
            total.setdefault(k, v)


def merge_json(reports: Sequence[Union[str, Dict[str, Any]]]) -> Dict[str, Any]:
    """One JSON report (docs/json-output.md) of several (texts, or reports already parsed), in
    order: the files' results one after another, the summary added up. The reports must come from
    one policy and one as-of date."""
    merged: Dict[str, Any] = {}
    lists: list = []
    for text in reports:
        doc = json.loads(text) if isinstance(text, str) else text
        if not merged:
            merged = copy.deepcopy(doc)
            merged["summary"] = {}
            merged["results"] = []
            merged["waivers"] = []
        _add(merged["summary"], doc["summary"])
        merged["results"].extend(doc["results"])
        merged["waivers"].extend(doc.get("waivers", []))
        if any(r.get("rules") for r in doc["results"]):
            lists.append(doc.get("unjudged_rules", []))
    if merged and "unjudged_rules" in merged:
        merged["unjudged_rules"] = _unjudged(lists)
    return merged


def _unjudged(lists: Sequence[Sequence[str]]) -> list:
    """The rules no file judged: those every report that evaluated a file lists (a rule one batch
    judged is judged), in rule order."""
    if not lists:
        return []
    rest = [set(x) for x in lists[1:]]
    return [r for r in lists[0] if all(r in x for x in rest)]


def merge_sarif(reports: Sequence[Union[str, Dict[str, Any]]]) -> Dict[str, Any]:
    """One SARIF log of several (texts, or logs already parsed), in order: one run whose artifacts
    and results are theirs one after another, its summary added up. The logs must come from one
    policy and one as-of date."""
    merged: Dict[str, Any] = {}
    lists: list = []
    for text in reports:
        log = json.loads(text) if isinstance(text, str) else text
        run = log["runs"][0]
        if not merged:
            merged = copy.deepcopy(log)
            base = merged["runs"][0]
            base["artifacts"], base["results"] = [], []
            summary = base.setdefault("properties", {}).setdefault("summary", {})
            for k in list(summary):
                summary[k] = 0
            for inv in base.get("invocations", []):
                inv["toolConfigurationNotifications"] = []
        base = merged["runs"][0]
        base["artifacts"].extend(run.get("artifacts", []))
        base["results"].extend(run.get("results", []))
        _add(base["properties"]["summary"], run.get("properties", {}).get("summary", {}))
        for mine, theirs in zip(base.get("invocations", []), run.get("invocations", [])):
            mine["executionSuccessful"] = mine.get("executionSuccessful", True) and theirs.get("executionSuccessful", True)
            mine["toolConfigurationNotifications"].extend(theirs.get("toolConfigurationNotifications", []))
        props = run.get("properties", {})
        if "unjudgedRules" in props and props.get("summary", {}).get("rules", 0) > 0:  # it evaluated a file
            lists.append(props["unjudgedRules"])
    if merged and "unjudgedRules" in merged["runs"][0].get("properties", {}):
        merged["runs"][0]["properties"]["unjudgedRules"] = _unjudged(lists)
    return merged


_MERGE = {"json": merge_json, "sarif": merge_sarif}


def _file_uri(path: str) -> str:
    """A file name as a URI reference, as the library's reports write it."""
    keep = set("-._~/!$&'()*+,;=@")
    out = "file://" if path.startswith("/") else ""
    for b in path.encode("utf-8"):
        c = chr(b)
        out += c if (c.isascii() and c.isalnum()) or c in keep else f"%{b:02X}"
    return out


def _with_errors(text: str, fmt: str, broken: List[Dict[str, Any]]) -> str:
    """The merged report with the files that could not be checked, where `joinup check` puts them:
    the JSON report's `errors`; SARIF's toolExecutionNotifications, with the run marked unsuccessful."""
    report = json.loads(text)
    if fmt == "json":
        report["errors"] = list(broken)
    else:
        invocation = report["runs"][0]["invocations"][0]
        invocation["executionSuccessful"] = False
        notes = []
        for d in broken:
            note: Dict[str, Any] = {
                "descriptor": {"id": d["code"] or "error"},
                "level": "error",
                "message": {"text": d["message"] + (f" ({d['help']})" if d["help"] else "")},
            }
            if d["file"] and d["file"] != "-":
                where: Dict[str, Any] = {"artifactLocation": {"uri": _file_uri(d["file"])}}
                if d["line"]:
                    where["region"] = {"startLine": d["line"]}
                    if d["column"]:
                        where["region"]["startColumn"] = d["column"]
                note["locations"] = [{"physicalLocation": where}]
            notes.append(note)
        invocation["toolExecutionNotifications"] = notes
    return json.dumps(report, indent=2, ensure_ascii=False) + "\n"


@dataclass
class CheckReport:
    """The outcome of check_many: one report per format asked for (as `joinup check --format F`
    writes for the files that loaded, in the order given), which items failed at each severity,
    and the items that could not be checked (their index and the error, as the command prints it)."""
    reports: Dict[str, str]
    files: int
    failing: Dict[str, List[int]] = field(default_factory=dict)
    errors: List[Tuple[int, str]] = field(default_factory=list)

    @property
    def json(self) -> str:
        return self.reports["json"]

    def fails(self, threshold: str = "error") -> bool:
        """Whether any item fails at `threshold` (as `joinup check --fail-on`), or could not be checked."""
        return bool(self.failing.get(threshold)) or bool(self.errors)


def check_many(paths_or_documents: Sequence[Item], rules: Any = None, *, as_of: Union[datetime.date, str, None] = None,
               formats: Sequence[str] = ("json",), batch_size: int = 32, client: Any = None) -> CheckReport:
    """Checks every item against the rules on Dask and gathers one report.

    Items are data file paths (read by the workers), mappings (built into documents named
    document[INDEX]), or (origin, mapping) pairs. `rules` is None for the standard pack, a path or
    list of paths (files or directories, read by the workers), or {origin: text}. `as_of` is fixed
    once for every item (default: today, UTC). `formats` are among MERGEABLE_FORMATS. With a
    distributed `client` (or a default one registered), tasks run on its workers; otherwise on
    Dask's default scheduler in this process."""
    import dask  # here, so that `import joinup.dask` does not need dask until it is used

    for f in formats:
        if f not in MERGEABLE_FORMATS:
            raise ValueError(f"cannot merge the format {f!r} over several files: expected one of "
                             f"{', '.join(MERGEABLE_FORMATS)}")
    if batch_size < 1:
        raise ValueError("batch_size must be at least 1")
    if as_of is None:
        as_of = datetime.datetime.now(datetime.timezone.utc).date()
    day = as_of.isoformat() if isinstance(as_of, datetime.date) else str(as_of)
    key = _rules_key(rules)
    items = [(i, item if isinstance(item, (Mapping, tuple)) else os.fspath(item))
             for i, item in enumerate(paths_or_documents)]
    batches = [items[i:i + batch_size] for i in range(0, len(items), batch_size)]
    fmts = tuple(formats)

    if client is not None:
        futures = client.map(_check_batch, [key] * len(batches), batches, [day] * len(batches),
                             [fmts] * len(batches), pure=False)
        parts = client.gather(futures)
    else:
        tasks = [dask.delayed(_check_batch, pure=False)(key, b, day, fmts) for b in batches]
        parts = list(dask.compute(*tasks))

    # The batches come back in the order given; each holds its items in order.
    entries = [e for part in parts for e in part["entries"]]
    checked = [e for e in entries if "fails" in e]
    reports = {}
    for f in fmts:
        reports[f] = _splice([part["merged"][f] for part in parts if part["merged"]], f)
    failing = {s: [e["index"] for e in checked if e["fails"][s]] for s in ("error", "warning", "info")}
    errors = [(e["index"], e["error"]) for e in entries if "error" in e]
    broken = [d for e in entries for d in e.get("diagnostics", ())]
    if broken:
        for f in fmts:
            reports[f] = _with_errors(reports[f], f, broken)
    return CheckReport(reports, len(checked), failing, errors)
