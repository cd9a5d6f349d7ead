"""An outside Python program: checks a small partnership against the standard pack of the
installed tree, with waivers and a SARIF report, and prints which library it loaded and where the
pack was found."""
import json

import joinup

with joinup.Policy.standard() as policy, joinup.Document.parse("partnership:\n  name: Outside\n", "outside.yaml") as doc:
    first = policy.rules[0]
    with joinup.Waivers.parse(f"waivers:\n  - rule: {first.id}\n    reason: outside\n", "w.yaml") as waivers:
        result = policy.evaluate(doc, as_of="2026-11-21", waivers=waivers)
    sarif = json.loads(result.report("sarif"))
    assert sarif["version"] == "2.1.0", sarif["version"]
    print(f"python consumer: joinup {joinup.version()} from {joinup._lib._name}, {result.summary.rules} rules, "
          f"first from {first.file}")
