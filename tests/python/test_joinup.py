"""The Python binding (bindings/python/joinup), run by ctest with JOINUP_LIBRARY set to the
library just built and JOINUP_SOURCE_DIR to the source tree."""
import datetime
import json
import os
import threading
import unittest

import joinup

SOURCE = os.environ.get("JOINUP_SOURCE_DIR", os.path.join(os.path.dirname(__file__), "..", ".."))
QUICKSTART_RULES = os.path.join(SOURCE, "examples", "quickstart", "rules.jup")
QUICKSTART_DATA = os.path.join(SOURCE, "examples", "quickstart", "partnership.yaml")

RULES = """package t
uses partnership

rule senior-leaver "Senior leavers are replaced by joint roles" {
  severity error
  tags [workforce]
  remedy "Make the post joint."
  for each leaver in partnership.leavers
    where leaver.seniority == "senior"
  require leaver.replacement.scope != "single-organisation"
  message "{leaver.name} was replaced by a single-organisation role"
}
"""


class VersionTest(unittest.TestCase):
    def test_version(self):
        self.assertRegex(joinup.version(), r"^\d+\.\d+\.\d+$")


class PolicyTest(unittest.TestCase):
    def test_compile_and_rules(self):
        with joinup.Policy.compile(RULES, "t.jup") as policy:
            rules = policy.rules
            self.assertEqual([r.id for r in rules], ["t.senior-leaver"])
            self.assertEqual(rules[0].severity, "error")
            self.assertEqual(rules[0].tags, ("workforce",))
            self.assertEqual((rules[0].file, rules[0].line, rules[0].column), ("t.jup", 4, 1))

    def test_rule_errors_carry_every_diagnostic(self):
        bad = "package bad\nuses partnership\nrule r \"R\" {\n  for each leaver in partnership.leavers\n" \
              "  require cuont(leavr) > 0\n}\n"
        with self.assertRaises(joinup.RuleError) as caught:
            joinup.Policy.compile(bad, "bad.jup")
        e = caught.exception
        self.assertEqual(e.status, joinup.RULE_ERROR)
        self.assertEqual((e.origin, e.line, e.column), ("bad.jup", 5, 11))
        self.assertEqual(e.message, "unknown function 'cuont'")
        self.assertEqual(len(e.diagnostics), 2)
        self.assertEqual(e.diagnostics[1].help, "did you mean 'leaver'?")
        self.assertIn("bad.jup:5:11", str(e))

    def test_yaml_rules(self):
        with joinup.Policy.compile("uses: [d]\nrules:\n  - id: r\n    require: d.x == 1\n", "y.yaml") as policy:
            self.assertEqual([r.id for r in policy.rules], ["y.r"])
        with self.assertRaises(joinup.RuleError) as caught:
            joinup.Policy.compile("uses: [d]\nrules:\n  - id: r\n    requre: d.x == 1\n", "y.yaml")
        self.assertEqual(caught.exception.line, 4)

    def test_load_and_missing(self):
        with joinup.Policy.load(QUICKSTART_RULES) as policy:
            self.assertEqual(len(policy.rules), 5)
        with self.assertRaises(joinup.Error) as caught:
            joinup.Policy.load("/nonexistent/rules.jup")
        self.assertEqual(caught.exception.status, joinup.NOT_FOUND)

    def test_load_notes(self):
        with joinup.Policy.load(os.path.dirname(QUICKSTART_RULES)) as policy:
            self.assertEqual(len(policy.rules), 5)
            notes = policy.notes
        self.assertEqual(len(notes), 1)
        note = notes[0]
        self.assertIsInstance(note, joinup.Diagnostic)
        self.assertEqual((note.level, note.code, note.origin), ("note", "not-a-rule-file", QUICKSTART_DATA))
        self.assertEqual(note.message,
                         "not a rule file (it has no 'rules' key, nor any other key of a rule file): skipped")
        self.assertIn("partnership.yaml: note: not a rule file", note.rendered)
        with joinup.Policy.load(QUICKSTART_RULES) as policy:
            self.assertEqual(policy.notes, [])
        with joinup.Policy.compile(RULES, "t.jup") as policy:
            self.assertEqual(policy.notes, [])
        # A folder of data files alone: the error names the folder, then the files it skipped.
        with self.assertRaises(joinup.Error) as caught:
            joinup.Policy.load(os.path.join(SOURCE, "examples", "partnerships"))
        e = caught.exception
        self.assertEqual(e.status, joinup.NOT_FOUND)
        self.assertIn("4 YAML files were skipped as not rule files", e.message)
        self.assertEqual([d.level for d in e.diagnostics], ["error", "note", "note", "note", "note"])
        self.assertTrue(all(d.code == "not-a-rule-file" for d in e.diagnostics[1:]))

    def test_standard_pack(self):
        os.environ["JOINUP_RULES"] = os.path.join(SOURCE, "rules")
        with joinup.Policy.standard() as policy:
            self.assertEqual(len(policy.rules), 54)

    def test_closed(self):
        policy = joinup.Policy.compile(RULES, "t.jup")
        policy.close()
        policy.close()
        with self.assertRaises(ValueError):
            policy.rules


class EvaluateTest(unittest.TestCase):
    def test_quickstart(self):
        with joinup.Policy.load(QUICKSTART_RULES) as policy, joinup.Document.load(QUICKSTART_DATA) as doc:
            result = policy.evaluate(doc, as_of=datetime.date(2026, 11, 21))
        self.assertEqual(result.as_of, "2026-11-21")
        s = result.summary
        self.assertEqual((s.rules, s.passed, s.failed), (5, 2, 3))
        self.assertEqual(s.failed_by_severity, {"error": 1, "warning": 2, "info": 0})
        v = result.violations[0]
        self.assertEqual(v.rule_id, "quickstart.senior-leaver-replacement")
        self.assertEqual((v.severity, v.outcome, v.subject), ("error", "fail", "partnership.leavers[0]"))
        self.assertEqual((v.data_line, v.data_column, v.rule_line, v.rule_column), (28, 7, 19, 11))
        self.assertEqual(v.explanation[0].expression, "leaver.replacement.scope")
        self.assertEqual(v.remedy, "Make the replacement post joint or system-wide.")
        self.assertEqual(result.rules[0].violations, (v,))
        self.assertTrue(result.fails("error"))
        report = json.loads(result.json)
        self.assertEqual(report["summary"]["failed"], 3)
        self.assertIn("3 rules failed (1 error, 2 warnings), 2 passed", result.text)

    def test_options(self):
        with joinup.Policy.load(QUICKSTART_RULES) as policy, joinup.Document.load(QUICKSTART_DATA) as doc:
            only = policy.evaluate(doc, as_of="2026-11-21", only=["quickstart.team-size"])
            self.assertEqual(len(only.rules), 1)
            self.assertFalse(only.fails("error"))
            self.assertTrue(only.fails("warning"))
            tagged = policy.evaluate(doc, as_of="2026-11-21", tags=["money"])
            self.assertEqual([r.rule_id for r in tagged.rules], ["quickstart.pooled-budget"])
            with self.assertRaises(joinup.Error) as caught:
                policy.evaluate(doc, only=["quickstart.nope"])
            self.assertEqual(caught.exception.status, joinup.UNKNOWN_RULE)
            with self.assertRaises(joinup.LimitError) as caught:
                policy.evaluate(doc, max_steps=5)
            self.assertEqual(caught.exception.status, joinup.STEP_LIMIT)
            with self.assertRaises(joinup.Error) as caught:
                policy.evaluate(doc, as_of="2026-02-30")
            self.assertEqual(caught.exception.status, joinup.INVALID_ARGUMENT)

    def test_undetermined(self):
        value = {"partnership": {"leavers": [{"name": "Ann", "seniority": "senior"}]}}
        with joinup.Policy.compile(RULES, "t.jup") as policy, joinup.Document.from_value(value, "hr") as doc:
            strict = policy.evaluate(doc)
            lenient = policy.evaluate(doc, undetermined_fails=False)
        self.assertEqual(strict.violations[0].outcome, "undetermined")
        self.assertTrue(strict.fails())
        self.assertFalse(lenient.fails())

    def test_definitions(self):
        # A def and a file-level let are rule text: nothing new in the binding.
        rules = (
            "package t\n"
            "uses partnership\n"
            "let team_size_min = partnership.settings.team_size_min ?? 10\n"
            'def senior(p) = p.seniority in ["senior", "executive"]\n'
            "rule big {\n"
            "  for each team in partnership.teams\n"
            "  require count(team.members) >= team_size_min and any m in team.members: senior(m)\n"
            '  message "{team.name} is too small or has no senior member"\n'
            "}\n"
        )
        value = {"partnership": {"settings": {"team_size_min": 2}, "teams": [
            {"name": "A", "members": [{"seniority": "senior"}, {"seniority": "junior"}]},
            {"name": "B", "members": [{"seniority": "junior"}, {"seniority": "junior"}]},
        ]}}
        with joinup.Policy.compile(rules, "t.jup") as policy, joinup.Document.from_value(value, "d") as doc:
            result = policy.evaluate(doc)
        self.assertEqual(len(result.violations), 1)
        self.assertEqual(result.violations[0].message, "B is too small or has no senior member")

    def test_threads(self):
        with joinup.Policy.load(QUICKSTART_RULES) as policy, joinup.Document.load(QUICKSTART_DATA) as doc:
            expected = policy.evaluate(doc, as_of="2026-11-21").json
            results = []

            def work():
                for _ in range(5):
                    results.append(policy.evaluate(doc, as_of="2026-11-21").json)

            threads = [threading.Thread(target=work) for _ in range(8)]
            for t in threads:
                t.start()
            for t in threads:
                t.join()
        self.assertEqual(len(results), 40)
        self.assertTrue(all(r == expected for r in results))


class DocumentTest(unittest.TestCase):
    def test_parse_errors(self):
        with self.assertRaises(joinup.DataError) as caught:
            joinup.Document.parse('{\n  "a": 1,\n  "b": }\n', "bad.json")
        e = caught.exception
        self.assertEqual((e.status, e.origin, e.line, e.column), (joinup.DATA_ERROR, "bad.json", 3, 8))
        with self.assertRaises(joinup.DataError) as caught:
            joinup.Document.parse(b'a: "\xff"\n', "latin1.yaml")
        self.assertEqual(caught.exception.status, joinup.INVALID_UTF8)

    def test_limits(self):
        with self.assertRaises(joinup.LimitError) as caught:
            joinup.Document.parse("[[[1]]]", "deep.json", max_depth=2)
        self.assertEqual(caught.exception.status, joinup.TOO_DEEP)
        with self.assertRaises(joinup.LimitError) as caught:
            joinup.Document.parse("[1, 2, 3]", "big.json", max_bytes=4)
        self.assertEqual(caught.exception.status, joinup.TOO_LARGE)
        with self.assertRaises(joinup.LimitError):
            joinup.Document.from_value([[["x"]]], max_depth=2)

    def test_from_value(self):
        value = {"partnership": {"name": "Built", "leavers": [
            {"name": "Ruth", "seniority": "senior", "left": datetime.date(2026, 6, 30), "fte": 0.8, "grade": 9,
             "interim": False, "note": None, "replacement": {"scope": "single-organisation"}}]}}
        with joinup.Policy.compile(RULES, "t.jup") as policy, joinup.Document.from_value(value, "hr") as doc:
            result = policy.evaluate(doc)
        v = result.violations[0]
        self.assertEqual((v.message, v.data_file, v.data_line), ("Ruth was replaced by a single-organisation role",
                                                                 "hr", 0))
        with self.assertRaises(TypeError):
            joinup.Document.from_value({"x": object()})
        with self.assertRaises(OverflowError):
            joinup.Document.from_value({"x": 2**70})
        with self.assertRaises(joinup.Error) as caught:
            joinup.Document.from_value({"x": float("nan")})
        self.assertEqual(caught.exception.status, joinup.INVALID_ARGUMENT)


if __name__ == "__main__":
    unittest.main()
