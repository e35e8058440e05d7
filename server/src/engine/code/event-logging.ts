/**
 * Whether a function's code lets Powertools for AWS Lambda's Logger log the whole incoming event, as
 * `POWERTOOLS_LOGGER_LOG_EVENT` asks: the variable only takes effect where the handler is wrapped by the
 * Logger's context injection (Python `@logger.inject_lambda_context`, TypeScript `injectLambdaContext`
 * middleware or decorator), and an explicit `log_event=False` / `logEvent: false` there overrides it.
 * Found by bounded linear scans of the files code analysis read (as `signature-check.ts` does).
 */
import { INLINE_FILE, type FunctionCode } from './function-code';
import type { WorkspaceFiles } from '../model/workspace-files';
import { lineOf } from './text-scan';

export type EventLogging =
  /** The handler injects the Logger's context without turning event logging off: the variable applies. */
  | { readonly kind: 'injected'; readonly file: string; readonly line: number }
  /** Every file the function reaches was read and none injects it (or each turns event logging off). */
  | { readonly kind: 'none' }
  /** The code was not read (not found, another language, partial analysis). */
  | { readonly kind: 'unknown' };

const INJECTION = /\binject_lambda_context\b|\binjectLambdaContext\b/g;
/** An explicit choice in the call's arguments wins over the variable. */
const TURNED_OFF = /\blog_event\s*=\s*False\b|\blogEvent\s*:\s*false\b/;
/** How far after the name the call's arguments are looked for. */
const ARGUMENTS = 200;

export function eventLogging(code: FunctionCode, files: WorkspaceFiles | undefined): EventLogging {
  if (code.status !== 'complete' && code.status !== 'partial') return { kind: 'unknown' };
  for (const file of code.files) {
    const text = file === INLINE_FILE ? code.location.inline?.text : files?.text(file);
    if (text === undefined) return { kind: 'unknown' };
    for (const match of text.matchAll(INJECTION)) {
      const after = text.slice(match.index + match[0].length, match.index + match[0].length + ARGUMENTS);
      // A decorator (`@logger.inject_lambda_context`) or a call; an import names it without using it.
      const before = text.slice(Math.max(0, match.index - 80), match.index);
      if (!/@[\w.]*$/.test(before) && !/^\s*\(/.test(after)) continue;
      const call = after.slice(0, closing(after));
      if (!TURNED_OFF.test(call)) return { kind: 'injected', file, line: lineOf(text, match.index) };
    }
  }
  return code.status === 'complete' ? { kind: 'none' } : { kind: 'unknown' };
}

/** The end of the first parenthesised argument list (the whole window when unclosed). */
function closing(text: string): number {
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '(') depth++;
    else if (c === ')' && --depth <= 0) return i + 1;
    else if (depth === 0 && c !== ' ' && c !== '\t' && c !== '\n' && c !== '\r') return 0;
  }
  return text.length;
}

