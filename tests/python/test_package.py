"""The Python package beyond the basics: waivers, every report format, lazy results, the values
Document.from_value takes, errors that print as the command prints them, and how the package
finds its library. Run by pytest (Debian's python3-pytest) with the library just built."""
import datetime
import decimal
import json
import os
import subprocess
import sys

import pytest

import joinup

SOURCE = os.environ.get("JOINUP_SOURCE_DIR", os.path.join(os.path.dirname(__file__), "..", ".."))
QUICKSTART_RULES = os.path.join(SOURCE, "examples", "quickstart", "rules.jup")
QUICKSTART_DATA = os.path.join(SOURCE, "examples", "quickstart", "partnership.yaml")
AS_OF = "2026-11-21"

WAIVERS = """waivers:
  - rule: quickstart.senior-leaver-replacement
    subject: "partnership.leavers[0]"
    reason: "Interim cover while the joint post is advertised"
    approved_by: "Joint Committee, 2026-10-02"
    expires: 2027-03-31
  - rule: quickstart.team-size
    reason: "The discharge hub is being split"
    expires: 2026-01-31
  - rule: quickstart.no-such-rule
    reason: "unused"
"""


@pytest.fixture(scope="module")
def policy():
    with joinup.Policy.load(QUICKSTART_RULES) as p:
        yield p


@pytest.fixture(scope="module")
def doc():
    with joinup.Document.load(QUICKSTART_DATA) as d:
        yield d


def command(*args):
    """`joinup check` of the build, when the test is given it (JOINUP_COMMAND)."""
    exe = os.environ.get("JOINUP_COMMAND")
    if not exe:
        pytest.fail("JOINUP_COMMAND is not set: the suite runs this test with the command just built")
    return subprocess.run([exe, *args], capture_output=True, text=True, cwd=SOURCE)


def test_report_formats_are_the_commands():
    assert joinup.report_formats()[:6] == ("text", "json", "sarif", "junit", "github", "html")


@pytest.mark.parametrize("fmt", ["text", "json", "sarif", "junit", "github", "html"])
def test_every_format_equals_the_command(policy, doc, fmt):
    result = policy.evaluate(doc, as_of=AS_OF)
    ran = command("check", "--rules", QUICKSTART_RULES, "--as-of", AS_OF, "--format", fmt, "--color", "never",
                  QUICKSTART_DATA)
    assert ran.returncode in (0, 1), ran.stderr  # 1: the check found errors
    assert result.report(fmt) == ran.stdout
    assert result.report(fmt) is result.report(fmt)  # made once


def test_unknown_format(policy, doc):
    result = policy.evaluate(doc, as_of=AS_OF)
    with pytest.raises(ValueError, match="unknown report format 'yaml': expected one of text, json"):
        result.report("yaml")


def test_waivers(policy, doc, tmp_path):
    with joinup.Waivers.parse(WAIVERS, "waivers.yaml") as waivers:
        assert len(waivers) == 3
        result = policy.evaluate(doc, as_of=AS_OF, waivers=waivers)
    plain = policy.evaluate(doc, as_of=AS_OF)
    assert plain.fails("error") and not plain.violations[0].waived
    first = result.violations[0]
    assert (first.rule_id, first.waived, first.waiver_reason) == (
        "quickstart.senior-leaver-replacement", True, "Interim cover while the joint post is advertised")
    assert not result.fails("error")  # the one error is waived
    assert result.fails("warning")    # an unused and an expired waiver are warnings
    s = result.summary
    assert (s.waived, s.waived_findings, s.failed) == (1, 1, plain.summary.failed - 1)
    states = [(w.rule, w.state, w.matched) for w in result.waivers]
    assert states == [("quickstart.senior-leaver-replacement", "used", 1), ("quickstart.team-size", "expired", 1),
                      ("quickstart.no-such-rule", "unused", 0)]
    assert result.waivers[1].expires == "2026-01-31"
    assert (result.waivers[0].origin, result.waivers[0].line) == ("waivers.yaml", 2)
    # The reports say so as the command's do.
    path = tmp_path / "waivers.yaml"
    path.write_text(WAIVERS)
    with joinup.Waivers.load(path) as from_file:
        again = policy.evaluate(doc, as_of=AS_OF, waivers=from_file)
    for fmt in ("json", "sarif", "text"):
        ran = command("check", "--rules", QUICKSTART_RULES, "--as-of", AS_OF, "--format", fmt, "--color", "never",
                      "--waivers", str(path), QUICKSTART_DATA)
        assert again.report(fmt) == ran.stdout
    assert json.loads(again.json)["summary"]["waived"] == 1


def test_waivers_errors():
    with pytest.raises(joinup.DataError) as caught:
        joinup.Waivers.parse("waivers:\n  - rule: a.b\n    reasn: typo\n", "w.yaml")
    e = caught.value
    assert (e.origin, e.line) == ("w.yaml", 3)
    assert "reasn" in str(e)
    with pytest.raises(joinup.Error) as caught:
        joinup.Waivers.load("/nonexistent/waivers.yaml")
    assert caught.value.status == joinup.NOT_FOUND
    with pytest.raises(TypeError):
        joinup.Policy.compile("package p\nuses d\nrule r \"R\" { require d.x == 1 }\n").evaluate(
            joinup.Document.parse("d: {x: 1}"), waivers="waivers.yaml")


def test_results_are_lazy(policy, doc):
    result = policy.evaluate(doc, as_of=AS_OF)
    assert result.summary.findings == len(result.violations) == 3
    assert result._reports == {} and all(v is None for v in result.violations._items)
    assert result.fails("info")  # answered from the outcomes: nothing rendered
    assert all(v is None for v in result.violations._items)
    v = result.violations[1]
    assert [x is None for x in result.violations._items] == [True, False, True]
    assert result.violations[1] is v
    assert next(r for r in result.rules if r.rule_id == v.rule_id).violations == (v,)


def test_rule_error_prints_as_the_command():
    bad = "package bad\nuses partnership\nrule r \"R\" {\n  for each leaver in partnership.leavers\n" \
          "  require cuont(leavr) > 0\n}\n"
    with pytest.raises(joinup.RuleError) as caught:
        joinup.Policy.compile(bad, "bad.jup")
    text = str(caught.value)
    assert text.splitlines() == [
        "bad.jup:5:11: error: unknown function 'cuont'",
        "    require cuont(leavr) > 0",
        "            ^^^^^",
        "  help: did you mean 'count'?",
        "bad.jup:5:17: error: unknown name 'leavr'",
        "    require cuont(leavr) > 0",
        "                  ^^^^^",
        "  help: did you mean 'leaver'?",
    ]


def test_decimal_and_date():
    rules = "package hr\nuses post\nrule pay \"Pay\" {\n  require post.salary >= 30000.5\n" \
            "  require post.start < date(\"2027-01-01\")\n}\n"
    with joinup.Policy.compile(rules, "hr.jup") as policy:
        ok = {"post": {"salary": decimal.Decimal("30000.50"), "start": datetime.date(2026, 12, 1)}}
        low = {"post": {"salary": decimal.Decimal("30000.49"), "start": datetime.date(2026, 12, 1)}}
        whole = {"post": {"salary": decimal.Decimal("40000"), "start": datetime.date(2027, 2, 1)}}
        with joinup.Document.from_value(ok) as d:
            assert not policy.evaluate(d).fails()
        with joinup.Document.from_value(low) as d:
            assert "30000.49" in [e.value for e in policy.evaluate(d).violations[0].explanation]
        with joinup.Document.from_value(whole) as d:
            result = policy.evaluate(d)
            assert result.violations[0].require_text == "post.start < date(\"2027-01-01\")"
            assert "2027-02-01" in [e.value for e in result.violations[0].explanation]


@pytest.mark.parametrize("bad", [float("nan"), float("inf"), decimal.Decimal("NaN"), decimal.Decimal("-Infinity")])
def test_nan_is_a_data_error(bad):
    with pytest.raises(joinup.DataError) as caught:
        joinup.Document.from_value({"post": {"fte": [1, bad]}}, "hr")
    assert caught.value.status == joinup.INVALID_ARGUMENT
    assert "post.fte[1]" in str(caught.value)


def test_datetime_is_refused():
    with pytest.raises(TypeError, match=r"pass its \.date\(\)"):
        joinup.Document.from_value({"start": datetime.datetime(2026, 1, 1, 9, 30)})


def test_typed_package():
    assert os.path.exists(os.path.join(os.path.dirname(joinup.__file__), "py.typed"))


def test_missing_library_is_one_clear_sentence(tmp_path):
    env = dict(os.environ, JOINUP_LIBRARY=str(tmp_path / "libjoinup.so.0"))
    ran = subprocess.run([sys.executable, "-c", "import joinup"], capture_output=True, text=True, env=env)
    assert ran.returncode != 0
    last = ran.stderr.strip().splitlines()[-1]
    assert last == (f"ImportError: joinup cannot find its library libjoinup.so.0: it looked in "
                    f"{tmp_path}/libjoinup.so.0 (JOINUP_LIBRARY); install joinup with `cmake --install`, or set "
                    f"JOINUP_LIBRARY to the library's path.")


def test_a_dropped_result_is_freed_at_once(policy, doc):
    import gc
    import weakref
    gc.disable()  # no cycle collection: only reference counting may free it
    try:
        result = policy.evaluate(doc, as_of=AS_OF)
        rules = result.rules
        assert len(rules[0].violations) == 1  # rendered: the sequence, the handle and the rules held
        owner = weakref.ref(result._owner)
        del result, rules
        assert owner() is None
    finally:
        gc.enable()


def test_a_closed_result(policy, doc):
    with policy.evaluate(doc, as_of=AS_OF) as result:
        first = result.violations[0]
    assert result.violations[0] is first  # read before closing: kept
    with pytest.raises(ValueError, match="closed"):
        result.violations[1]
    with pytest.raises(ValueError, match="closed"):
        result.report("json")
