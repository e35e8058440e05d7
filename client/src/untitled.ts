/**
 * Untitled documents: text pasted into a new buffer stays "Plain Text", which the server never sees.
 * When such a buffer looks like an IAM policy, a template or a serverless.yml, offer once per buffer
 * to set its language (JSON or YAML) so that it is analysed.
 */
import * as vscode from 'vscode';
import { awsDocumentFormat } from './aws-text';

export function offerLanguageForUntitled(): vscode.Disposable {
  const asked = new Set<string>();
  const check = (document: vscode.TextDocument) => {
    if (document.uri.scheme !== 'untitled' || document.languageId !== 'plaintext') return;
    const key = document.uri.toString();
    if (asked.has(key)) return;
    const format = awsDocumentFormat(document.getText());
    if (!format) return;
    asked.add(key);
    const language = format === 'json' ? 'JSON' : 'YAML';
    void vscode.window
      .showInformationMessage(`Serverless Security: this untitled document looks like an AWS ${format === 'json' ? 'policy or template' : 'template, policy or serverless.yml'}. Set its language to ${language} to analyse it?`, `Set to ${language}`)
      .then((choice) => (choice ? vscode.languages.setTextDocumentLanguage(document, format) : undefined));
  };
  vscode.workspace.textDocuments.forEach(check);
  return vscode.Disposable.from(
    vscode.workspace.onDidOpenTextDocument(check),
    vscode.workspace.onDidChangeTextDocument((event) => check(event.document)),
  );
}
