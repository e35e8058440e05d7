/**
 * What the .vsix holds for a user who has no network: the rule pages the editor opens (Markdown
 * preview), the README's images (the extension page shows them from the package), the walkthrough's
 * media, and both entry points. The file list is vsce's own (`vsce ls`, the .vscodeignore rules).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const manifest = JSON.parse(readFileSync('package.json', 'utf8'));
const packaged = new Set(
  execFileSync(process.execPath, [join('node_modules', '@vscode', 'vsce', 'vsce'), 'ls', '--no-dependencies'], { encoding: 'utf8' })
    .split('\n')
    .filter(Boolean),
);

describe('the .vsix contents', () => {
  it('ships every rule page and the rule index (opened in the editor by "Show documentation")', () => {
    const pages = readdirSync('docs/rules').filter((f) => f.endsWith('.md'));
    expect(pages).toContain('README.md');
    for (const page of pages) expect(packaged.has(`docs/rules/${page}`), page).toBe(true);
  });

  it("ships the README's images, linked relatively so they render offline", () => {
    const readme = readFileSync('README.md', 'utf8');
    const images = [...readme.matchAll(/!\[[^\]]*\]\(([^)\s]+)\)/g)].map((m) => m[1]!);
    expect(images.length).toBeGreaterThan(0);
    for (const image of images) {
      expect(image, 'relative image link').not.toMatch(/^[a-z]+:/i);
      expect(existsSync(image), image).toBe(true);
      expect(packaged.has(image), image).toBe(true);
    }
  });

  it('has a walkthrough whose media are packaged and whose command links name real commands', () => {
    const [walkthrough] = manifest.contributes.walkthroughs;
    expect(walkthrough.steps.length).toBeGreaterThanOrEqual(4);
    const ours = new Set(manifest.contributes.commands.map((c: { command: string }) => c.command));
    for (const step of walkthrough.steps) {
      const media = step.media.image ?? step.media.markdown;
      expect(existsSync(media), media).toBe(true);
      expect(packaged.has(media), media).toBe(true);
      if (step.media.image) expect(step.media.altText.length).toBeGreaterThan(10);
      for (const [, command] of String(step.description).matchAll(/\(command:([\w.]+)/g)) {
        if (command!.startsWith('serverlessSecurity.')) expect(ours.has(command), command).toBe(true);
      }
    }
  });

  it.runIf(existsSync('dist/web/server.js'))('ships both entry points: main (Node) and browser (web worker)', () => {
    expect(manifest.main).toBe('./dist/client.js');
    expect(manifest.browser).toBe('./dist/web/client.js');
    for (const file of ['dist/client.js', 'dist/server.js', 'dist/server.bundle.js', 'dist/web/client.js', 'dist/web/server.js', 'dist/iam/index.json']) expect(packaged.has(file), file).toBe(true);
    expect([...packaged].filter((f) => f.endsWith('.map'))).toEqual([]);
  });
});
