/**
 * Library calls around the SDK (libraries.ts) stay honest: what the analysis cannot follow — a
 * Powertools provider object, a v3 client package newer than the SDK table, a waiter it does not
 * know — makes the function partial with the reason, never "complete" with the calls dropped.
 * Each case is a small handler written to a temporary SAM app and analysed through the real path.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { rules } from '../../rules/index';
import { analyze, functionInsights } from '../../server/src/engine/analyze';
import { createSourceFiles } from '../../server/src/node/source-files';
import { iam } from '../helpers/engine';

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

function analyse(file: string, code: string) {
  const dir = mkdtempSync(join(tmpdir(), 'sls-libraries-'));
  dirs.push(dir);
  mkdirSync(join(dir, 'src'));
  writeFileSync(join(dir, 'src', file), code);
  const python = file.endsWith('.py');
  const template = `Transform: AWS::Serverless-2016-10-31\nResources:\n  Fn:\n    Type: AWS::Serverless::Function\n    Properties:\n      Runtime: ${python ? 'python3.12' : 'nodejs20.x'}\n      Handler: ${file.replace(/\.\w+$/, '')}.handler\n      CodeUri: src/\n      Policies:\n        - Statement:\n            - Effect: Allow\n              Action: ['ssm:*', 's3:*']\n              Resource: '*'\n`;
  writeFileSync(join(dir, 'template.yaml'), template);
  const sources = createSourceFiles(join(dir, 'template.yaml'), [dir]);
  const analysis = analyze({ text: template }, { rules, iam, sources });
  const [insight] = functionInsights(analysis.kind!, analysis.model!, template, { sources, iam });
  return { status: insight!.code.status, actions: insight!.code.usedActions, reason: insight!.code.reason ?? '', unused: analysis.findings.filter((f) => f.ruleId === 'SLS171') };
}

describe('library calls the analysis cannot follow make the function partial', () => {
  it('a Powertools provider object (TypeScript)', () => {
    const result = analyse('app.mjs', `import { SSMProvider } from '@aws-lambda-powertools/parameters/ssm';\nconst provider = new SSMProvider();\nexport const handler = async () => provider.get('/app/key');\n`);
    expect(result).toMatchObject({ status: 'partial', unused: [] });
    expect(result.reason).toContain('src/app.mjs:2 Powertools SSMProvider: the calls made through it are not followed');
  });

  it('a Powertools provider object (Python)', () => {
    const result = analyse('app.py', `from aws_lambda_powertools.utilities import parameters\n\nssm_provider = parameters.SSMProvider()\n\ndef handler(event, context):\n    return ssm_provider.get("/app/key")\n`);
    expect(result).toMatchObject({ status: 'partial', unused: [] });
    expect(result.reason).toContain('src/app.py:3 Powertools SSMProvider: the calls made through it are not followed');
  });

  it('a v3 client package the SDK table does not know', () => {
    const result = analyse('app.mjs', `import { FutureServiceClient, DoThingCommand } from '@aws-sdk/client-future-service';\nconst client = new FutureServiceClient({});\nexport const handler = async () => client.send(new DoThingCommand({}));\n`);
    expect(result).toMatchObject({ status: 'partial', unused: [] });
    expect(result.reason).toContain('@aws-sdk/client-future-service is not in the SDK mapping');
  });

  it('a PynamoDB model (its methods call DynamoDB on instances that are not tracked)', () => {
    const result = analyse('app.py', `import os\n\nfrom pynamodb.attributes import UnicodeAttribute\nfrom pynamodb.models import Model\n\n\nclass Asset(Model):\n    class Meta:\n        table_name = os.environ["TABLE"]\n\n    asset_id = UnicodeAttribute(hash_key=True)\n\n\ndef handler(event, context):\n    asset = Asset.get(event["id"])\n    asset.update(actions=[Asset.asset_id.set("x")])\n`);
    expect(result).toMatchObject({ status: 'partial', unused: [] });
    expect(result.reason).toContain('src/app.py:4 PynamoDB models call DynamoDB (get, query, scan, save, update, delete) in ways that are not followed');
  });

  it('a waiter whose operation is not known (SDK v2, boto3)', () => {
    const v2 = analyse('app.js', `const AWS = require('aws-sdk');\nconst s3 = new AWS.S3();\nexports.handler = async (event) => s3.waitFor(event.waiter, { Bucket: 'b' }).promise();\n`);
    expect(v2).toMatchObject({ status: 'partial', unused: [] });
    expect(v2.reason).toContain('s3 waiter: the operation it polls is not in the mapping');
    const boto3 = analyse('app.py', `import boto3\n\ns3 = boto3.client("s3")\n\ndef handler(event, context):\n    s3.get_waiter("bucket_eventually_green").wait(Bucket="b")\n`);
    expect(boto3).toMatchObject({ status: 'partial', unused: [] });
    expect(boto3.reason).toContain('s3 waiter bucket_eventually_green: the operation it polls is not in the mapping');
  });
});

describe('library calls the analysis follows', () => {
  it('middy ssm with a path (ends in /) needs GetParametersByPath too; names only need GetParameters', () => {
    const path = analyse('app.mjs', `import middy from '@middy/core';\nimport ssm from '@middy/ssm';\nconst base = async (event, context) => context.config;\nexport const handler = middy(base).use(ssm({ fetchData: { config: '/app/config/' }, setToContext: true }));\n`);
    expect(path).toMatchObject({ status: 'complete', actions: ['ssm:GetParameters', 'ssm:GetParametersByPath'] });
    const names = analyse('app.mjs', `import middy from '@middy/core';\nimport ssm from '@middy/ssm';\nconst base = async (event, context) => context.apiKey;\nexport const handler = middy(base).use(ssm({ fetchData: { apiKey: '/app/api-key' }, setToContext: true }));\n`);
    expect(names).toMatchObject({ status: 'complete', actions: ['ssm:GetParameters'] });
  });

  it('boto3: every resource type of the model is a constructor on the service resource (s3.Object); logging one is no escape', () => {
    const result = analyse('app.py', `import boto3\nfrom aws_lambda_powertools import Logger\n\nlogger = Logger()\ns3 = boto3.resource("s3")\n\n\ndef handler(event, context):\n    original = s3.Object(event["bucket"], event["key"])\n    logger.info(original)\n    body = original.get()["Body"].read()\n    s3.Object(bucket_name="out", key=event["key"]).put(Body=body.upper())\n`);
    expect(result).toMatchObject({ status: 'complete', actions: ['s3:GetObject', 's3:PutObject'] });
  });

  it('SDK v2 client classes by exact name: AWS.config is not a client', () => {
    const result = analyse('app.js', `const AWS = require('aws-sdk');\nAWS.config.update({ region: 'eu-west-1' });\nconst ssm = new AWS.SSM();\nexports.handler = async () => ssm.getParameter({ Name: '/app/key' }).promise();\n`);
    expect(result).toMatchObject({ status: 'complete', actions: ['ssm:GetParameter'] });
  });
});
