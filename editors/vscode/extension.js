// The joinup extension: highlighting comes from syntaxes/ (no code); this starts the language
// server, `joinup lsp`, over standard input and output, for .jup files and YAML rule files.
'use strict';
const path = require('path');
const vscode = require('vscode');
const { LanguageClient, TransportKind } = require('vscode-languageclient/node');

let client;

// The YAML documents the server is for: rule files, rule tests and waivers files, by `joinup.yamlFiles`.
function documentSelector(config) {
  const selector = [{ scheme: 'file', language: 'joinup' }, { scheme: 'untitled', language: 'joinup' }];
  const patterns = config.get('yamlFiles', ['**/rules/**/*.yaml', '**/*.rules.yaml', '**/*.test.yaml', '**/*waivers*.yaml']);
  for (const pattern of patterns) selector.push({ scheme: 'file', language: 'yaml', pattern });
  return selector;
}

// A relative `joinup.schema` is taken from the first workspace folder.
function schemaPath(config) {
  const schema = config.get('schema', '');
  if (!schema || path.isAbsolute(schema)) return schema;
  const folder = vscode.workspace.workspaceFolders && vscode.workspace.workspaceFolders[0];
  return folder ? path.join(folder.uri.fsPath, schema) : schema;
}

async function start() {
  const config = vscode.workspace.getConfiguration('joinup');
  const command = config.get('path', 'joinup') || 'joinup';
  const serverOptions = { command, args: ['lsp'], transport: TransportKind.stdio };
  const clientOptions = {
    documentSelector: documentSelector(config),
    initializationOptions: { schema: schemaPath(config) },
    synchronize: { configurationSection: 'joinup' },
  };
  client = new LanguageClient('joinup', 'joinup language server', serverOptions, clientOptions);
  try {
    await client.start();
  } catch (e) {
    vscode.window.showErrorMessage(
      `joinup: could not start the language server '${command} lsp' (${e.message || e}). ` +
      'Set "joinup.path" to the joinup command.');
  }
}

async function stop() {
  if (client) {
    const c = client;
    client = undefined;
    await c.stop();
  }
}

async function activate(context) {
  context.subscriptions.push(
    vscode.commands.registerCommand('joinup.restartServer', async () => {
      await stop();
      await start();
    }),
    vscode.workspace.onDidChangeConfiguration(async (e) => {
      if (e.affectsConfiguration('joinup.path') || e.affectsConfiguration('joinup.schema') ||
          e.affectsConfiguration('joinup.yamlFiles')) {
        await stop();
        await start();
      }
    }));
  await start();
}

function deactivate() {
  return stop();
}

module.exports = { activate, deactivate };
