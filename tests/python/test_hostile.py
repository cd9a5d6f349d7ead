"""The Python package misused: NUL in paths, limits that do not fit, close() during a call,
copies of handles, unknown formats, non-UTF-8 paths, and the evaluation budgets."""
import copy
import os
import pickle
import threading
import time

import pytest

import joinup

SOURCE = os.environ.get("JOINUP_SOURCE_DIR", os.path.join(os.path.dirname(__file__), "..", ".."))
QUICKSTART_RULES = os.path.join(SOURCE, "examples", "quickstart", "rules.jup")
QUICKSTART_DATA = os.path.join(SOURCE, "examples", "quickstart", "partnership.yaml")
AS_OF = "2026-11-21"


def test_a_nul_in_a_path_is_refused_not_cut_short(tmp_path):
    (tmp_path / "a.yaml").write_text("x: 1\n")
    hostile = str(tmp_path / "a.yaml") + "\0/../../etc/passwd"
    with pytest.raises(ValueError, match="NUL"):
        joinup.Document.load(hostile)
    with pytest.raises(ValueError, match="NUL"):
        joinup.Policy.load(QUICKSTART_RULES + "\0x")
    with pytest.raises(ValueError, match="NUL"):
        joinup.Waivers.load(hostile)
    with pytest.raises(ValueError, match="NUL"):
        joinup.Document.parse("x: 1", origin="a\0b")


@pytest.mark.parametrize("value,error", [(-1, ValueError), (2**64, OverflowError), (2**70, OverflowError),
                                         (1.5, TypeError), ("10", TypeError)])
def test_limits_that_do_not_fit_are_refused(value, error):
    with joinup.Policy.load(QUICKSTART_RULES) as policy, joinup.Document.load(QUICKSTART_DATA) as doc:
        with pytest.raises(error, match="max_steps"):
            policy.evaluate(doc, as_of=AS_OF, max_steps=value)
        with pytest.raises(error, match="max_memory_bytes"):
            policy.evaluate(doc, as_of=AS_OF, max_memory_bytes=value)
    with pytest.raises(error, match="max_bytes"):
        joinup.Document.parse("x: 1", max_bytes=value)
    with pytest.raises(error, match="max_file_bytes"):
        joinup.Policy.load(QUICKSTART_RULES, max_file_bytes=value)


def test_limits_at_the_edges_are_taken():
    with joinup.Policy.load(QUICKSTART_RULES) as policy, joinup.Document.load(QUICKSTART_DATA) as doc:
        assert policy.evaluate(doc, as_of=AS_OF, max_steps=2**64 - 1).summary.rules > 0
        assert policy.evaluate(doc, as_of=AS_OF, max_memory_bytes=0).summary.rules > 0
        with pytest.raises(joinup.LimitError) as e:
            policy.evaluate(doc, as_of=AS_OF, max_steps=1)
        assert e.value.status == joinup.STEP_LIMIT


def test_the_memory_budget():
    rules = """uses d
rule flat {
  let xs = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]
  let l2 = flatten([xs for a in xs])
  let l4 = flatten([l2 for a in l2])
  require count(l4) == 10000 + d.x - 1
}
"""
    with joinup.Policy.compile(rules, "f.jup") as policy, joinup.Document.parse("d: {x: 1}") as doc:
        assert policy.evaluate(doc, as_of=AS_OF).summary.passed == 1
        with pytest.raises(joinup.LimitError) as e:
            policy.evaluate(doc, as_of=AS_OF, max_memory_bytes=64 * 1024)
        assert e.value.status == joinup.MEMORY_LIMIT
        assert "the memory budget of 65536 bytes (max_memory_bytes) was used up" in str(e.value)


def test_close_while_another_thread_evaluates_waits_for_it():
    # Quadratic over 3,000 elements: still running when close() is called.
    rules = "uses d\nrule pairs { require all a in d.xs: count([b for b in d.xs where b == a]) == 1 }\n"
    data = "d: {xs: [" + ", ".join(str(i) for i in range(3000)) + "]}"
    policy = joinup.Policy.compile(rules, "p.jup")
    doc = joinup.Document.parse(data)
    outcome = {}

    def run():
        outcome["result"] = policy.evaluate(doc, as_of=AS_OF, max_steps=2**62)  # the plain walk: slower

    t = threading.Thread(target=run)
    t.start()
    deadline = time.monotonic() + 10
    while not (policy._users and doc._users) and t.is_alive() and time.monotonic() < deadline:
        time.sleep(0.0002)
    in_use = bool(policy._users and doc._users)
    policy.close()
    doc.close()
    t.join()
    assert in_use, "the evaluation ended before close() could be called while it ran"
    # The evaluation ran to the end on live handles; they were freed after it.
    assert outcome["result"].summary.passed == 1
    assert not policy._handle and not doc._handle
    with pytest.raises(ValueError, match="closed"):
        policy.evaluate(doc)
    policy.close()  # twice is fine


def test_handles_cannot_be_copied():
    with joinup.Policy.load(QUICKSTART_RULES) as policy, joinup.Document.load(QUICKSTART_DATA) as doc:
        for handle in (policy, doc):
            with pytest.raises(TypeError, match="cannot be copied"):
                copy.copy(handle)
            with pytest.raises(TypeError, match="cannot be copied"):
                copy.deepcopy(handle)
            with pytest.raises(TypeError, match="cannot be pickled"):
                pickle.dumps(handle)
        result = policy.evaluate(doc, as_of=AS_OF)
        shared = copy.copy(result)  # a shallow copy shares the one library result
        assert shared.summary == result.summary
        with pytest.raises(TypeError, match="cannot be copied"):
            copy.deepcopy(result)
        result.close()
        shared.close()  # the shared result is freed once


def test_an_unknown_data_format_is_a_value_error():
    with pytest.raises(ValueError, match="unknown data format 'xml': expected one of auto, yaml, json"):
        joinup.Document.parse("x: 1", format="xml")
    with pytest.raises(ValueError, match="unknown data format 'xml'"):
        joinup.Document.load(QUICKSTART_DATA, format="xml")


def test_non_utf8_paths_are_refused_with_utf8_messages(tmp_path):
    name = os.fsencode(str(tmp_path)) + b"/caf\xe9.yaml"
    with open(name, "w") as f:
        f.write("x: 1\n")
    with pytest.raises(joinup.DataError) as e:
        joinup.Document.load(os.fsdecode(name))
    assert e.value.status == joinup.INVALID_UTF8
    assert "the path is not valid UTF-8: byte 0xE9 at byte offset" in str(e.value)
    with pytest.raises(joinup.DataError) as e:
        joinup.Document.load(name)  # bytes paths too
    assert e.value.status == joinup.INVALID_UTF8


def test_a_non_utf8_as_of_is_escaped_in_the_message():
    with joinup.Policy.load(QUICKSTART_RULES) as policy, joinup.Document.load(QUICKSTART_DATA) as doc:
        with pytest.raises(joinup.Error) as e:
            policy.evaluate(doc, as_of="2026-\udce9")  # a surrogate-escaped byte 0xE9
        assert e.value.status == joinup.INVALID_ARGUMENT
        assert "invalid as-of date '2026-\\xE9': expected YYYY-MM-DD" in str(e.value)
