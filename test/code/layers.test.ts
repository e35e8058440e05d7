/**
 * Code in local layers is read where the function imports it (issue 11, item 2): Python modules in a layer's
 * `python/` folder (its root too when `sam build` builds it), Node packages in `nodejs/node_modules` and files named
 * by their `/opt/nodejs/…` path. Packages the layer installs from a registry are third-party code and are not read;
 * a layer with an `extensions/` folder, or a host that cannot tell folders, keeps the function partial.
 * Each case is a small app written to a temporary folder and analysed through the real path (Node host).
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { rules } from '../../rules/index';
import { analyze, functionInsights } from '../../server/src/engine/analyze';
import type { SourceFiles } from '../../server/src/engine/code/source-files';
import { createSourceFiles } from '../../server/src/node/source-files';
import { iam } from '../helpers/engine';

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

function app(files: Record<string, string>, templateName = 'template.yaml') {
  const dir = mkdtempSync(join(tmpdir(), 'sls-layers-'));
  dirs.push(dir);
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  const file = join(dir, templateName);
  const text = files[templateName]!;
  const analyse = (sources: SourceFiles = createSourceFiles(file, [dir])) => {
    const analysis = analyze({ text }, { rules, iam, sources });
    return functionInsights(analysis.kind!, analysis.model!, text, { sources, iam }).map((i) => ({ name: i.code.location.name, status: i.code.status, actions: i.code.usedActions, reason: i.code.reason ?? '', files: i.code.files }));
  };
  return { file, dir, analyse };
}

const nodeTemplate = (layer: string, metadata = '') => `Transform: AWS::Serverless-2016-10-31
Resources:
  CommonLayer:
    Type: AWS::Serverless::LayerVersion
    Properties:
      ContentUri: ${layer}
      CompatibleRuntimes: [nodejs20.x]
${metadata}  GetOrderFunction:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: src/
      Handler: get-order.handler
      Runtime: nodejs20.x
      Layers: [!Ref CommonLayer]
`;

const ordersStore = `const { DynamoDBClient } = require('@aws-sdk/client-dynamodb');
const { DynamoDBDocumentClient, GetCommand } = require('@aws-sdk/lib-dynamodb');
const documents = DynamoDBDocumentClient.from(new DynamoDBClient({}));
exports.getOrder = async (id) => (await documents.send(new GetCommand({ TableName: process.env.TABLE_NAME, Key: { id } }))).Item;
`;
/** A registry package the layer installs: if it were read, its call would show. */
const installedPackage = `const { S3Client, DeleteBucketCommand } = require('@aws-sdk/client-s3');
exports.v4 = () => new S3Client({}).send(new DeleteBucketCommand({ Bucket: 'x' }));
`;

describe('local layers are read where the function imports them', () => {
  it('a Node layer package in nodejs/node_modules (its own code), not the packages its manifest installs', () => {
    const { analyse } = app({
      'template.yaml': nodeTemplate('layers/common/'),
      'layers/common/nodejs/package.json': JSON.stringify({ name: 'common-layer', dependencies: { uuid: '^9.0.0', 'orders-store': 'file:./orders-store' } }),
      'layers/common/nodejs/node_modules/orders-store/package.json': JSON.stringify({ name: 'orders-store', main: 'lib/store.js' }),
      'layers/common/nodejs/node_modules/orders-store/lib/store.js': ordersStore,
      'layers/common/nodejs/node_modules/uuid/index.js': installedPackage,
      'src/get-order.js': `const { getOrder } = require('orders-store');\nconst { v4 } = require('uuid');\nexports.handler = async (event) => ({ statusCode: 200, body: JSON.stringify({ order: await getOrder(event.pathParameters.id), requestId: v4 }) });\n`,
    });
    expect(analyse()).toMatchObject([{ name: 'GetOrderFunction', status: 'complete', actions: ['dynamodb:GetItem'], files: ['src/get-order.js', 'layers/common/nodejs/node_modules/orders-store/lib/store.js'] }]);
  });

  it('a Node layer file by its /opt/nodejs path; a layer built by sam build has its root there', () => {
    const zipped = app({
      'template.yaml': nodeTemplate('layers/common/'),
      'layers/common/nodejs/utils/store.js': ordersStore,
      'src/get-order.js': `const { getOrder } = require('/opt/nodejs/utils/store');\nexports.handler = async (event) => getOrder(event.id);\n`,
    });
    expect(zipped.analyse()).toMatchObject([{ status: 'complete', actions: ['dynamodb:GetItem'] }]);
    const built = app({
      'template.yaml': nodeTemplate('layers/common/', '    Metadata:\n      BuildMethod: nodejs20.x\n'),
      'layers/common/utils/store.js': ordersStore,
      'src/get-order.js': `const { getOrder } = require('/opt/nodejs/utils/store');\nexports.handler = async (event) => getOrder(event.id);\n`,
    });
    expect(built.analyse()).toMatchObject([{ status: 'complete', actions: ['dynamodb:GetItem'] }]);
  });

  it('serverless.yml: a layer with a path, given to every function by provider.layers', () => {
    const { analyse } = app(
      {
        'serverless.yml': `service: orders\nprovider:\n  name: aws\n  runtime: python3.12\n  layers:\n    - { Ref: CommonLambdaLayer }\nlayers:\n  common:\n    path: layers/common\nfunctions:\n  get:\n    handler: handlers/get.handler\n`,
        'layers/common/python/orders/__init__.py': '',
        'layers/common/python/orders/store.py': `import os\nimport boto3\n\ntable = boto3.resource("dynamodb").Table(os.environ["TABLE_NAME"])\n\n\ndef get_order(order_id):\n    return table.get_item(Key={"id": order_id}).get("Item")\n`,
        'handlers/get.py': `from orders.store import get_order\n\n\ndef handler(event, context):\n    return get_order(event["pathParameters"]["id"])\n`,
      },
      'serverless.yml',
    );
    expect(analyse()).toMatchObject([{ name: 'get', status: 'complete', actions: ['dynamodb:GetItem'] }]);
  });
});

describe('a client factory of a layer module: each caller names the service (held-out seed 2766, damogallagher)', () => {
  const factoryTemplate = (handlers: string[]) => `Transform: AWS::Serverless-2016-10-31
Globals:
  Function:
    Runtime: python3.9
    Layers: [!Ref CommonCodeLayer]
Resources:
  CommonCodeLayer:
    Type: AWS::Serverless::LayerVersion
    Properties:
      ContentUri: app/layers/common_code_layer
    Metadata:
      BuildMethod: python3.9
${handlers.map((h, i) => `  Fn${i}:\n    Type: AWS::Serverless::Function\n    Properties:\n      CodeUri: app/code\n      Handler: ${h}.lambda_handler\n`).join('')}`;
  const factory = `import boto3\nfrom botocore.config import Config\nimport os\n\ndef boto3_client(service_name):\n    config = Config(region_name=os.environ['REGION_NAME'])\n    return boto3.client(service_name, config=config)\n\ndef success_response(body):\n    return {"statusCode": 200, "body": body}\n`;

  it('boto3_client(\'sagemaker\') makes a sagemaker client: its calls and paginators are read, the factory is answered', () => {
    const { analyse } = app({
      'template.yaml': factoryTemplate(['describe', 'list']),
      'app/layers/common_code_layer/common_code.py': factory,
      'app/code/describe.py': `from common_code import boto3_client, success_response\n\nclient = boto3_client('sagemaker')\n\ndef lambda_handler(event, context):\n    name = event["queryStringParameters"]["trainingJobName"]\n    return success_response(str(client.describe_training_job(TrainingJobName=name)))\n`,
      'app/code/list.py': `from common_code import boto3_client, success_response\n\nclient = boto3_client('cloudwatch')\n\ndef lambda_handler(event, context):\n    paginator = client.get_paginator('list_metrics')\n    return success_response(str([m for page in paginator.paginate() for m in page['Metrics']]))\n`,
    });
    expect(analyse()).toMatchObject([
      { name: 'Fn0', status: 'complete', actions: ['sagemaker:DescribeTrainingJob'] },
      { name: 'Fn1', status: 'complete', actions: ['cloudwatch:ListMetrics'] },
    ]);
  });

  it('a caller naming the service with a variable keeps the factory unresolved', () => {
    const { analyse } = app({
      'template.yaml': factoryTemplate(['any']),
      'app/layers/common_code_layer/common_code.py': factory,
      'app/code/any.py': `import os\nfrom common_code import boto3_client\n\nclient = boto3_client(os.environ['SERVICE'])\n\ndef lambda_handler(event, context):\n    return client.list_buckets()\n`,
    });
    const [fn] = analyse();
    expect(fn).toMatchObject({ status: 'partial', actions: [] });
    expect(fn!.reason).toContain('boto3.client for a service that is not statically known');
  });

  it('a package that calls AWS through its own clients (the SageMaker SDK) keeps the function partial', () => {
    const { analyse } = app({
      'template.yaml': factoryTemplate(['invoke']),
      'app/layers/common_code_layer/common_code.py': factory,
      'app/code/invoke.py': `import sagemaker\nfrom common_code import success_response\n\ndef lambda_handler(event, context):\n    predictor = sagemaker.predictor.Predictor(event["endpoint"], sagemaker_session=sagemaker.Session())\n    return success_response(str(predictor.predict(b"1")))\n`,
    });
    const [fn] = analyse();
    expect(fn).toMatchObject({ status: 'partial' });
    expect(fn!.reason).toContain('imports sagemaker, a package that calls AWS through its own clients');
  });
});

describe('what a layer may run that is not imported keeps the function partial', () => {
  const files = {
    'template.yaml': nodeTemplate('layers/common/'),
    'layers/common/nodejs/utils/store.js': ordersStore,
    'src/get-order.js': `const { getOrder } = require('/opt/nodejs/utils/store');\nexports.handler = async (event) => getOrder(event.id);\n`,
  };

  it('a layer with an extensions/ folder (an extension runs beside the handler with its role)', () => {
    const { analyse } = app({ ...files, 'layers/common/extensions/audit': '#!/bin/sh\nexec /opt/audit-extension\n' });
    const [fn] = analyse();
    expect(fn).toMatchObject({ status: 'partial', actions: ['dynamodb:GetItem'] });
    expect(fn!.reason).toContain("layer CommonLayer: its code runs with the function's role and is not read");
  });

  it('a host that cannot tell folders (the web host) cannot rule an extension out', () => {
    const { file, dir, analyse } = app(files);
    const disk = createSourceFiles(file, [dir]);
    const [fn] = analyse({ read: (path) => disk.read(path) });
    expect(fn).toMatchObject({ status: 'partial' });
    expect(fn!.reason).toContain('layer CommonLayer');
  });
});
