/**
 * A step budget for code analysis. Handler files come from the workspace: a file of a few hundred
 * bytes must not be able to hold the language server's event loop (or a CI run) for minutes. Each
 * file extraction spends steps (syntax nodes visited, expressions evaluated); past the budget it
 * stops and the function becomes partial with a reason, never complete and never silently empty.
 *
 * Steps, not the clock: the engine never reads the clock, and the same input must give the same
 * answer on a loaded CI machine as on a laptop.
 */
import type { Parser, SyntaxNode, Tree } from '@lezer/common';

export class BudgetExceeded extends Error {
  constructor(readonly limit: number) {
    super(`code analysis stopped after ${limit.toLocaleString('en-US')} steps (the analysis budget)`);
  }
}

export class StepBudget {
  private used = 0;

  constructor(readonly limit: number) {}

  get spent(): number {
    return this.used;
  }

  get remaining(): number {
    return Math.max(0, this.limit - this.used);
  }

  /** Throws `BudgetExceeded` once more than `limit` steps have been spent. */
  spend(steps = 1): void {
    this.used += steps;
    if (this.used > this.limit) throw new BudgetExceeded(this.limit);
  }
}

/** What one parser step (about one token) costs, relative to one evaluation step: measured, about 4×. */
const PARSE_STEP_COST = 4;

/** Parses `text` step by step, charging `budget`, so a file too large to analyse stops the parse early too. */
export function parseWithin(parser: Parser, text: string, budget: StepBudget): Tree {
  const parse = parser.startParse(text);
  for (;;) {
    const tree = parse.advance();
    if (tree) return tree;
    budget.spend(PARSE_STEP_COST);
  }
}

/**
 * Steps one file's extraction may spend. Measured (BENCHMARKS.md): a 1,600-line Python module of
 * 62 KB takes about 66,000 steps; a step costs 2–6 µs on a loaded 2-core machine, so the worst
 * file stops after about a second.
 */
export const FILE_STEPS = 250_000;
/** Steps one document's code analysis may spend over all the files its functions use. */
export const DOCUMENT_STEPS = 2_500_000;

/**
 * The document's budget, charged once per file text however many functions use it: a handler
 * file shared by 32 functions is extracted once (the memo) and charged once. What a memo answer
 * cost is charged as if it had been computed, so a result never depends on what the memo held.
 */
export class DocumentBudget {
  private readonly steps = new StepBudget(DOCUMENT_STEPS);
  private readonly charged = new Set<object>();

  get exhausted(): boolean {
    return this.steps.remaining === 0;
  }

  get remaining(): number {
    return this.steps.remaining;
  }

  charge(file: object, steps: number): void {
    if (this.charged.has(file)) return;
    this.charged.add(file);
    this.steps.spend(Math.min(steps, this.steps.remaining));
  }
}

/**
 * The value of each syntax node, remembered: evaluating a chain of calls is then linear, not exponential, and
 * every evaluation is charged to the budget. Values depend on other nodes' values (a use on the assignments that
 * reach it); a node asked for again while its own value is being computed (`a = b` … `b = a`) is unknown
 * there, so a cycle ends instead of recursing. Shared by the JavaScript and Python evaluators.
 */
export class NodeValues<V> {
  private readonly values = new Map<string, V | null | typeof PENDING>();
  constructor(private readonly budget: StepBudget) {}

  of(node: SyntaxNode | null | undefined, evaluateNow: (node: SyntaxNode) => V | undefined): V | undefined {
    if (!node) return undefined;
    this.budget.spend();
    const key = `${node.from}:${node.to}:${node.type.id}`;
    const known = this.values.get(key);
    if (known === PENDING) return undefined;
    if (known !== undefined) return known ?? undefined;
    this.values.set(key, PENDING);
    const value = evaluateNow(node);
    this.values.set(key, value ?? null);
    return value;
  }
}

const PENDING = Symbol('pending');
