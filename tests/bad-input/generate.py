#!/usr/bin/env python3
"""Writes the hostile and broken inputs of tests/bad-input/ (data/ and rules/).

  generate.py          writes the small inputs (at most BIG bytes) into tests/bad-input/, where
                       they are committed
  generate.py DIR      writes the large ones (nesting 100,000 deep, enormous lines, thousands of
                       errors) into DIR/data and DIR/rules: run.sh does this at test time, into the
                       build tree, so the repository does not carry megabytes of brackets

Every input's expected stderr, NAME.expected, is committed next to where a small input would be
(data/ or rules/ here), for large inputs too. `run.sh JOINUP 0 --update` rewrites them: review the
difference before committing. The output is the same on every run (a fixed random seed)."""
import os, random, sys

here = os.path.dirname(os.path.abspath(__file__))
rng = random.Random(7)
BIG = 20_000
out_dir = sys.argv[1] if len(sys.argv) > 1 else None


def put(kind, name, data):
    if isinstance(data, str):
        data = data.encode()
    if (len(data) > BIG) != (out_dir is not None):
        return
    folder = os.path.join(out_dir or here, kind)
    os.makedirs(folder, exist_ok=True)
    with open(os.path.join(folder, name), 'wb') as f:
        f.write(data)


def garbage(n):
    return bytes(rng.randrange(256) for _ in range(n))


def laughs(levels, width):
    out = ['a0: &a0 "lol"']
    for i in range(1, levels):
        out.append(f'a{i}: &a{i} [' + ', '.join([f'*a{i-1}'] * width) + ']')
    return '\n'.join(out) + '\n'


N = 100000
d = {
    # encoding
    'invalid-utf8.yaml': b'partnership:\n  name: "North\xff\xfe"\n',
    'invalid-utf8-key.yaml': b'partnership:\n  na\xc3me: x\n',
    'overlong-utf8.yaml': b'a: "\xc0\xaf"\n',
    'surrogate-utf8.yaml': b'a: "\xed\xa0\x80"\n',
    'truncated-utf8.yaml': b'a: caf\xc3',
    'invalid-utf8.json': b'{"a": "\xff"}',
    'bom-then-duplicate.yaml': b'\xef\xbb\xbfa: 1\na: 2\n',
    'bom-in-middle.json': b'{"a": 1,\xef\xbb\xbf "b": }',
    'utf16.json': '{"a": 1}'.encode('utf-16'),
    'nul-byte.yaml': b'a: 1\x00\nb: 2\n',
    'nul-in-key.yaml': b'a\x00b: 1\n',
    'nul-byte.json': b'{"a": "x\x00y"}',
    'lone-surrogate-escape.json': b'{"a": "\\ud800"}',
    # numbers
    'huge-integer.yaml': 'a: ' + '9' * 400 + '\n',
    'huge-integer.json': '{"a": ' + '9' * 400 + '}',
    'huge-exponent.json': '{"a": 1e999999}',
    'huge-exponent.yaml': 'a: 1e999999\n',
    'minus-huge-integer.yaml': 'a: -' + '9' * 400 + '\n',
    'nan.json': '{"a": NaN}',
    'leading-zero.json': '{"a": 0123}',
    'tiny-number.yaml': 'a: [1.5, 1e-400]\n',        # not zero, yet no double tells it from zero
    'tiny-number.json': '{"a": [1.5, -1e-400]}',
    # a lone CR ends a line (YAML 1.2): the comment does not hide the second 'name'
    'cr-comment-hides-key.yaml': 'partnership:\r  name: A # first\r  name: B\r',
    'cr-only-lines.json': '{\r  "partnership": {\r    "name": "A",\r    "teams": [1,\r  }\r}\r',
    # duplicate keys
    'duplicate-key.yaml': 'partnership:\n  name: A\n  teams: []\n  name: B\n',
    'duplicate-key.json': '{\n  "a": 1,\n  "b": 2,\n  "a": 3\n}\n',
    'duplicate-key-flow.yaml': 'a: {x: 1, x: 2}\n',
    'duplicate-key-quoted.yaml': 'a: 1\n"a": 2\n',
    'duplicate-key-deep.yaml': 'a:\n  - b:\n      c: 1\n      d: 2\n      c: 3\n',
    # structure
    'tab-indentation.yaml': 'partnership:\n\tname: A\n',
    'tab-after-indentation.yaml': 'partnership:\n  teams:\n  \t- a\n',
    'truncated-flow.yaml': 'a:\n  - [1, 2\n',
    'truncated.json': '{"a": [1, 2,',
    'truncated-string.json': '{"a": "abc',
    'unclosed-quote.yaml': 'a: "abc\nb: 2\n',
    'unclosed-single-quote.yaml': "partnership: 'abc\n",
    'empty.json': '',
    'trailing-comma.json': '{"a": 1,}',
    'comment.json': '{"a": 1 /* x */}',
    'single-quotes.json': "{'a': 1}",
    'control-char.json': '{"a": "x\ty"}',
    'two-values.json': '{"a": 1} {"b": 2}',
    'multi-document.yaml': 'a: 1\n---\nb: 2\n',
    'complex-key.yaml': '? [a, b]\n: 1\n',
    'map-key.yaml': '{x: 1}: 2\n',
    'bad-indentation.yaml': 'a:\n    b: 1\n  c: 2\n',
    'unknown-alias.yaml': 'a: *nowhere\n',
    'recursive-alias.yaml': 'a: &x [1, *x]\n',
    'recursive-alias-map.yaml': 'a: &x {b: *x}\n',
    'billion-laughs.yaml': laughs(10, 10),
    'billion-laughs-wide.yaml': laughs(4, 2000),
    'deep-list-100000.yaml': '[' * N + ']' * N,
    'deep-map-100000.yaml': '{a: ' * N + '1' + '}' * N,
    'deep-block-100000.yaml': '- ' * N + 'x\n',
    'deep-array-100000.json': '[' * N + ']' * N,
    'deep-object-100000.json': '{"a":' * N + '1' + '}' * N,
    'deep-unclosed-100000.json': '[' * N,
    'deep-257.json': '[' * 257 + ']' * 257,
    'enormous-line.yaml': 'a: ' + 'x' * 300_000 + ' : b\n',
    'enormous-key.json': '{"' + 'k' * 300_000 + '": 1, "' + 'k' * 300_000 + '": 2}',
    'garbage-1.yaml': garbage(4096),
    'garbage-2.json': garbage(4096),
    'garbage-3.yaml': b'\x7fELF\x02\x01\x01' + garbage(2000),
}
for name, data in d.items():
    put('data', name, data)

r = {
    'invalid-utf8.jup': b'package p\nrule r "t\xff" {\n  require true\n}\n',
    'invalid-utf8-identifier.jup': b'package p\nrule r\xc3 "t" {\n  require true\n}\n',
    'nul-byte.jup': b'package p\nrule r "t" {\x00\n  require true\n}\n',
    'bom-then-garbage.jup': b'\xef\xbb\xbfpackage p\nrule {\n',
    'garbage.jup': garbage(4096),
    'truncated.jup': 'package p\nrule r "t" {\n  require count(partnership.teams) > ',
    'truncated-string.jup': 'package p\nrule r "t" {\n  require "abc',
    'deep-parens-100000.jup': 'package p\nrule r "t" {\n  require ' + '(' * N + 'true' + ')' * N + '\n}\n',
    'deep-unclosed-100000.jup': 'package p\nrule r "t" {\n  require ' + '(' * N + '\n}\n',
    'deep-not-100000.jup': 'package p\nrule r "t" {\n  require ' + 'not ' * N + 'true\n}\n',
    'deep-minus-100000.jup': 'package p\nrule r "t" {\n  require ' + '-' * N + '1 > 0\n}\n',
    'long-chain-100000.jup': 'package p\nrule r "t" {\n  require ' + ' + '.join(['1'] * N) + ' > 0\n}\n',
    'long-and-chain-100000.jup': 'package p\nrule r "t" {\n  require ' + ' and '.join(['true'] * N) + '\n}\n',
    'deep-lists-100000.jup': 'package p\nrule r "t" {\n  require count(' + '[' * N + ']' * N + ') > 0\n}\n',
    'deep-quantifiers.jup': 'package p\nuses x\nrule r "t" {\n  require ' + ''.join(f'all v{i} in x: ' for i in range(5000)) + 'true\n}\n',
    'deep-holes.jup': 'package p\nrule r "t" {\n  require true\n  message "' + '{"' * 0 + '{' + '"{' * 3000 + 'x' + '}"' * 3000 + '}"\n}\n',
    'tiny-number.jup': 'package p\nrule r "t" {\n  require 1e-400 == 0\n}\n',
    'long-package-name.jup': 'package ' + '.'.join(['abcdefghij'] * 30) + '\nrule r "t" {\n  require true\n}\n',
    'long-package-name.yaml': 'package: ' + '.'.join(['abcdefghij'] * 30) + '\nrules:\n  - id: r\n    require: "true"\n',
    'long-rule-id.jup': 'package p\nrule ' + '-'.join(['abcdefghij'] * 30) + ' "t" {\n  require true\n}\n',
    'huge-integer.jup': 'package p\nrule r "t" {\n  require 1' + '0' * 40 + ' > 0\n}\n',
    'huge-regex.jup': 'package p\nrule r "t" {\n  require "a" matches "' + '(a{1000}){1000}' + '"\n}\n',
    'invalid-regex.jup': 'package p\nrule r "t" {\n  require "a" matches "(a"\n}\n',
    'enormous-line.jup': 'package p\nrule r "t" {\n  require ' + 'x' * 300_000 + ' == 1\n}\n',
    'enormous-string.jup': 'package p\nrule r "t" {\n  require "' + 'x' * 300_000 + '\n}\n',
    'duplicate-rule.jup': 'package p\nrule r "t" {\n  require true\n}\nrule r "u" {\n  require true\n}\n',
    'many-errors.jup': 'package p\n' + ''.join(f'rule r{i} "t" {{\n  require = =\n}}\n' for i in range(5000)),
    'unknown-function.jup': 'package p\nrule r "t" {\n  require system("rm -rf /")\n}\n',
    'include-file.jup': 'package p\nimport "/etc/passwd"\nrule r "t" {\n  require true\n}\n',
    'invalid-utf8.yaml': b'package: p\nrules:\n  - id: r\n    require: "\xff"\n',
    'duplicate-key.yaml': 'package: p\nrules:\n  - id: r\n    require: "true"\n    require: "false"\n',
    'cr-only-lines.yaml': 'package: p\rrules:\r  - id: r\r    require: "true and"\r',
    'tab-indentation.yaml': 'package: p\nrules:\n\t- id: r\n',
    'billion-laughs.yaml': laughs(10, 10) + 'package: p\nrules: []\n',
    # 600 KB of text, 18 MB of rules: aliases count against the limit of a rule file (16 MiB)
    'alias-copies-past-limit.yaml': 'package: p\nrules:\n  - {id: r0, title: &t "' + 'x' * 600_000 + '", require: "true"}\n'
                                    + ''.join(f'  - {{id: r{i}, title: *t, require: "true"}}\n' for i in range(1, 30)),
    'recursive-alias.yaml': 'package: p\nrules: &x [*x]\n',
    'deep-nesting-100000.yaml': 'package: p\nrules: ' + '[' * N + ']' * N + '\n',
    'deep-require.yaml': 'package: p\nrules:\n  - id: r\n    require: "' + '(' * N + 'true' + ')' * N + '"\n',
    'truncated.yaml': 'package: p\nrules:\n  - id: r\n    require: "tru',
    'garbage.yaml': garbage(4096),
    'nul-byte.yaml': b'package: p\nrules:\n  - id: r\x00\n    require: "true"\n',
}
for name, data in r.items():
    put('rules', name, data)
