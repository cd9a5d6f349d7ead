// The .jup TextMate grammar (syntaxes/joinup.tmLanguage.json), tokenized by the engine the editor
// uses (vscode-textmate with the Oniguruma regular expressions of vscode-oniguruma).
//
//   node test/grammar.test.js [JOINUP] [REPO_ROOT]
//
// 1. Hand-picked lines of the standard pack and of test/constructs.jup: keywords, strings and their
//    {…} holes and escapes, dates, numbers and comments get the scopes they should.
// 2. Every .jup file of the repository (outside build folders and node_modules) tokenizes: no
//    exception, no line stopped early by the time limit (1 s a line for a file joinup accepts, 20 s
//    for one it rejects: the hostile inputs of tests/bad-input). For every file that `JOINUP fmt` parses
//    (a file joinup accepts), every character that is not white space has a scope of the grammar
//    beyond the file's own (nothing the grammar does not know), and none is `invalid`.
// Exit code 0 when every check passed, 1 when one failed, 2 when the check could not run.
'use strict';
const fs = require('fs');
const path = require('path');
const { execFileSync } = require('child_process');

let vsctm, oniguruma;
try {
  vsctm = require('vscode-textmate');
  oniguruma = require('vscode-oniguruma');
} catch (e) {
  console.error(`grammar test: cannot run: ${e.message}\n` +
                '(run `npm ci` in editors/vscode, as scripts/bootstrap.sh --all does)');
  process.exit(2);
}

const here = path.resolve(__dirname, '..');
const joinup = process.argv[2] || '';
const root = path.resolve(process.argv[3] || path.join(here, '..', '..'));
const grammarPath = path.join(here, 'syntaxes', 'joinup.tmLanguage.json');

async function loadGrammar() {
  const wasm = fs.readFileSync(path.join(path.dirname(require.resolve('vscode-oniguruma')), 'onig.wasm'));
  await oniguruma.loadWASM(wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength));
  const registry = new vsctm.Registry({
    onigLib: Promise.resolve({
      createOnigScanner: (patterns) => new oniguruma.OnigScanner(patterns),
      createOnigString: (s) => new oniguruma.OnigString(s),
    }),
    loadGrammar: async (scopeName) => {
      if (scopeName !== 'source.joinup') return null;
      return vsctm.parseRawGrammar(fs.readFileSync(grammarPath, 'utf8'), grammarPath);
    },
  });
  return registry.loadGrammar('source.joinup');
}

// [{text, scopes}] for each line of `text`; throws on a line the engine stopped early.
function tokenize(grammar, text, limitMs = 1000) {
  let state = vsctm.INITIAL;
  return text.split(/\r?\n/).map((line, i) => {
    const r = grammar.tokenizeLine(line, state, limitMs);
    if (r.stoppedEarly) throw new Error(`line ${i + 1}: tokenizing stopped early (over ${limitMs} ms)`);
    state = r.ruleStack;
    return { line, tokens: r.tokens.map((t) => ({ text: line.slice(t.startIndex, t.endIndex), scopes: t.scopes })) };
  });
}

let failures = 0;
function check(ok, what, detail) {
  if (ok) {
    console.log(`ok   ${what}`);
  } else {
    failures++;
    console.log(`FAIL ${what}${detail ? `\n  ${detail}` : ''}`);
  }
}

// The scopes of the `nth` (0-based) token whose text is `text` on the first line containing `lineHas`.
function scopesOf(lines, lineHas, text, nth = 0) {
  const l = lines.find((x) => x.line.includes(lineHas));
  if (!l) return null;
  const found = l.tokens.filter((t) => t.text === text || t.text.trim() === text);
  return found[nth] ? found[nth].scopes : null;
}

function expectScope(file, lines, lineHas, text, scope, nth = 0) {
  const scopes = scopesOf(lines, lineHas, text, nth);
  const ok = scopes !== null && scopes.some((s) => s === scope || s.startsWith(scope + '.'));
  check(ok, `${file}: '${text}' in «${lineHas.trim()}» is ${scope}`,
        scopes === null ? 'no such token' : `its scopes: ${scopes.join(' ')}`);
}
function expectNotScope(file, lines, lineHas, text, scope, nth = 0) {
  const scopes = scopesOf(lines, lineHas, text, nth);
  const ok = scopes !== null && !scopes.some((s) => s === scope || s.startsWith(scope + '.'));
  check(ok, `${file}: '${text}' in «${lineHas.trim()}» is not ${scope}`,
        scopes === null ? 'no such token' : `its scopes: ${scopes.join(' ')}`);
}

function jupFiles(dir, out = []) {
  for (const e of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) {
      if (e.name === 'node_modules' || e.name === '.git' || (dir === root && e.name.startsWith('build'))) continue;
      jupFiles(p, out);
    } else if (e.name.endsWith('.jup')) {
      out.push(p);
    }
  }
  return out;
}

function parses(file) {
  try {
    execFileSync(joinup, ['fmt', file], { stdio: 'ignore', timeout: 20000 });
    return true;
  } catch (e) {
    return false;
  }
}

async function main() {
  const grammar = await loadGrammar();
  const read = (rel) => tokenize(grammar, fs.readFileSync(path.join(root, rel), 'utf8'));

  // 1. Hand-picked lines.
  let f = 'rules/integration/money.jup';
  let L = read(f);
  expectScope(f, L, '# The standard rule pack', '#', 'comment.line.number-sign');
  expectScope(f, L, 'package integration.money', 'package', 'keyword.other.package');
  expectScope(f, L, 'package integration.money', 'integration.money', 'entity.name.namespace');
  expectScope(f, L, 'uses partnership', 'uses', 'keyword.other.uses');
  expectScope(f, L, 'rule joint-commissioning', 'rule', 'keyword.other.rule');
  expectScope(f, L, 'rule joint-commissioning', 'joint-commissioning', 'entity.name.type.rule');
  expectScope(f, L, 'rule joint-commissioning', 'Services are commissioned jointly', 'string.quoted.double');
  expectScope(f, L, 'severity  error', 'severity', 'keyword.other.metadata');
  expectScope(f, L, 'severity  error', 'error', 'constant.language.severity');
  expectScope(f, L, '  rationale "Failure is overdetermined', 'rationale', 'keyword.other.metadata');
  expectScope(f, L, 'let arrangement = partnership', 'let', 'keyword.control');
  expectScope(f, L, 'let arrangement = partnership', '??', 'keyword.operator.null-coalescing');
  expectScope(f, L, 'let arrangement = partnership', 'not described', 'string.quoted.double');
  expectScope(f, L, 'require arrangement in ["joint"', 'require', 'keyword.control');
  expectScope(f, L, 'require arrangement in ["joint"', 'in', 'keyword.operator.word');
  expectScope(f, L, 'message "Commissioning is {arrangement}', 'message', 'keyword.other.metadata');
  expectScope(f, L, 'message "Commissioning is {arrangement}', 'Commissioning is ', 'string.quoted.double.template');
  expectScope(f, L, 'message "Commissioning is {arrangement}', '{', 'punctuation.section.interpolation.begin');
  expectScope(f, L, 'message "Commissioning is {arrangement}', 'arrangement', 'meta.interpolation');
  expectScope(f, L, 'message "Commissioning is {arrangement}', 'arrangement', 'variable.other');
  expectScope(f, L, 'message "Commissioning is {arrangement}', '}', 'punctuation.section.interpolation.end');
  expectScope(f, L, 'for each service in', 'for', 'keyword.control');
  expectScope(f, L, 'for each service in', 'each', 'keyword.control');
  expectScope(f, L, 'when has(partnership.commissioning.services)', 'has', 'support.function.builtin');
  expectScope(f, L, 'when has(partnership.commissioning.services)', 'commissioning', 'variable.other.property');
  expectScope(f, L, 'message "Only {percent(share)}', 'percent', 'support.function.builtin');
  expectScope(f, L, 'message "Only {percent(share)}', 'percent', 'meta.interpolation');

  f = 'rules/integration/citizens.jup';
  L = read(f);
  expectScope(f, L, 'require any org in partnership.organisations', 'any', 'keyword.operator.quantifier');
  expectScope(f, L, 'require any org in partnership.organisations', 'housing', 'string.quoted.double');
  expectNotScope(f, L, 'require any org in partnership.organisations', 'housing', 'meta.interpolation');
  expectScope(f, L, 'require any org in partnership.organisations', 'sectors', 'variable.other.property');

  f = 'tests/golden/c-undetermined/checks.jup';
  L = read(f);
  expectScope(f, L, 'partnership.review.date > @2026-01-01', '2026-01-01', 'constant.other.date');

  f = 'rules/integration/teams.jup';
  L = read(f);
  expectScope(f, L, 'require count(held_back) == 0', '0', 'constant.numeric');

  f = 'tests/rule-diagnostics/32-invalid-unicode-escape.jup';
  L = read(f);
  expectScope(f, L, '"\\u{110000}"', '\\u{110000}', 'constant.character.escape.unicode');

  // The constructs the pack does not use yet (test/constructs.jup).
  f = 'editors/vscode/test/constructs.jup';
  L = read(f);
  expectScope(f, L, 'import integration.common', 'import', 'keyword.other.import');
  expectScope(f, L, 'import integration.common', 'integration.common', 'entity.name.namespace');
  expectScope(f, L, 'schema "../../../schemas', 'schema', 'keyword.other.schema');
  expectScope(f, L, 'let team_size_min = ', 'let', 'keyword.control');
  expectScope(f, L, 'let team_size_min = ', '10', 'constant.numeric');
  expectScope(f, L, 'def senior(p)', 'def', 'storage.type.function');
  expectScope(f, L, 'def senior(p)', 'senior', 'entity.name.function');
  expectScope(f, L, 'def org_name(id) = first(', 'first', 'support.function.builtin');
  expectScope(f, L, 'def org_name(id) = first(', 'where', 'keyword.control');
  expectScope(f, L, 'rule team-size "Teams are {not} templates"', 'Teams are {not} templates', 'string.quoted.double');
  expectNotScope(f, L, 'rule team-size "Teams are {not} templates"', 'Teams are {not} templates', 'meta.interpolation');
  expectScope(f, L, 'tags     [teams', 'tags', 'keyword.other.metadata');
  expectScope(f, L, 'source   "RSA', 'source', 'keyword.other.metadata');
  expectScope(f, L, '"work across {{organisations}}"', '{{', 'constant.character.escape.brace');
  expectScope(f, L, '"work across {{organisations}}"', 'organisations', 'string.quoted.double.template');
  expectNotScope(f, L, '"work across {{organisations}}"', 'organisations', 'meta.interpolation');
  expectScope(f, L, '"work across {{organisations}}"', ' a comment after a text', 'comment.line.number-sign');
  expectScope(f, L, 'when partnership.updated >= @2025-04-01', '2025-04-01', 'constant.other.date');
  expectScope(f, L, 'require size between', 'between', 'keyword.operator.word');
  expectScope(f, L, 'require size between', '20', 'constant.numeric');
  expectScope(f, L, 'require size between', 'plural', 'support.function.builtin');
  expectScope(f, L, 'require size between', 'member', 'string.quoted.double.template');
  expectScope(f, L, 'require all m in team.members', 'all', 'keyword.operator.quantifier');
  expectScope(f, L, 'require all m in team.members', 'matches', 'keyword.operator.word');
  expectScope(f, L, 'require all m in team.members', '\\\\', 'constant.character.escape');
  expectNotScope(f, L, 'require all m in team.members', 'd{3}$', 'meta.interpolation');
  expectScope(f, L, '"{if size > 20 then', 'if', 'keyword.control.conditional');
  expectScope(f, L, '"{if size > 20 then', 'then', 'keyword.control.conditional');
  expectScope(f, L, '"{if size > 20 then', 'else', 'keyword.control.conditional');
  expectScope(f, L, '"{if size > 20 then', 'too many', 'string.quoted.double.template');
  expectScope(f, L, '"{if size > 20 then', '\\u{e9}', 'constant.character.escape.unicode');
  expectScope(f, L, '"{if size > 20 then', '\\"', 'constant.character.escape');
  expectScope(f, L, '"{if size > 20 then', 'org_name', 'entity.name.function.call');
  expectScope(f, L, 'remedy "Split', '2.5e0', 'constant.numeric');
  expectScope(f, L, 'remedy "Split', 'round', 'support.function.builtin');
  expectScope(f, L, 'where team.cross_cutting and not team.paused', 'where', 'keyword.control');
  expectScope(f, L, 'where team.cross_cutting and not team.paused', 'not', 'keyword.operator.word');
  expectScope(f, L, 'where team.cross_cutting and not team.paused', 'i', 'variable.other');
  expectScope(f, L, 'where team.cross_cutting and not team.paused', 'team', 'variable.other');
  expectScope(f, L, 'partnership.teams.source', 'source', 'variable.other.property');
  expectScope(f, L, 'let tags = team.tags', 'tags', 'variable.other');
  expectNotScope(f, L, 'let tags = team.tags', 'tags', 'keyword.other.metadata');
  expectScope(f, L, 'require count(tags) >= 0', 'tags', 'variable.other');
  expectScope(f, L, 'require count(tags) >= 0', 'source', 'entity.name.function.call');
  expectScope(f, L, 'require count(tags) >= 0', 'remedy', 'variable.other');
  expectNotScope(f, L, 'require count(tags) >= 0', 'remedy', 'keyword.other.metadata');
  expectNotScope(f, L, 'partnership.teams.source', 'source', 'keyword.other.metadata');
  expectScope(f, L, 'partnership.teams.source', 'when', 'variable.other.property', 1);

  // 2. Every .jup file of the repository.
  const files = jupFiles(root);
  check(files.length >= 50, `${files.length} .jup files found in the repository`);
  let clean = 0;
  for (const file of files) {
    const rel = path.relative(root, file);
    const good = joinup && parses(file);
    let lines;
    try {
      // A file joinup rejects may be hostile (thousands of nested holes on one line): it must
      // tokenize to its end, within 20 s a line; a file joinup accepts within 1 s a line.
      lines = tokenize(grammar, fs.readFileSync(file, 'utf8'), good ? 1000 : 20000);
    } catch (e) {
      check(false, `${rel}: tokenizes`, e.message);
      continue;
    }
    if (!good) continue;  // malformed on purpose: tokenizing it is enough
    clean++;
    const problems = [];
    lines.forEach((l, i) => {
      for (const t of l.tokens) {
        if (t.text.trim() === '') continue;
        if (t.scopes.length < 2)
          problems.push(`line ${i + 1}: '${t.text}' has no scope of the grammar`);
        else if (t.scopes.some((s) => s.startsWith('invalid')))
          problems.push(`line ${i + 1}: '${t.text}' is ${t.scopes.join(' ')}`);
      }
    });
    if (problems.length) check(false, `${rel}: every token scoped, none invalid`, problems.slice(0, 5).join('\n  '));
  }
  if (joinup) check(clean >= 50, `${clean} of them parse with joinup, and each has every token scoped, none invalid`);
  else check(false, 'the joinup command was given (to tell the files that parse)');
  console.log(`grammar test: ${failures ? `${failures} failed` : 'all passed'}`);
  process.exit(failures ? 1 : 0);
}

main().catch((e) => {
  console.error(`grammar test: ${e.stack || e}`);
  process.exit(1);
});
