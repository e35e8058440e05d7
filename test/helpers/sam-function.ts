/**
 * A SAM template with one Python function whose code is inline, for tests that need the code analysis and a
 * role side by side: other resources first, then the function `name` with its handler code, environment
 * variables, extra properties and `Policies` (each list is written at its own indentation).
 */
export function samFunctionTemplate(options: {
  readonly name: string;
  readonly code: string;
  /** Lines under `Resources:` before the function (indented by two spaces). */
  readonly resources?: readonly string[];
  /** `NAME: value` lines of `Environment.Variables`. */
  readonly environment?: readonly string[];
  /** More lines of the function's `Properties`. */
  readonly properties?: readonly string[];
  /** Lines under `Policies:` (indented by eight spaces). */
  readonly policies: readonly string[];
}): string {
  return [
    'Transform: AWS::Serverless-2016-10-31',
    'Resources:',
    ...(options.resources ?? []).map((l) => `  ${l}`),
    `  ${options.name}:`,
    '    Type: AWS::Serverless::Function',
    '    Properties:',
    '      Runtime: python3.12',
    '      Handler: index.handler',
    '      InlineCode: |',
    ...options.code.split('\n').map((l) => `        ${l}`),
    ...(options.environment?.length ? ['      Environment:', '        Variables:', ...options.environment.map((l) => `          ${l}`)] : []),
    ...(options.properties ?? []).map((l) => `      ${l}`),
    '      Policies:',
    ...options.policies.map((l) => `        ${l}`),
  ].join('\n');
}

/** `Policies` lines for one inline statement that allows what `statement` says (`Action: …`, `Resource: …`). */
export const inlineStatement = (statement: readonly string[]): string[] => ['- Statement:', '    - Effect: Allow', ...statement.map((l) => `      ${l}`)];
