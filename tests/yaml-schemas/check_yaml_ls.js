// The YAML language server (npm yaml-language-server), driven over stdio as an editor drives it,
// validates joinup's YAML files through their `# yaml-language-server: $schema=…` line: for each of
// examples/housing.rules.yaml, housing.test.yaml and housing-waivers.yaml it reports no problem on
// the file as it is, and reports a planted mistake (a misspelt key, a value the schema forbids) at
// its line. Hover over a key shows the schema's description.
//
//   node check_yaml_ls.js
// Exit code 0 when every check passed, 1 when one failed, 2 when it could not run.
'use strict';
const fs = require('fs');
const path = require('path');
const { spawn } = require('child_process');
const { pathToFileURL } = require('url');

let rpc;
try {
  rpc = require('vscode-languageserver-protocol/node');
  require.resolve('yaml-language-server/bin/yaml-language-server');
} catch (e) {
  console.error(`yaml schema test: cannot run: ${e.message}\n` +
                '(run `npm ci` in tests/yaml-schemas, as scripts/bootstrap.sh --all does)');
  process.exit(2);
}

const examples = path.join(__dirname, 'examples');
// [file, what is planted, text -> text with the mistake, the word the diagnostic must name, hover key and a word of its description]
const cases = [
  ['housing.rules.yaml', "'require' misspelt 'requre'", (t) => t.replace('    require: \'any org', '    requre: \'any org'), 'requre',
   ['severity', 'How serious a failure is']],
  ['housing.rules.yaml', "severity 'warn'", (t) => t.replace('severity: warning', 'severity: warn'), 'warn', null],
  ['housing.rules.yaml', "a definition with 'name' for 'let'", (t) => t.replace('  - let: team_size_min', '  - name: team_size_min'), 'name', null],
  ['housing.test.yaml', "'expect' misspelt 'expected'", (t) => t.replace('    expect: []', '    expected: []'), 'expected',
   ['as_of', 'today()']],
  ['housing.test.yaml', "outcome 'failed'", (t) => t.replace('subject: ""}', 'subject: "", outcome: failed}'), 'failed', null],
  ['housing-waivers.yaml', "'reason' misspelt 'reasons'", (t) => t.replace('    reason: The team', '    reasons: The team'), 'reasons',
   ['expires', 'The last day the waiver holds']],
  ['housing-waivers.yaml', "expires '31/01/2027'", (t) => t.replace('expires: 2027-01-31', 'expires: 31/01/2027'), 'expires', null],
];

let failures = 0;
function check(ok, what, detail) {
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${what}${!ok && detail ? `\n  ${detail}` : ''}`);
  if (!ok) failures++;
}

async function main() {
  const server = spawn(process.execPath, [require.resolve('yaml-language-server/bin/yaml-language-server'), '--stdio'],
                       { stdio: ['pipe', 'pipe', 'inherit'] });
  const conn = rpc.createProtocolConnection(new rpc.StreamMessageReader(server.stdout), new rpc.StreamMessageWriter(server.stdin));
  const settings = { yaml: { validate: true, hover: true, completion: true, schemaStore: { enable: false }, schemas: {} } };
  const waiting = new Map();  // uri -> resolve of the next diagnostics
  conn.onNotification(rpc.PublishDiagnosticsNotification.type, (p) => {
    const w = waiting.get(p.uri);
    if (w) { waiting.delete(p.uri); w(p.diagnostics); }
  });
  conn.onRequest(rpc.ConfigurationRequest.type, (p) => p.items.map((i) => (i.section ? settings[i.section] ?? null : settings)));
  conn.onRequest(rpc.RegistrationRequest.type, () => null);
  conn.onRequest('custom/schema/request', () => []);
  conn.onNotification(() => {});
  conn.listen();

  const timeout = setTimeout(() => { console.log('FAIL the YAML language server did not answer within 60 s'); process.exit(1); }, 60000);
  await conn.sendRequest(rpc.InitializeRequest.type, {
    processId: process.pid, rootUri: pathToFileURL(examples).href, workspaceFolders: null,
    capabilities: { workspace: { configuration: true }, textDocument: { hover: { contentFormat: ['plaintext', 'markdown'] }, publishDiagnostics: {} } },
  });
  await conn.sendNotification(rpc.InitializedNotification.type, {});
  await conn.sendNotification(rpc.DidChangeConfigurationNotification.type, { settings });

  let version = 0;
  const diagnose = (uri, text) => new Promise((resolve) => {
    waiting.set(uri, resolve);
    version++;
    conn.sendNotification(rpc.DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId: 'yaml', version, text } });
  });
  const close = (uri) => conn.sendNotification(rpc.DidCloseTextDocumentNotification.type, { textDocument: { uri } });
  const describe = (d) => d.map((x) => `${x.range.start.line + 1}:${x.range.start.character + 1} ${x.message}`).join('\n  ');

  const checkedGood = new Set();
  for (const [n, [file, what, plant, word, hover]] of cases.entries()) {
    const full = path.join(examples, file);
    const uri = pathToFileURL(full).href;
    const text = fs.readFileSync(full, 'utf8');
    check(/^# yaml-language-server: \$schema=\S+\.schema\.json$/m.test(text), `${file} names its schema on a yaml-language-server line`);
    if (!checkedGood.has(file)) {
      checkedGood.add(file);
      const d = await diagnose(uri, text);
      check(d.length === 0, `${file}: no problem reported on the file as it is`, describe(d));
      if (hover) {
        const [key, words] = hover;
        const line = text.split('\n').findIndex((l) => l.trimStart().startsWith(`${key}:`));
        const h = await conn.sendRequest(rpc.HoverRequest.type, {
          textDocument: { uri }, position: { line, character: text.split('\n')[line].indexOf(key) + 1 } });
        const shown = h ? JSON.stringify(h.contents) : '';
        check(shown.includes(words), `${file}: hover over '${key}' shows the schema's description`, shown || 'no hover');
      }
      close(uri);
    }
    const bad = plant(text);
    check(bad !== text, `${file}: the mistake (${what}) is planted`);
    const line = bad.split('\n').findIndex((l, i) => l !== text.split('\n')[i]);
    // Beside the file (so its relative $schema path holds), under a name of its own: the server's
    // clearing of the closed file's diagnostics must not be taken for this one's.
    const badUri = pathToFileURL(path.join(examples, `planted-${n}-${file}`)).href;
    const d = await diagnose(badUri, bad);
    const hit = d.filter((x) => x.range.start.line === line && (x.message.includes(word) || bad.split('\n')[line].includes(word)));
    check(hit.length > 0 && d.every((x) => x.severity === 1 || x.severity === 2),
          `${file} with ${what}: reported at line ${line + 1}${hit.length ? ` (${hit[0].message.split("\n")[0]})` : ""}`, describe(d) || "nothing reported");
    close(badUri);
  }
  clearTimeout(timeout);
  await conn.sendRequest(rpc.ShutdownRequest.type);
  await conn.sendNotification(rpc.ExitNotification.type);
  conn.dispose();
  server.kill();
  console.log(`yaml schema test: ${failures ? `${failures} failed` : 'all passed'}`);
  process.exit(failures ? 1 : 0);
}

main().catch((e) => {
  console.error(`yaml schema test: ${e.stack || e}`);
  process.exit(1);
});
