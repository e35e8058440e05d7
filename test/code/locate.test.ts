/**
 * Where a handler's code is found when the template's path does not name the file directly: a nested Node.js handler
 * path (`handler.projects.create`) and a built handler (`dist/…`) whose build output is not in the workspace while its
 * source is. Through the real engine path: the fixtures of test/code/fixtures read by the Node host's SourceFiles.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyze, functionInsights } from '../../server/src/engine/analyze';
import { handlerBody } from '../../server/src/engine/code/handler-logging';
import { locateFunctions } from '../../server/src/engine/code/locate';
import { createSourceFiles } from '../../server/src/node/source-files';
import { rules } from '../../rules/index';
import { iam } from '../helpers/engine';

const FIXTURES = resolve('test/code/fixtures');

function codeOf(fixture: string) {
  const dir = join(FIXTURES, fixture);
  const file = ['template.yaml', 'serverless.yml'].map((t) => join(dir, t)).find(existsSync)!;
  const text = readFileSync(file, 'utf8');
  const sources = createSourceFiles(file, [dir]);
  const analysis = analyze({ text }, { rules, iam, sources });
  const insights = functionInsights(analysis.kind!, analysis.model!, text, { sources, iam });
  return { sources, analysis, code: (name: string) => insights.find((i) => i.code.location.name === name)!.code };
}

describe('nested Node.js handler paths', () => {
  const { code, sources } = codeOf('serverless-nested-exports');

  it('splits the handler as Lambda does: the module up to the first dot of the file name, then a property path', () => {
    const { analysis } = codeOf('serverless-nested-exports');
    const [create] = locateFunctions('serverless', undefined, analysis.model!.serverless);
    expect(create!.entryCandidates[0]).toBe('src/handler.js');
    expect(create!.handlerPath).toEqual(['projects', 'create']);
    // The module up to the last dot stays a later candidate (a bundler plugin may have built that file).
    expect(create!.entryCandidates.slice(create!.nestedCandidates)).toContain('src/handler.projects.js');
  });

  it('follows an object of references through required modules to the module whose exports are the function', () => {
    const create = code('create');
    expect(create.status).toBe('complete');
    expect(create.files[0]).toBe('src/controllers/projects/create.js');
    expect(create.notes).toEqual(['handler projects.create of src/handler.js is the exports of src/controllers/projects/create.js (through src/controllers/index.js, src/controllers/projects/index.js)']);
    // Code readers find the handler's body by the name the location gives.
    const body = handlerBody(sources.read(create.files[0]!)!, create.location.handlerExport!, 'javascript');
    expect(body).toBeDefined();
  });

  it("reads only the named function's code, not the other handlers the same objects pass on", () => {
    expect(code('list').usedActions).toEqual(['dynamodb:Scan']);
    expect(code('list').notes?.[0]).toContain('is list of src/controllers/projects/list.js');
  });

  it('follows an ES export of an object built from an import to the imported function only', () => {
    const remove = code('remove');
    expect(remove.files[0]).toBe('src/file-operations.ts');
    expect(remove.location.handlerExport).toBe('remove');
    expect(remove.usedActions).toEqual(['s3:DeleteObject']);
  });

  it('says why when the object is built at run time, and reads no handler code', () => {
    const dynamic = code('dynamic');
    expect(dynamic.status).toBe('partial');
    expect(dynamic.location.handlerExport).toBeUndefined();
    expect(dynamic.reason).toContain('handler routes.get: which function it names could not be told');
    expect(dynamic.reason).toContain('built by a call');
    expect(dynamic.usedActions).toEqual([]);
  });
});

describe('built handlers whose source is beside them', () => {
  it('maps dist/ to src/ by tsconfig outDir and rootDir (through extends), and says so', () => {
    const { code } = codeOf('sam-built-dist-tsconfig');
    const order = code('CreateOrder');
    expect(order.status).toBe('complete');
    expect(order.files[0]).toBe('src/handlers/createOrder.ts');
    expect(order.notes).toEqual(['code read from src/handlers/createOrder.ts, the source of dist/handlers/createOrder.js by tsconfig.json:5 (outDir), tsconfig.base.json:5 (rootDir)']);
    // build/ is no folder any rule names: its code stays not found, src/report.ts is not guessed.
    expect(code('Report').status).toBe('not-found');
    expect(code('Report').notes).toBeUndefined();
  });

  it("maps Babel's output folder to its input folder by the package.json script", () => {
    const { code } = codeOf('serverless-babel-dist');
    const signup = code('signup');
    expect(signup.files[0]).toBe('src/users/handler.js');
    expect(signup.notes).toEqual(['code read from src/users/handler.js, the source of dist/users/handler.js by package.json:5 (babel ./src/ -d ./dist/)']);
  });

  it("maps outDir to the inputs' common folder (include, through extends) when tsconfig names no rootDir", () => {
    const { code } = codeOf('sam-built-inferred-rootdir');
    const orders = code('Orders');
    expect(orders.status).toBe('complete');
    expect(orders.files).toEqual(['src/handlers/orders.ts', 'src/shared/order.ts']);
    expect(orders.notes).toEqual(['code read from src/handlers/orders.ts, the source of build/handlers/orders.js by tsconfig.json:4 (outDir), no rootDir: the common folder of the inputs, src (include at tsconfig.base.json:3)']);
  });

  it("maps a bundle to its one entry by the package's esbuild script (outfile, or outdir and the entry's name)", () => {
    const { code } = codeOf('sam-built-esbuild-script');
    expect(code('Api').files).toEqual(['src/index.ts', 'src/key.ts']);
    expect(code('Api').notes).toEqual(['code read from src/index.ts, the entry bundled into dist/index.js by build.js:3 (esbuild entryPoints)']);
    expect(code('Worker').notes).toEqual(['code read from worker/src/worker.ts, the entry bundled into worker/out/worker.js by worker/esbuild.config.mjs:5 (esbuild entryPoints)']);
    // Two entries into one folder: which output is whose is esbuild's common-folder rule, not read.
    expect(code('Multi').status).toBe('not-found');
  });

  it("leaves a handler not found when no rootDir is set and the inferred inputs' folder does not hold its source", () => {
    // No include or files: the config's folder is tried, ./app.ts is not there, src/app.ts is not guessed.
    const { code } = codeOf('sam-built-no-rootdir');
    expect(code('App').status).toBe('not-found');
    expect(code('App').reason).toContain('handler file not found');
  });

  it('reads each folder\'s tsconfig.json and package.json once for all of a handler\'s built candidates', () => {
    // app.js, app.mjs and app.cjs each ascend dist/ and the document's folder: before, each asked both files again
    // (2,375 of a launch's 3,000 reads on the generated 5,000-line template).
    const dir = join(FIXTURES, 'sam-built-no-rootdir');
    const file = join(dir, 'template.yaml');
    const disk = createSourceFiles(file, [dir]);
    const reads = new Map<string, number>();
    const sources = { ...disk, read: (path: string) => (reads.set(path, (reads.get(path) ?? 0) + 1), disk.read(path)) };
    const text = readFileSync(file, 'utf8');
    const analysis = analyze({ text }, { rules: [], iam, sources });
    const [app] = functionInsights(analysis.kind!, analysis.model!, text, { sources, iam });
    expect(app!.code.status).toBe('not-found');
    expect(app!.code.location.entryCandidates.filter((c) => /\.(m|c)?js$/.test(c)).length).toBeGreaterThan(1);
    for (const config of ['dist/tsconfig.json', 'dist/package.json', 'tsconfig.json', 'package.json']) expect([config, reads.get(config)]).toEqual([config, 1]);
  });
});

describe("handlers behind a monitoring vendor's wrapper", () => {
  it("reads the handler the wrapper's variable names (Globals or the function's own, which wins) and says so", () => {
    const { code } = codeOf('vendor-wrapped-handlers');
    const orders = code('Orders');
    expect(orders.files[0]).toBe('src/orders.py');
    expect(orders.location.wrapper).toEqual({ vendor: 'New Relic', handler: 'newrelic_lambda_wrapper.handler', variable: 'NEW_RELIC_LAMBDA_HANDLER', real: 'orders.handler' });
    expect(orders.notes).toEqual(["handler orders.handler from NEW_RELIC_LAMBDA_HANDLER: the function's Handler, newrelic_lambda_wrapper.handler, is New Relic's wrapper, which calls it"]);
    expect(code('Reports').files[0]).toBe('src/reports.py');
    expect(code('Traced').files[0]).toBe('src/handlers/traced.mjs');
    expect(code('Traced').location.wrapper?.vendor).toBe('Datadog');
  });

  it('leaves the code unavailable, saying why, when no variable names the handler', () => {
    const { code } = codeOf('vendor-wrapped-handlers');
    expect(code('Unnamed').status).toBe('unavailable');
    expect(code('Unnamed').reason).toBe("the handler is Datadog's wrapper (datadog_lambda.handler.handler), and no DD_LAMBDA_HANDLER names the function's own handler");
  });

  it('reads serverless.yml provider and function variables; a variable written through ${…} is not read as a path', () => {
    const { code } = codeOf('serverless-vendor-wrapped');
    expect(code('notify').files[0]).toBe('src/notify.js');
    expect(code('notify').location.wrapper?.vendor).toBe('Lumigo');
    expect(code('mail').files[0]).toBe('src/mail.js');
    expect(code('mail').location.wrapper).toMatchObject({ vendor: 'Thundra', variable: 'thundra_agent_lambda_handler' });
    expect(code('computed').status).toBe('unavailable');
    expect(code('computed').reason).toContain('LUMIGO_ORIGINAL_HANDLER, which names the function\'s own handler, is not a literal');
  });
});
