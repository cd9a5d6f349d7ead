// The extension packages into a .vsix with the VS Code extension packager (@vscode/vsce), and the
// package holds what the editor needs: the manifest, the grammar, the language configuration, the
// client and the language client library it loads. The client module loads (against a stand-in
// for the editor's `vscode` module) and exports activate and deactivate.
//
//   node test/package.test.js OUT_DIR
'use strict';
const fs = require('fs');
const path = require('path');
const Module = require('module');
const { execFileSync } = require('child_process');

const here = path.resolve(__dirname, '..');
const out = path.resolve(process.argv[2] || fs.mkdtempSync(path.join(require('os').tmpdir(), 'joinup-vsix-')));
let vsce;
try {
  vsce = require.resolve('@vscode/vsce/vsce');
} catch (e) {
  console.error(`package test: cannot run: ${e.message}\n(run \`npm ci\` in editors/vscode, as scripts/bootstrap.sh --all does)`);
  process.exit(2);
}

let failures = 0;
function check(ok, what, detail) {
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${what}${!ok && detail ? `\n  ${detail}` : ''}`);
  if (!ok) failures++;
}

const manifest = JSON.parse(fs.readFileSync(path.join(here, 'package.json'), 'utf8'));
const vsix = path.join(out, `${manifest.name}-${manifest.version}.vsix`);
fs.mkdirSync(out, { recursive: true });
fs.rmSync(vsix, { force: true });
try {
  execFileSync(process.execPath, [vsce, 'package', '--skip-license', '--allow-missing-repository', '--out', vsix],
               { cwd: here, stdio: ['ignore', 'pipe', 'pipe'], timeout: 120000 });
  check(fs.existsSync(vsix), `vsce packaged ${path.basename(vsix)} (${fs.existsSync(vsix) ? fs.statSync(vsix).size : 0} bytes)`);
} catch (e) {
  check(false, 'vsce package', `${e.stdout || ''}${e.stderr || ''}${e.message}`);
  process.exit(1);
}

// The files in the .vsix (a zip), read with Python's zipfile (no zip library among the packages).
const names = execFileSync('/usr/bin/python3', ['-c', 'import sys, zipfile\nfor n in zipfile.ZipFile(sys.argv[1]).namelist(): print(n)', vsix],
                           { encoding: 'utf8' }).split('\n').filter(Boolean);
const want = [
  'extension.vsixmanifest',
  'extension/package.json',
  'extension/extension.js',
  'extension/language-configuration.json',
  'extension/syntaxes/joinup.tmLanguage.json',
  'extension/node_modules/vscode-languageclient/node.js',
  'extension/node_modules/vscode-languageclient/package.json',
];
for (const n of want) check(names.includes(n), `the .vsix holds ${n}`);
for (const n of names)
  if (n.startsWith('extension/test/') || n.includes('node_modules/@vscode/vsce/') || n.includes('node_modules/vscode-textmate/'))
    check(false, `the .vsix leaves out tests and the tools that build it`, `it holds ${n}`);

// The manifest: .jup is a language with its grammar and configuration; the client is `main`.
const lang = (manifest.contributes.languages || []).find((l) => l.id === 'joinup');
check(lang && lang.extensions.includes('.jup'), 'package.json: .jup files are the joinup language');
check(lang && fs.existsSync(path.join(here, lang.configuration)), 'package.json: its language configuration exists');
const grammar = (manifest.contributes.grammars || []).find((g) => g.language === 'joinup');
check(grammar && grammar.scopeName === 'source.joinup' && fs.existsSync(path.join(here, grammar.path)),
      'package.json: its grammar exists, scope source.joinup');
for (const key of ['joinup.path', 'joinup.schema'])
  check(manifest.contributes.configuration.properties[key], `package.json: the setting ${key}`);
const config = JSON.parse(fs.readFileSync(path.join(here, lang.configuration), 'utf8'));
check(config.comments && config.comments.lineComment === '#', 'language configuration: # starts a comment');

// The client library is resolvable where the package puts it (extension/node_modules).
check(fs.existsSync(require.resolve('vscode-languageclient/node', { paths: [here] })), 'vscode-languageclient/node resolves from the extension');

// The client: loads, and starts `joinup lsp` (the configured path) over stdio for .jup and YAML rule files.
const started = [];
const stub = {
  workspace: {
    getConfiguration: () => ({ get: (k, d) => ({ path: '/opt/joinup/bin/joinup', schema: 'schemas/p.json' })[k] ?? d }),
    workspaceFolders: [{ uri: { fsPath: '/work/plans' } }],
    onDidChangeConfiguration: () => ({ dispose() {} }),
  },
  commands: { registerCommand: () => ({ dispose() {} }) },
  window: { showErrorMessage: (m) => started.push({ error: m }) },
};
const load = Module._load;
Module._load = function (request, parent, isMain) {
  if (request === 'vscode') return stub;
  if (request === 'vscode-languageclient/node') {  // the real one needs the editor; this records the start
    return {
      TransportKind: { stdio: 0 },
      LanguageClient: class {
        constructor(id, name, server, client) { started.push({ id, server, client }); }
        start() { return Promise.resolve(); }
        stop() { return Promise.resolve(); }
      },
    };
  }
  return load.apply(this, arguments);
};
const ext = require(path.join(here, manifest.main));
check(typeof ext.activate === 'function' && typeof ext.deactivate === 'function', `${manifest.main} exports activate and deactivate`);
ext.activate({ subscriptions: [] }).then(async () => {
  const s = started[0] || {};
  check(s.server && s.server.command === '/opt/joinup/bin/joinup' && s.server.args.join(' ') === 'lsp',
        'activate starts `joinup lsp` with the configured joinup.path', JSON.stringify(s));
  const sel = (s.client && s.client.documentSelector) || [];
  check(sel.some((d) => d.language === 'joinup') && sel.some((d) => d.language === 'yaml' && d.pattern),
        'the server is for .jup documents and YAML rule files', JSON.stringify(sel));
  check(s.client && s.client.initializationOptions.schema === path.join('/work/plans', 'schemas/p.json'),
        'a relative joinup.schema is passed on from the workspace folder', JSON.stringify(s.client && s.client.initializationOptions));
  await ext.deactivate();
  console.log(`package test: ${failures ? `${failures} failed` : 'all passed'}`);
  process.exit(failures ? 1 : 0);
});
