// A minimal client for `ftlint server`: VS Code starts the server over stdio
// for dataset and config files and shows its diagnostics, hovers and quick fixes.
"use strict";

const vscode = require("vscode");
const { LanguageClient } = require("vscode-languageclient/node");

let client;

async function activate(context) {
  const [command, ...args] = vscode.workspace
    .getConfiguration("ftlint")
    .get("command", ["ftlint", "server"]);
  client = new LanguageClient(
    "ftlint",
    "ftlint",
    { command, args },
    {
      documentSelector: [
        { scheme: "file", pattern: "**/*.{jsonl,ndjson,json,csv,tsv,yaml,yml}" },
      ],
    },
  );
  context.subscriptions.push(client);
  await client.start();
}

function deactivate() {
  return client ? client.stop() : undefined;
}

module.exports = { activate, deactivate };
