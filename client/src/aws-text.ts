/**
 * Does pasted text look like an AWS document we analyse (IAM policy, CloudFormation/SAM template,
 * serverless.yml)? Used for untitled documents still in plain text, to offer setting their language.
 * Pure and cheap (a bounded prefix, `indexOf`/anchored patterns only): it runs on every change of an
 * untitled plain-text buffer. No vscode import, so the test suite can run it directly.
 */

/** Only the start of a pasted buffer is looked at. */
const PREFIX = 20_000;

export function awsDocumentFormat(text: string): 'json' | 'yaml' | undefined {
  const head = text.slice(0, PREFIX);
  const trimmed = head.trimStart();
  if (trimmed.startsWith('{')) {
    const json = /"(Statement|AWSTemplateFormatVersion|Resources)"\s*:/.test(head) && (head.includes('"Statement"') || /"Type"\s*:\s*"AWS::/.test(head) || head.includes('"AWSTemplateFormatVersion"'));
    return json ? 'json' : undefined;
  }
  const yaml =
    /^AWSTemplateFormatVersion\s*:/m.test(head) ||
    /^Transform\s*:\s*['"]?AWS::Serverless/m.test(head) ||
    (/^Resources\s*:/m.test(head) && /^\s+Type\s*:\s*['"]?AWS::/m.test(head)) ||
    (/^service\s*:/m.test(head) && /^provider\s*:/m.test(head)) ||
    (/^Statement\s*:/m.test(head) && /^\s*-?\s*Effect\s*:/m.test(head));
  return yaml ? 'yaml' : undefined;
}
