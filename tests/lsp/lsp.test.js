// Drives `joinup lsp` with the protocol's client library (vscode-languageserver-protocol) over
// the server's standard input and output, as an editor does: open → diagnostics → edit → cleared
// diagnostics → hover → completion → definition → formatting → shutdown, for a .jup and a YAML
// rule file; code actions, symbols, rename, positions in UTF-16 and UTF-8 past non-ASCII text,
// file-level lets, defs and imports with a declared schema, and malformed messages (written as
// raw bytes, which no client library would send).
// Usage: JOINUP=build/joinup JOINUP_SOURCE_DIR=. node --test tests/lsp/
'use strict';

const { test, after } = require('node:test');
const assert = require('node:assert/strict');
const cp = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { pathToFileURL } = require('node:url');
const rpc = require('vscode-languageserver-protocol/node');

const joinup = process.env.JOINUP;
const source = process.env.JOINUP_SOURCE_DIR;
assert.ok(joinup && source, 'set JOINUP (the joinup binary) and JOINUP_SOURCE_DIR');
const schema = path.join(source, 'schemas', 'partnership.schema.json');

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'joinup-lsp-'));
const file = (name, text) => {
  const p = path.join(dir, name);
  fs.mkdirSync(path.dirname(p), { recursive: true });
  fs.writeFileSync(p, text);
  return { path: p, uri: pathToFileURL(p).href, text };
};

// Every server started, stopped after the last test even when an assertion failed half-way
// through a session (a server left running would keep the test runner waiting on its pipes).
const servers = new Set();
after(() => {
  for (const child of servers) child.kill('SIGKILL');
});
// A test that waits on a server that does not answer fails instead of waiting for ever.
const limit = { timeout: 120000 };

// A session: the server started, the connection listening, diagnostics collected per URI.
async function start(encodings = ['utf-16'], initializationOptions = { schema }) {
  const child = cp.spawn(joinup, ['lsp', '--stdio'], { stdio: ['pipe', 'pipe', 'inherit'] });
  servers.add(child);
  child.on('exit', () => servers.delete(child));
  const conn = rpc.createProtocolConnection(new rpc.StreamMessageReader(child.stdout), new rpc.StreamMessageWriter(child.stdin));
  const waiting = new Map(); // uri -> [resolve]
  const latest = new Map();
  conn.onNotification(rpc.PublishDiagnosticsNotification.type, (p) => {
    latest.set(p.uri, p);
    for (const resolve of waiting.get(p.uri) ?? []) resolve(p);
    waiting.delete(p.uri);
  });
  conn.listen();
  const exited = new Promise((resolve) => child.on('exit', (code) => resolve(code)));
  const init = await conn.sendRequest(rpc.InitializeRequest.type, {
    processId: process.pid,
    rootUri: pathToFileURL(dir).href,
    capabilities: { general: { positionEncodings: encodings } },
    initializationOptions,
  });
  conn.sendNotification(rpc.InitializedNotification.type, {});
  const diagnostics = (uri) => new Promise((resolve) => waiting.set(uri, [...(waiting.get(uri) ?? []), resolve]));
  let version = 1;
  return {
    conn, init, exited, latest,
    async open(doc) {
      const d = diagnostics(doc.uri);
      conn.sendNotification(rpc.DidOpenTextDocumentNotification.type, {
        textDocument: { uri: doc.uri, languageId: doc.uri.endsWith('.jup') ? 'joinup' : 'yaml', version: 1, text: doc.text },
      });
      return (await d).diagnostics;
    },
    async change(doc, text) {
      const d = diagnostics(doc.uri);
      conn.sendNotification(rpc.DidChangeTextDocumentNotification.type, {
        textDocument: { uri: doc.uri, version: ++version }, contentChanges: [{ text }],
      });
      doc.text = text;
      return (await d).diagnostics;
    },
    request(type, doc, position, extra = {}) {
      return conn.sendRequest(type, { textDocument: { uri: doc.uri }, position, ...extra });
    },
    async stop() {
      await conn.sendRequest(rpc.ShutdownRequest.type);
      conn.sendNotification(rpc.ExitNotification.type);
      const code = await exited;
      conn.dispose();
      return code;
    },
  };
}

// The position of the n-th occurrence of `needle` in `text` (plus `delta` characters), in UTF-16.
function pos(text, needle, delta = 0, n = 0) {
  let at = -1;
  for (let i = 0; i <= n; ++i) {
    at = text.indexOf(needle, at + 1);
    assert.ok(at >= 0, `'${needle}' is in the text`);
  }
  at += delta;
  const before = text.slice(0, at).split('\n');
  return { line: before.length - 1, character: before[before.length - 1].length };
}

const labels = (completion) => (Array.isArray(completion) ? completion : completion.items).map((i) => i.label);
const hoverText = (h) => (h && h.contents ? h.contents.value : '');

const jupGood = `package local.teams
uses partnership

rule team-size "Cross-cutting teams of ten to twenty people" {
  severity warning
  source "RSA blog: Joining up is hard to do"
  rationale "Devolve to cross cutting units of around ten to twenty people."
  for each team in partnership.teams
    where team.cross_cutting
  let size = count(team.members)
  require size between 10 and 20
  message "{team.name ?? "A team"} has {size} members"
}

rule housing "Housing is a partner" {
  require any org in partnership.organisations: org.boundary == "coterminous"
}
`;

test('a .jup file: open, diagnostics, quick fix, edit, hover, completion, definition, symbols, rename, formatting, shutdown', limit, async () => {
  const s = await start();
  assert.equal(s.init.capabilities.positionEncoding, 'utf-16');
  assert.equal(s.init.serverInfo.name, 'joinup');
  const broken = jupGood.replace('count(team.members)', 'count(taem.members)');
  const doc = file('rules/teams.jup', broken);

  // Diagnostics: the unknown name at its exact range, with its code, help and fix.
  const diags = await s.open(doc);
  assert.equal(diags.length, 1, JSON.stringify(diags));
  const d = diags[0];
  assert.equal(d.code, 'unknown-name');
  assert.equal(d.severity, 1);
  assert.deepEqual(d.range, { start: pos(broken, 'taem'), end: pos(broken, 'taem', 4) });
  assert.match(d.message, /^unknown name 'taem'\nhelp: did you mean 'team'\?$/);

  // The did-you-mean as a quick fix.
  const actions = await s.conn.sendRequest(rpc.CodeActionRequest.type, {
    textDocument: { uri: doc.uri }, range: d.range, context: { diagnostics: diags },
  });
  assert.equal(actions.length, 1);
  assert.equal(actions[0].kind, 'quickfix');
  assert.deepEqual(actions[0].edit.changes[doc.uri], [{ range: d.range, newText: 'team' }]);

  // The edit clears them.
  assert.deepEqual(await s.change(doc, jupGood), []);

  // Hover: a built-in, a let, a rule, a data path with the schema's description.
  assert.match(hoverText(await s.request(rpc.HoverRequest.type, doc, pos(jupGood, 'count(', 2))), /count\(list or map\)[\s\S]*number of elements/);
  assert.match(hoverText(await s.request(rpc.HoverRequest.type, doc, pos(jupGood, 'size between', 1))), /let size = count\(team\.members\)/);
  const rule = hoverText(await s.request(rpc.HoverRequest.type, doc, pos(jupGood, 'team-size', 3)));
  assert.match(rule, /local\.teams\.team-size\*\* — Cross-cutting teams/);
  assert.match(rule, /severity: warning/);
  assert.match(rule, /source: RSA blog/);
  assert.match(rule, /Devolve to cross cutting units/);
  assert.match(hoverText(await s.request(rpc.HoverRequest.type, doc, pos(jupGood, 'cross_cutting', 3))), /\*boolean\*/);
  assert.match(hoverText(await s.request(rpc.HoverRequest.type, doc, pos(jupGood, 'partnership.teams', 14))), /\*list of object\*/);

  // Completion: names in scope and functions; the schema's fields after `partnership.` and after
  // a loop variable; enumerated values after ==.
  const inScope = labels(await s.request(rpc.CompletionRequest.type, doc, pos(jupGood, 'size between')));
  for (const name of ['team', 'size', 'partnership', 'count', 'days_between', 'and']) assert.ok(inScope.includes(name), name);
  const typing = jupGood.replace('require size between 10 and 20', 'require partnership.');
  await s.change(doc, typing);
  const afterDocument = labels(await s.request(rpc.CompletionRequest.type, doc, pos(typing, 'require partnership.', 20)));
  for (const name of ['teams', 'organisations', 'name']) assert.ok(afterDocument.includes(name), `${name} in ${afterDocument}`);
  const typingLoop = jupGood.replace('require size between 10 and 20', 'require team.');
  await s.change(doc, typingLoop);
  const afterLoop = labels(await s.request(rpc.CompletionRequest.type, doc, pos(typingLoop, 'require team.', 13)));
  for (const name of ['members', 'cross_cutting', 'purpose']) assert.ok(afterLoop.includes(name), `${name} in ${afterLoop}`);
  assert.ok(!afterLoop.includes('teams'));
  const enumText = jupGood.replace('org.boundary == "coterminous"', 'org.boundary == ');
  await s.change(doc, enumText);
  const values = labels(await s.request(rpc.CompletionRequest.type, doc, pos(enumText, 'org.boundary == ', 16)));
  for (const v of ['"coterminous"', '"contains-place"', '"cuts-across"']) assert.ok(values.includes(v), `${v} in ${values}`);
  // Clause keywords at the start of a line inside a rule.
  const clauseText = jupGood.replace('  severity warning\n', '  severity warning\n  re\n');
  await s.change(doc, clauseText);
  const clauses = labels(await s.request(rpc.CompletionRequest.type, doc, pos(clauseText, '  re\n', 4)));
  for (const word of ['require', 'remedy', 'for each', 'let']) assert.ok(clauses.includes(word), word);
  assert.deepEqual(await s.change(doc, jupGood), []);

  // Definition: a let and a loop variable.
  const toLet = await s.request(rpc.DefinitionRequest.type, doc, pos(jupGood, 'size between', 1));
  assert.equal(toLet.uri, doc.uri);
  assert.deepEqual(toLet.range, { start: pos(jupGood, 'size ='), end: pos(jupGood, 'size =', 4) });
  const toLoop = await s.request(rpc.DefinitionRequest.type, doc, pos(jupGood, 'team.cross_cutting', 1));
  assert.deepEqual(toLoop.range.start, pos(jupGood, 'team in'));
  const toBinder = await s.request(rpc.DefinitionRequest.type, doc, pos(jupGood, 'org.boundary', 1));
  assert.deepEqual(toBinder.range.start, pos(jupGood, 'org in'));

  // Symbols: the rules, with their lets and loops.
  const symbols = await s.conn.sendRequest(rpc.DocumentSymbolRequest.type, { textDocument: { uri: doc.uri } });
  assert.deepEqual(symbols.map((x) => x.name), ['team-size', 'housing']);
  assert.equal(symbols[0].detail, 'Cross-cutting teams of ten to twenty people');
  assert.deepEqual(symbols[0].children.map((x) => x.name), ['team', 'size']);

  // Rename a let: its binding and every read, in the rule's expressions and message holes.
  const edit = await s.request(rpc.RenameRequest.type, doc, pos(jupGood, 'size between'), { newName: 'people' });
  const edits = edit.changes[doc.uri];
  assert.equal(edits.length, 3);
  assert.ok(edits.every((e) => e.newText === 'people'));
  assert.ok(edits.some((e) => e.range.start.line === pos(jupGood, '{size}').line));
  await assert.rejects(s.request(rpc.RenameRequest.type, doc, pos(jupGood, 'size between'), { newName: 'where' }), /cannot be a name/);
  await assert.rejects(s.request(rpc.RenameRequest.type, doc, pos(jupGood, 'size between'), { newName: 'team' }), /already bound/);

  // Formatting: the canonical `joinup fmt` output as one edit.
  const messy = jupGood.replace('  severity warning', 'severity    warning').replace('uses partnership', 'uses   partnership');
  await s.change(doc, messy);
  fs.writeFileSync(doc.path, messy);
  const canonical = cp.execFileSync(joinup, ['fmt', doc.path], { encoding: 'utf8' });
  const formatted = await s.conn.sendRequest(rpc.DocumentFormattingRequest.type, {
    textDocument: { uri: doc.uri }, options: { tabSize: 2, insertSpaces: true },
  });
  assert.equal(formatted.length, 1);
  assert.equal(formatted[0].newText, canonical);
  assert.deepEqual(formatted[0].range.start, { line: 0, character: 0 });
  await s.change(doc, canonical);
  assert.deepEqual(await s.conn.sendRequest(rpc.DocumentFormattingRequest.type, {
    textDocument: { uri: doc.uri }, options: { tabSize: 2, insertSpaces: true },
  }), []);

  // Closing clears the file's diagnostics.
  await s.change(doc, broken);
  const cleared = new Promise((resolve) => s.conn.onNotification(rpc.PublishDiagnosticsNotification.type, resolve));
  s.conn.sendNotification(rpc.DidCloseTextDocumentNotification.type, { textDocument: { uri: doc.uri } });
  assert.deepEqual((await cleared).diagnostics, []);

  assert.equal(await s.stop(), 0);
});

const jupCommon = `package shared.common
uses partnership

def display(t) = t.name ?? "a team"
`;

const jupDefs = `package local.defs
schema "partnership.schema.json"
uses partnership
import shared.common

let min_size = 10
def big_enough(t, n) = count(t.members) >= n

rule team-size "Teams are big enough" {
  for each team in partnership.teams
    where has(team.members)
  let label = if count(team.members) > 0 then "staffed" else "empty"
  let lead = first(m in team.members where m.seniority == "senior")
  require big_enough(team, min_size)
  message "{shared.common.display(team)} is {label}, led by {lead.name ?? "nobody"}, with {plural(count(team.members), "member")}"
}

rule housing "Housing is a partner" {
  require any org in partnership.organisations: org.boundary == "coterminus"
}
`;

test('file-level let, def and import, first, if and a declared schema: diagnostics, completion, hover, definition, rename', limit, async () => {
  // No schema setting: the package's `schema` line is the schema.
  const s = await start(['utf-16'], {});
  fs.mkdirSync(path.join(dir, 'defs'), { recursive: true });
  fs.copyFileSync(schema, path.join(dir, 'defs', 'partnership.schema.json'));
  const common = file('defs/common.jup', jupCommon);
  const doc = file('defs/teams.jup', jupDefs);

  // The type checker's finding against the declared schema, with its did-you-mean as a quick fix
  // that keeps the quotes.
  const diags = await s.open(doc);
  assert.deepEqual(diags.map((d) => d.code), ['schema-enum'], JSON.stringify(diags));
  const d = diags[0];
  assert.deepEqual(d.range, { start: pos(jupDefs, '"coterminus"'), end: pos(jupDefs, '"coterminus"', 12) });
  assert.match(d.message, /'coterminus' is not one of the values of org\.boundary\nhelp: did you mean 'coterminous'\?/);
  const actions = await s.conn.sendRequest(rpc.CodeActionRequest.type, {
    textDocument: { uri: doc.uri }, range: d.range, context: { diagnostics: diags },
  });
  assert.equal(actions.length, 1);
  assert.deepEqual(actions[0].edit.changes[doc.uri], [{ range: d.range, newText: '"coterminous"' }]);
  const fixed = jupDefs.replace('"coterminus"', '"coterminous"');
  assert.deepEqual(await s.change(doc, fixed), []);

  // Completion in an expression: the package's let and def (with its parameters), the words.
  const items = (await s.request(rpc.CompletionRequest.type, doc, pos(fixed, 'min_size)'))).items;
  const names = items.map((i) => i.label);
  for (const name of ['min_size', 'big_enough', 'team', 'label', 'if', 'then', 'else', 'first', 'plural', 'count']) assert.ok(names.includes(name), `${name} in ${names}`);
  assert.equal(items.find((i) => i.label === 'big_enough').detail, 'def big_enough(t, n)');
  assert.match(items.find((i) => i.label === 'min_size').documentation.value, /let min_size = 10/);
  // After an imported package's name: its definitions.
  const typing = fixed.replace('require big_enough(team, min_size)', 'require shared.common.');
  await s.change(doc, typing);
  const imported = labels(await s.request(rpc.CompletionRequest.type, doc, pos(typing, 'require shared.common.', 22)));
  assert.ok(imported.includes('display'), `display in ${imported}`);
  // At the start of a line outside a rule: the file's words; inside a rule: its clauses.
  const header = fixed.replace('let min_size', 'd\nlet min_size');
  await s.change(doc, header);
  const fileWords = labels(await s.request(rpc.CompletionRequest.type, doc, pos(header, 'd\nlet', 1)));
  for (const word of ['def', 'let', 'import', 'schema', 'package', 'uses', 'rule']) assert.ok(fileWords.includes(word), `${word} in ${fileWords}`);
  const clause = fixed.replace('  require big_enough', '  un\n  require big_enough');
  await s.change(doc, clause);
  const clauses = labels(await s.request(rpc.CompletionRequest.type, doc, pos(clause, '  un\n', 4)));
  assert.ok(clauses.includes('undetermined'), `undetermined in ${clauses}`);
  assert.deepEqual(await s.change(doc, fixed), []);

  // Hover: a def's call and a let's name show the definition; a parameter in its def.
  assert.match(hoverText(await s.request(rpc.HoverRequest.type, doc, pos(fixed, 'big_enough(team', 3))), /def big_enough\(t, n\) = count\(t\.members\) >= n/);
  assert.match(hoverText(await s.request(rpc.HoverRequest.type, doc, pos(fixed, 'min_size)', 2))), /let min_size = 10/);
  assert.match(hoverText(await s.request(rpc.HoverRequest.type, doc, pos(fixed, 'display(team)', 2))), /def display\(t\) = t\.name \?\? "a team"[\s\S]*package shared\.common/);
  assert.match(hoverText(await s.request(rpc.HoverRequest.type, doc, pos(fixed, '>= n', 3))), /parameter n/);

  // Definition: a def in this file, and one in another file of the workspace.
  const toDef = await s.request(rpc.DefinitionRequest.type, doc, pos(fixed, 'big_enough(team', 2));
  assert.equal(toDef.uri, doc.uri);
  assert.deepEqual(toDef.range, { start: pos(fixed, 'big_enough(t,'), end: pos(fixed, 'big_enough(t,', 10) });
  const toLet = await s.request(rpc.DefinitionRequest.type, doc, pos(fixed, 'min_size)', 1));
  assert.deepEqual(toLet.range.start, pos(fixed, 'min_size ='));
  const across = await s.request(rpc.DefinitionRequest.type, doc, pos(fixed, 'display(team)', 1));
  assert.equal(across.uri, common.uri);
  assert.deepEqual(across.range, { start: pos(jupCommon, 'display'), end: pos(jupCommon, 'display', 7) });

  // Rename a def's parameter: the parameter and its reads, inside its def only.
  const edit = await s.request(rpc.RenameRequest.type, doc, pos(fixed, 't.members', 0), { newName: 'group' });
  const edits = edit.changes[doc.uri];
  assert.equal(edits.length, 2);
  assert.ok(edits.every((e) => e.newText === 'group' && e.range.start.line === pos(fixed, 'def big_enough').line));
  await assert.rejects(s.request(rpc.RenameRequest.type, doc, pos(fixed, 't.members', 0), { newName: 'n' }), /already a name/);

  assert.equal(await s.stop(), 0);
});

const yamlGood = `package: local.partners
uses: [partnership]
rules:
  - id: team-size
    title: Cross-cutting teams of ten to twenty people
    severity: info
    for_each: team in partnership.teams
    where: team.cross_cutting
    let:
      size: count(team.members)
    require: size between 10 and 20
    message: '{team.name ?? "A team"} has {size} members'
`;

test('a YAML rule file: diagnostics inside expression strings, edit, hover, completion, definition, formatting', limit, async () => {
  const s = await start();
  const broken = yamlGood.replace('count(team.members)', 'cuont(team.members)');
  const doc = file('rules/partners.yaml', broken);
  const diags = await s.open(doc);
  assert.equal(diags.length, 1, JSON.stringify(diags));
  assert.equal(diags[0].code, 'unknown-function');
  assert.deepEqual(diags[0].range.start, pos(broken, 'cuont'));
  assert.match(diags[0].message, /help: did you mean 'count'\?/);
  assert.equal(diags[0].data.fix, 'count');

  assert.deepEqual(await s.change(doc, yamlGood), []);
  assert.match(hoverText(await s.request(rpc.HoverRequest.type, doc, pos(yamlGood, 'count(', 1))), /count\(list or map\)/);
  assert.match(hoverText(await s.request(rpc.HoverRequest.type, doc, pos(yamlGood, 'size between', 1))), /let size = count\(team\.members\)/);
  assert.match(hoverText(await s.request(rpc.HoverRequest.type, doc, pos(yamlGood, 'team-size', 2))), /local\.partners\.team-size\*\* — Cross-cutting/);

  const typing = yamlGood.replace('require: size between 10 and 20', 'require: team.');
  await s.change(doc, typing);
  const fields = labels(await s.request(rpc.CompletionRequest.type, doc, pos(typing, 'require: team.', 14)));
  for (const name of ['members', 'cross_cutting']) assert.ok(fields.includes(name), `${name} in ${fields}`);
  const keyText = yamlGood.replace('    severity: info\n', '    severity: info\n    rem\n');
  await s.change(doc, keyText);
  const keys = labels(await s.request(rpc.CompletionRequest.type, doc, pos(keyText, '    rem\n', 7)));
  for (const key of ['remedy', 'require', 'for_each']) assert.ok(keys.includes(key), key);
  assert.deepEqual(await s.change(doc, yamlGood), []);

  const toLoop = await s.request(rpc.DefinitionRequest.type, doc, pos(yamlGood, 'team.cross_cutting', 1));
  assert.deepEqual(toLoop.range, { start: pos(yamlGood, 'team in'), end: pos(yamlGood, 'team in', 4) });

  const formatted = await s.conn.sendRequest(rpc.DocumentFormattingRequest.type, {
    textDocument: { uri: doc.uri }, options: { tabSize: 2, insertSpaces: true },
  });
  assert.ok(Array.isArray(formatted));
  if (formatted.length) {
    // The canonical YAML form reads back as the same rules: formatting it again changes nothing.
    await s.change(doc, formatted[0].newText);
    assert.deepEqual(await s.conn.sendRequest(rpc.DocumentFormattingRequest.type, {
      textDocument: { uri: doc.uri }, options: { tabSize: 2, insertSpaces: true },
    }), []);
  }

  // A rule id in a rule test file and in a waivers file leads to the rule.
  const tests = file('rules/tests/partners.test.yaml', `rules: [../partners.yaml]
tests:
  - name: small team
    input: {partnership: {teams: []}}
    expect:
      - {rule: local.partners.team-size, subject: "partnership.teams[0]"}
`);
  await s.open(tests);
  const fromTest = await s.request(rpc.DefinitionRequest.type, tests, pos(tests.text, 'team-size', 2));
  assert.equal(fromTest.uri, doc.uri);
  assert.deepEqual(fromTest.range.start, pos(doc.text, 'team-size'));
  const waivers = file('waivers.yaml', `waivers:
  - rule: team-size
    reason: being recruited
`);
  await s.open(waivers);
  const fromWaiver = await s.request(rpc.DefinitionRequest.type, waivers, pos(waivers.text, 'team-size', 1));
  assert.equal(fromWaiver.uri, doc.uri);
  assert.equal(await s.stop(), 0);
});

test('a YAML rule file compiled with its package\'s .jup files and the packages it imports', limit, async () => {
  const s = await start(['utf-16'], {});
  const sizes = file('mixed/sizes.jup', `package shared.sizes
uses partnership

let smallest = 10
def sized(t) = count(t.members ?? [])
`);
  const more = file('mixed/more.jup', `package local.mixed
uses partnership

let largest = 20
`);
  const yamlMixed = `package: local.mixed
uses: [partnership]
imports:
  - shared.sizes
rules:
  - id: sized-teams
    title: Cross-cutting teams of ten to twenty
    for_each: team in partnership.teams
    require:
      - shared.sizes.sized(team) >= shared.sizes.smallest
      - shared.sizes.sized(team) <= largest
`;
  const doc = file('mixed/teams.yaml', yamlMixed);
  // The package's let in the .jup file beside it and the imported package's definitions are
  // known: no diagnostic (alone, the file has an unknown name and an unknown package).
  assert.deepEqual(await s.open(doc), []);
  // A name the package does not define is still an error, at its column in the string.
  const wrong = yamlMixed.replace('<= largest', '<= larget');
  const diags = await s.change(doc, wrong);
  assert.deepEqual(diags.map((d) => d.code), ['unknown-name'], JSON.stringify(diags));
  assert.deepEqual(diags[0].range.start, pos(wrong, 'larget'));
  assert.match(diags[0].message, /did you mean 'largest'\?/);
  assert.deepEqual(await s.change(doc, yamlMixed), []);
  // `imports` written as a flow list or as one name.
  assert.deepEqual(await s.change(doc, yamlMixed.replace('imports:\n  - shared.sizes', 'imports: [ "shared.sizes" ]')), []);
  assert.deepEqual(await s.change(doc, yamlMixed.replace('imports:\n  - shared.sizes', 'imports: shared.sizes')), []);
  assert.deepEqual(await s.change(doc, yamlMixed), []);
  // Hover and definition reach the let in the other file.
  assert.match(hoverText(await s.request(rpc.HoverRequest.type, doc, pos(yamlMixed, 'largest', 2))), /let largest = 20/);
  const across = await s.request(rpc.DefinitionRequest.type, doc, pos(yamlMixed, 'largest', 2));
  assert.equal(across.uri, more.uri);
  const imported = await s.request(rpc.DefinitionRequest.type, doc, pos(yamlMixed, 'sized(team) >=', 1));
  assert.equal(imported.uri, sizes.uri);
  assert.equal(await s.stop(), 0);
});

test('positions past non-ASCII text in UTF-16 (the default) and in UTF-8 when the client offers it', limit, async () => {
  const text = `package local.names
uses partnership
rule accents "Équipe 😀" {
  require "😀é" != partnrship.name
}
`;
  // UTF-16: the emoji is two code units, é one.
  const s16 = await start(['utf-16']);
  const d16 = await s16.open(file('utf16.jup', text));
  assert.deepEqual(d16[0].range.start, pos(text, 'partnrship'));
  assert.equal(d16[0].range.end.character - d16[0].range.start.character, 10);
  assert.equal(await s16.stop(), 0);
  // UTF-8: bytes.
  const s8 = await start(['utf-8', 'utf-16']);
  assert.equal(s8.init.capabilities.positionEncoding, 'utf-8');
  const d8 = await s8.open(file('utf8.jup', text));
  const line = text.split('\n')[3];
  assert.equal(d8[0].range.start.character, Buffer.byteLength(line.slice(0, line.indexOf('partnrship'))));
  const h = await s8.request(rpc.HoverRequest.type, { uri: pathToFileURL(path.join(dir, 'utf8.jup')).href },
    { line: 3, character: Buffer.byteLength(line.slice(0, line.indexOf('!='))) });
  assert.equal(h, null);
  assert.equal(await s8.stop(), 0);
});

// ---- malformed messages, written as bytes ----------------------------------------------------

function raw(parts) {
  // Sends each part, then reads every framed reply until the server exits.
  return new Promise((resolve) => {
    const child = cp.spawn(joinup, ['lsp'], { stdio: ['pipe', 'pipe', 'inherit'] });
    servers.add(child);
    child.on('exit', () => servers.delete(child));
    let out = Buffer.alloc(0);
    child.stdout.on('data', (b) => { out = Buffer.concat([out, b]); });
    child.on('exit', (code) => {
      const replies = [];
      let at = 0;
      while (at < out.length) {
        const head = out.indexOf('\r\n\r\n', at);
        const n = Number(/Content-Length: (\d+)/.exec(out.slice(at, head).toString())[1]);
        replies.push(JSON.parse(out.slice(head + 4, head + 4 + n).toString()));
        at = head + 4 + n;
      }
      resolve({ code, replies });
    });
    for (const p of parts) child.stdin.write(p);
    child.stdin.end();
  });
}
const framed = (o) => {
  const body = Buffer.from(typeof o === 'string' ? o : JSON.stringify(o));
  return Buffer.concat([Buffer.from(`Content-Length: ${body.length}\r\n\r\n`), body]);
};

test('malformed messages get JSON-RPC errors and the session goes on', limit, async () => {
  const { code, replies } = await raw([
    framed({ jsonrpc: '2.0', id: 1, method: 'textDocument/hover', params: {} }), // before initialize
    framed({ jsonrpc: '2.0', id: 2, method: 'initialize', params: { capabilities: {} } }),
    framed('{"jsonrpc": "2.0", "id": 3, "method": '), // bad JSON
    Buffer.from('Content-Length: lots\r\n\r\n'), // a bad header
    framed('[1, 2]'), // not an object
    framed({ jsonrpc: '2.0', id: 4, method: 'joinup/unknown' }),
    framed({ jsonrpc: '2.0', id: 5, method: 'textDocument/hover', params: { textDocument: { uri: 'file:///x.jup' } } }),
    framed({ jsonrpc: '2.0', method: 'textDocument/didOpen', params: { textDocument: { uri: 'file:///x.jup', version: 1, text: 'rule (' } } }),
    framed({ jsonrpc: '2.0', id: 6, method: 'textDocument/hover', params: { textDocument: { uri: 'file:///x.jup' }, position: { line: 'one', character: 0 } } }),
    framed({ jsonrpc: '2.0', id: 7, method: 'textDocument/hover', params: { textDocument: { uri: 'file:///x.jup' }, position: { line: 99, character: 99 } } }),
    framed({ jsonrpc: '2.0', id: 8, method: 'textDocument/completion', params: { textDocument: { uri: 'file:///x.jup' }, position: { line: 0, character: 6 } } }),
    framed({ jsonrpc: '2.0', id: 9, method: 'shutdown' }),
    framed({ jsonrpc: '2.0', id: 10, method: 'textDocument/hover', params: {} }), // after shutdown
    framed({ jsonrpc: '2.0', method: 'exit' }),
  ]);
  const byId = (id) => replies.find((r) => r.id === id);
  assert.equal(byId(1).error.code, -32002);
  assert.ok(byId(2).result.capabilities);
  const nulls = replies.filter((r) => r.id === null).map((r) => r.error.code);
  assert.deepEqual(nulls, [-32700, -32700, -32600]);
  assert.equal(byId(4).error.code, -32601);
  assert.equal(byId(5).error.code, -32602);
  assert.match(byId(5).error.message, /position/);
  const published = replies.find((r) => r.method === 'textDocument/publishDiagnostics');
  assert.ok(published.params.diagnostics.length >= 1);
  assert.equal(published.params.diagnostics[0].severity, 1);
  assert.match(published.params.diagnostics[0].message, /.+/);
  assert.equal(byId(6).error.code, -32602);
  assert.equal(byId(7).result, null);
  assert.ok(Array.isArray(byId(8).result.items));
  assert.equal(byId(9).result, null);
  assert.equal(byId(10).error.code, -32600);
  assert.equal(code, 0);
});

test('exit without shutdown ends with code 1, and a document past the rule size limit is a diagnostic', limit, async () => {
  const big = 'x'.repeat(2 * 1024 * 1024);
  const child = cp.spawnSync(joinup, ['lsp', '--max-rule-bytes', '1M'], {
    input: Buffer.concat([
      framed({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { capabilities: {} } }),
      framed({ jsonrpc: '2.0', method: 'textDocument/didOpen', params: { textDocument: { uri: 'file:///big.jup', version: 1, text: big } } }),
      framed({ jsonrpc: '2.0', method: 'exit' }),
    ]),
    timeout: 60000,
  });
  assert.equal(child.status, 1);
  const text = child.stdout.toString();
  assert.match(text, /"code": "too-large"/);
});
