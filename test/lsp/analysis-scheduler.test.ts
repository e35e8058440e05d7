/**
 * The scheduler on its own: what is analysed, when, and which analysis a request gets. The
 * "analysis" here is the text it was computed from, so a stale answer is visible as old text.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { AnalysisScheduler } from '../../server/src/lsp/analysis-scheduler';

/** Open documents as the server's document store holds them, and a log of the scheduler's work. */
function setup() {
  const texts = new Map<string, string>();
  const analysed: string[] = [];
  const published: { uri: string; result: string }[] = [];
  let onPublish: (() => void) | undefined;
  const scheduler: AnalysisScheduler<string, string> = new AnalysisScheduler<string, string>({
    analyse: (uri) => {
      const text = texts.get(uri) ?? '';
      analysed.push(text);
      return text;
    },
    run: (uri): string => `diagnostics of ${scheduler.analysisOf(uri)}`,
    publish: (uri, result) => {
      published.push({ uri, result });
      onPublish?.();
    },
  });
  /** A new text, as didOpen/didChange deliver it. */
  const set = (uri: string, text: string, delayMs = 0) => {
    texts.set(uri, text);
    scheduler.changed(uri, delayMs);
  };
  const nextPublish = () => new Promise<void>((resolve) => (onPublish = resolve));
  const idle = () => new Promise((resolve) => setTimeout(resolve, 20));
  return { scheduler, texts, analysed, published, set, nextPublish, idle };
}

describe('AnalysisScheduler', () => {
  it('a new text is analysed again even when nothing else (version, length) tells it apart', async () => {
    const { scheduler, set, nextPublish, published } = setup();
    set('a', 'old text');
    await nextPublish();
    expect(scheduler.analysisOf('a')).toBe('old text');
    // The same uri and a text of the same length: a re-open or a change under the same client version.
    set('a', 'new text');
    expect(scheduler.analysisOf('a')).toBe('new text');
    await nextPublish();
    expect(published.map((p) => p.result)).toEqual(['diagnostics of old text', 'diagnostics of new text']);
  });

  it('analyses each text once: the scheduled run and the requests after it share the analysis', async () => {
    const { scheduler, set, nextPublish, analysed } = setup();
    set('a', 'one');
    await nextPublish();
    scheduler.analysisOf('a');
    scheduler.analysisOf('a');
    expect(analysed).toEqual(['one']);
  });

  it('a burst of changes costs one analysis and one publish, of the last text', async () => {
    const { set, nextPublish, analysed, published, idle } = setup();
    for (let i = 0; i < 20; i++) set('a', `text ${i}`, 5);
    await nextPublish();
    await idle();
    expect(analysed).toEqual(['text 19']);
    expect(published).toEqual([{ uri: 'a', result: 'diagnostics of text 19' }]);
  });

  it('a request between a change and its debounced run answers for the new text; the run reuses it', async () => {
    const { scheduler, set, nextPublish, analysed } = setup();
    set('a', 'first');
    await nextPublish();
    set('a', 'second', 10);
    expect(scheduler.isPending('a')).toBe(true);
    expect(scheduler.analysisOf('a')).toBe('second');
    await nextPublish();
    expect(analysed).toEqual(['first', 'second']);
  });

  it('invalidateAll re-analyses every open document at once, and only those', async () => {
    const { scheduler, set, nextPublish, analysed, published, idle } = setup();
    set('a', 'A');
    set('b', 'B');
    await idle();
    scheduler.closed('b');
    published.length = 0;
    analysed.length = 0;
    scheduler.invalidateAll();
    await nextPublish();
    await idle();
    expect(analysed).toEqual(['A']);
    expect(published.map((p) => p.uri)).toEqual(['a']);
  });

  it('nothing is published for a closed document, and a re-opened one never reuses the old analysis', async () => {
    const { scheduler, set, published, idle, nextPublish } = setup();
    set('a', 'before close', 5);
    scheduler.closed('a');
    await idle();
    expect(published).toEqual([]);
    set('a', 'after re-open');
    await nextPublish();
    expect(scheduler.analysisOf('a')).toBe('after re-open');
  });

  it('a change made while a run works (re-entrant) is not published as that run, and its analysis is not cached', async () => {
    const texts = new Map<string, string>([['a', 'v1']]);
    const published: string[] = [];
    let reenter = true;
    const scheduler: AnalysisScheduler<string, string> = new AnalysisScheduler({
      analyse: (uri) => {
        const text = texts.get(uri)!;
        if (reenter) {
          reenter = false;
          texts.set(uri, 'v2');
          scheduler.changed(uri, 0);
        }
        return text;
      },
      run: (uri) => scheduler.analysisOf(uri),
      publish: (_uri, result) => published.push(result),
    });
    scheduler.changed('a', 0);
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(published).toEqual(['v2']);
    expect(scheduler.analysisOf('a')).toBe('v2');
  });

  it('a document the scheduler was never told about is analysed on request and nothing is kept', () => {
    const { scheduler, texts, analysed } = setup();
    texts.set('x', 'unknown');
    expect(scheduler.analysisOf('x')).toBe('unknown');
    expect(scheduler.analysisOf('x')).toBe('unknown');
    expect(analysed).toEqual(['unknown', 'unknown']);
  });
});

describe('the server core stays host-agnostic', () => {
  // A web-worker host (no file system) will reuse these modules with its own WorkspaceHost.
  it.each(['server.ts', 'analysis-scheduler.ts', 'workspace.ts', 'file-workspace.ts', 'diagnostics.ts', 'code-actions.ts', 'hover.ts', 'settings.ts'])('%s imports no Node API and no Node adapter', (file) => {
    const source = readFileSync(`server/src/lsp/${file}`, 'utf8');
    const imports = [...source.matchAll(/from '([^']+)'/g)].map((m) => m[1]);
    const nodeOnly = (i: string) => i.startsWith('node:') || i === 'vscode-languageserver/node' || i.startsWith('../node/') || i === './node-workspace';
    expect(imports.filter((i) => nodeOnly(i!))).toEqual([]);
  });
});
