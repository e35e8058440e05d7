/**
 * Rule pages without a browser. Diagnostics link their rule page on GitHub (`codeDescription.href`,
 * the same link every LSP client and the CLI's SARIF get). In VS Code the rule id in the Problems
 * panel and in the hover opens that link through the editor's opener, which sends an https link to
 * an external browser — useless offline. The opener does route the editor's own URL scheme
 * (`vscode://`, `code-oss://`… — `vscode.env.uriScheme`) to the extension named in the authority, so
 * the client rewrites each link to `<scheme>://<extension id>/rule/<name>` and its URI handler opens
 * the page shipped in the extension (docs/rules/ is packaged) as a Markdown preview.
 */
import * as vscode from 'vscode';

const GITHUB_PAGE = /\/blob\/main\/docs\/rules\/([A-Za-z0-9-]+)\.md$/;
const LOCAL_PATH = /^\/rule\/([A-Za-z0-9-]+)$/;

/** The packaged page of a rule, from its GitHub link or its local `/rule/<name>` link path. */
export function rulePageName(link: string): string | undefined {
  return GITHUB_PAGE.exec(link)?.[1];
}

/** Rewrites rule links in diagnostics to the extension's own URI (only when the pages are packaged). */
export function localiseRuleLinks(extensionId: string, diagnostics: vscode.Diagnostic[]): vscode.Diagnostic[] {
  for (const diagnostic of diagnostics) {
    const code = diagnostic.code;
    if (typeof code !== 'object' || !code.target) continue;
    const name = rulePageName(code.target.toString(true));
    if (!name) continue;
    diagnostic.code = { value: code.value, target: localRuleUri(extensionId, name) };
  }
  return diagnostics;
}

export function localRuleUri(extensionId: string, name: string): vscode.Uri {
  return vscode.Uri.from({ scheme: vscode.env.uriScheme, authority: extensionId, path: `/rule/${name}` });
}

/** Handles `<scheme>://<extension id>/rule/<name>` by opening that rule's page. */
export function ruleLinkHandler(open: (name: string) => Thenable<unknown>): vscode.UriHandler {
  return {
    handleUri(uri: vscode.Uri): void {
      const name = LOCAL_PATH.exec(uri.path)?.[1];
      if (name) void open(name);
    },
  };
}

/** Are the rule pages packaged in this build of the extension (a development build may lack docs/)? */
export async function rulePagesPackaged(extensionUri: vscode.Uri): Promise<boolean> {
  try {
    await vscode.workspace.fs.stat(vscode.Uri.joinPath(extensionUri, 'docs', 'rules', 'README.md'));
    return true;
  } catch {
    return false;
  }
}
