import type { IamData } from '../iam/iam-data';
import type { FileCalls } from './calls';

/**
 * The calls extracted from each function code file, kept from one analysis to the next: a
 * keystroke in a template would otherwise re-parse every handler it names. Keyed by the file's
 * text (the same string object while the host's file cache holds it, so lookups do not rehash it)
 * and by what else the extraction depends on: language, path and handler export. Holds only
 * what the last two analyses used; an entry not used by the latest one is dropped at the next.
 */
export class CodeMemo {
  private previous = new Map<string, Map<string, FileCalls>>();
  private current = new Map<string, Map<string, FileCalls>>();
  /** Extraction maps calls to IAM actions: results of another reference are not reused. */
  private iam: IamData | undefined;

  /** Called at the start of each analysis. */
  nextAnalysis(iam: IamData | undefined): void {
    if (iam !== this.iam) {
      this.iam = iam;
      this.current = new Map();
    }
    this.previous = this.current;
    this.current = new Map();
  }

  /**
   * Marks a result as used by this analysis (a function whose whole insight was reused: code/insight-memo.ts);
   * returns the one this analysis holds, when another function already extracted the same text.
   */
  keep(text: string, key: string, calls: FileCalls): FileCalls {
    let byKey = this.current.get(text);
    if (!byKey) this.current.set(text, (byKey = new Map()));
    const held = byKey.get(key);
    if (held) return held;
    byKey.set(key, calls);
    return calls;
  }

  extract(text: string, key: string, compute: () => FileCalls): FileCalls {
    const known = this.current.get(text)?.get(key) ?? this.previous.get(text)?.get(key);
    const calls = known ?? compute();
    let byKey = this.current.get(text);
    if (!byKey) this.current.set(text, (byKey = new Map()));
    byKey.set(key, calls);
    return calls;
  }
}
