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

  it('a PynamoDB model method the mapping does not have (pynamodb.ts)', () => {
    const result = analyse('app.py', `import os\n\nfrom pynamodb.attributes import UnicodeAttribute\nfrom pynamodb.models import Model\n\n\nclass Asset(Model):\n    class Meta:\n        table_name = os.environ["TABLE"]\n\n    asset_id = UnicodeAttribute(hash_key=True)\n\n\ndef handler(event, context):\n    asset = Asset.get(event["id"])\n    asset.update(actions=[Asset.asset_id.set("x")])\n    Asset.transact_everything()\n`);
    expect(result).toMatchObject({ status: 'partial', unused: [] });
    expect(result.reason).toContain('src/app.py:17 PynamoDB Model.transact_everything is not in the mapping');
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

describe('HTTP requests signed with SigV4 need the action of the service they sign for', () => {
  it('requests with BotoAWSRequestsAuth to an IAM-authorised API needs execute-api:Invoke (Python)', () => {
    const result = analyse('app.py', `import os\nfrom urllib.parse import urlparse\n\nimport requests\nfrom aws_requests_auth.boto_utils import BotoAWSRequestsAuth\n\nORDERS_API_URL = os.environ["ORDERS_API_URL"]\n\n\ndef handler(event, context):\n    url = urlparse(ORDERS_API_URL)\n    auth = BotoAWSRequestsAuth(aws_host=url.netloc, aws_region=os.environ["AWS_REGION"], aws_service="execute-api")\n    return requests.get(ORDERS_API_URL + event["id"], auth=auth).json()\n`);
    expect(result).toMatchObject({ status: 'complete', actions: ['execute-api:Invoke'] });
  });

  it('AWS4Auth and SigV4Auth read the service positionally or from a module constant; OpenSearch signers default to es', () => {
    const aws4auth = analyse('app.py', `import boto3\nimport requests\nfrom requests_aws4auth import AWS4Auth\n\nSERVICE = "appsync"\ncredentials = boto3.Session().get_credentials()\nawsauth = AWS4Auth(credentials.access_key, credentials.secret_key, "eu-west-1", SERVICE, session_token=credentials.token)\n\n\ndef handler(event, context):\n    return requests.post(event["url"], auth=awsauth, json={"query": "{ items { id } }"}).json()\n`);
    expect(aws4auth).toMatchObject({ status: 'complete', actions: ['appsync:GraphQL'] });
    const sigv4 = analyse('app.py', `import boto3\nfrom botocore.auth import SigV4Auth\nfrom botocore.awsrequest import AWSRequest\n\n\ndef handler(event, context):\n    request = AWSRequest(method="GET", url=event["url"])\n    SigV4Auth(boto3.Session().get_credentials(), "lambda", "eu-west-1").add_auth(request)\n    return dict(request.headers)\n`);
    expect(sigv4).toMatchObject({ status: 'complete', actions: ['lambda:InvokeFunctionUrl'] });
    const search = analyse('app.py', `import boto3\nfrom opensearchpy import OpenSearch, RequestsHttpConnection, AWSV4SignerAuth\n\nauth = AWSV4SignerAuth(boto3.Session().get_credentials(), "eu-west-1")\nclient = OpenSearch(hosts=[{"host": "search.example.com", "port": 443}], http_auth=auth, connection_class=RequestsHttpConnection)\n\n\ndef handler(event, context):\n    return client.search(index="movies", body={"query": {"match_all": {}}})\n`);
    expect(search).toMatchObject({ status: 'partial', unused: [] });
    expect(search.reason).toContain('signed HTTP call to es (AWSV4SignerAuth): the es:ESHttp* actions it needs depend on HTTP methods that are not statically known');
  });

  it('a signer whose service is not statically known makes the function partial, never complete (Python and JS)', () => {
    const python = analyse('app.py', `import os\nimport requests\nfrom aws_requests_auth.boto_utils import BotoAWSRequestsAuth\n\n\ndef handler(event, context):\n    auth = BotoAWSRequestsAuth(aws_host=event["host"], aws_region="eu-west-1", aws_service=os.environ["SERVICE"])\n    return requests.get(event["url"], auth=auth).status_code\n`);
    expect(python).toMatchObject({ status: 'partial', actions: [], unused: [] });
    expect(python.reason).toContain('src/app.py:7 signed HTTP call to <unknown> (BotoAWSRequestsAuth');
    const js = analyse('app.mjs', `import aws4 from 'aws4';\nexport const handler = async (event) => {\n  const request = aws4.sign({ host: event.host, path: '/items', service: event.service });\n  return fetch(\`https://\${request.host}\${request.path}\`, { headers: request.headers });\n};\n`);
    expect(js).toMatchObject({ status: 'partial', actions: [], unused: [] });
    expect(js.reason).toContain('src/app.mjs:3 signed HTTP call to <unknown> (aws4 sign');
  });

  it('a name bound twice in the file is not read as the service (no guess across scopes)', () => {
    const result = analyse('app.py', `import requests\nfrom requests_aws4auth import AWS4Auth\n\nSERVICE = "execute-api"\n\n\ndef sign(key, secret, SERVICE):\n    return AWS4Auth(key, secret, "eu-west-1", SERVICE)\n\n\ndef handler(event, context):\n    return requests.get(event["url"], auth=sign(event["k"], event["s"], "es")).status_code\n`);
    expect(result).toMatchObject({ status: 'partial', actions: [] });
    expect(result.reason).toContain('signed HTTP call to <unknown> (AWS4Auth');
  });

  it('aws4.sign reads its options object (declared or inline), the host when no service is given, and the method for OpenSearch', () => {
    const api = analyse('app.js', `const aws4 = require('aws4');\nconst https = require('https');\nexports.handler = async (event) => {\n  const opts = { host: process.env.API_HOST, path: '/prod/orders', service: 'execute-api', region: process.env.AWS_REGION };\n  aws4.sign(opts);\n  return new Promise((resolve) => https.get(opts, resolve));\n};\n`);
    expect(api).toMatchObject({ status: 'complete', actions: ['execute-api:Invoke'] });
    const search = analyse('app.mjs', `import { sign } from 'aws4';\nexport const handler = async (event) => {\n  const request = sign({ host: 'search-logs-abc123.eu-west-1.es.amazonaws.com', method: 'PUT', path: '/logs/_doc/1', body: JSON.stringify(event) });\n  return fetch(\`https://\${request.host}\${request.path}\`, { method: 'PUT', headers: request.headers, body: request.body });\n};\n`);
    expect(search).toMatchObject({ status: 'complete', actions: ['es:ESHttpPut'] });
  });

  it('SignatureV4 (@aws-sdk, @smithy) and aws4-axios name the service in their options', () => {
    const appsync = analyse('app.mjs', `import { SignatureV4 } from '@smithy/signature-v4';\nimport { Sha256 } from '@aws-crypto/sha256-js';\nimport { defaultProvider } from '@aws-sdk/credential-provider-node';\nconst signer = new SignatureV4({ service: 'appsync', region: process.env.AWS_REGION, credentials: defaultProvider(), sha256: Sha256 });\nexport const handler = async (event) => signer.sign({ method: 'POST', hostname: process.env.GRAPHQL_HOST, path: '/graphql', headers: {}, body: JSON.stringify(event) });\n`);
    expect(appsync).toMatchObject({ status: 'complete', actions: ['appsync:GraphQL'] });
    const axios = analyse('app.ts', `import axios from 'axios';\nimport { aws4Interceptor } from 'aws4-axios';\nconst client = axios.create();\nclient.interceptors.request.use(aws4Interceptor({ options: { region: 'eu-west-1', service: 'execute-api' } }));\nexport const handler = async () => (await client.get(process.env.API_URL!)).data;\n`);
    expect(axios).toMatchObject({ status: 'complete', actions: ['execute-api:Invoke'] });
  });
});

describe('the service a signed request goes to, read from its host name', () => {
  it('names the service before the region, OpenSearch after it, and nothing for a host outside AWS', async () => {
    const { serviceFromHost } = await import('../../server/src/engine/code/signed-http');
    expect(serviceFromHost('abc123.execute-api.us-east-1.amazonaws.com')).toBe('execute-api');
    expect(serviceFromHost('abc123.execute-api.us-east-1.amazonaws.com/prod/orders')).toBe('execute-api');
    expect(serviceFromHost('search-logs-x1.eu-west-1.es.amazonaws.com:443')).toBe('es');
    expect(serviceFromHost('abc.us-east-1.aoss.amazonaws.com')).toBe('aoss');
    expect(serviceFromHost('s3.amazonaws.com')).toBe('s3');
    expect(serviceFromHost('lambda.cn-north-1.amazonaws.com.cn')).toBe('lambda');
    expect(serviceFromHost('example.com')).toBeUndefined();
    expect(serviceFromHost('amazonaws.com')).toBeUndefined();
    // Hostile lengths cost one pass.
    expect(serviceFromHost(`${'a'.repeat(200_000)}.amazonaws.com`)).toBeUndefined();
  });
});
