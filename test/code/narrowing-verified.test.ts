/**
 * Narrowing fixes are proven before they are offered (code/verify-narrowing.ts) — and here proven again after they
 * are applied, by another evaluator: each fix is applied, the template re-linted, and the edited role's statements,
 * with every intrinsic replaced by the ARN CloudFormation would give, are put to `@cloud-copilot/iam-simulate` (AGPL,
 * a development-only oracle) for every call the code makes and every platform action. A fix the engine cannot prove
 * (a call on a table the code computes) is not offered, and the oracle shows what it would have broken.
 */
import { runSimulation } from '@cloud-copilot/iam-simulate';
import { describe, expect, it } from 'vitest';
import { rules } from '../../rules/index';
import { analyze, type Analysis } from '../../server/src/engine/analyze';
import { asIntrinsic, isMap, isSeq, literalString, type Node } from '../../server/src/engine/documents/node';
import { applyEdits } from '../../server/src/engine/fixes/edits';
import type { Finding } from '../../server/src/engine/rule';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { neededActions } from '../../server/src/engine/code/function-code';
import { isGranted } from '../../server/src/engine/code/grants';
import { verifyNarrowing } from '../../server/src/engine/code/verify-narrowing';
import { createSourceFiles } from '../../server/src/node/source-files';
import { inlineStatement, samFunctionTemplate } from '../helpers/sam-function';
import { policyAttachments } from '../../server/src/engine/iam/attachments';
import { iam } from '../helpers/engine';

const ACCOUNT = '123456789012';
const REGION = 'us-east-1';
/** What CloudFormation would name each resource of the templates below: Ref and the Arn attribute. */
const DEPLOYED: Record<string, { ref: string; arn: string }> = {
  Table: { ref: 'orders-table', arn: `arn:aws:dynamodb:${REGION}:${ACCOUNT}:table/orders-table` },
  Bucket: { ref: 'uploads-bucket', arn: 'arn:aws:s3:::uploads-bucket' },
  Queue: { ref: `https://sqs.${REGION}.amazonaws.com/${ACCOUNT}/orders-queue`, arn: `arn:aws:sqs:${REGION}:${ACCOUNT}:orders-queue` },
};
const PSEUDO: Record<string, string> = { 'AWS::Region': REGION, 'AWS::AccountId': ACCOUNT, 'AWS::Partition': 'aws' };
/** The resource each action is asked on: the deployed resource the call reaches, or what the platform acts on. */
const REQUEST_RESOURCE: Record<string, string> = {
  'dynamodb:GetItem': DEPLOYED.Table!.arn,
  's3:GetObject': `${DEPLOYED.Bucket!.arn}/in/report.csv`,
  'sqs:ReceiveMessage': DEPLOYED.Queue!.arn,
  'sqs:DeleteMessage': DEPLOYED.Queue!.arn,
  'sqs:GetQueueAttributes': DEPLOYED.Queue!.arn,
  'logs:CreateLogGroup': `arn:aws:logs:${REGION}:${ACCOUNT}:log-group:/aws/lambda/orders`,
  'logs:CreateLogStream': `arn:aws:logs:${REGION}:${ACCOUNT}:log-group:/aws/lambda/orders:log-stream:x`,
  'logs:PutLogEvents': `arn:aws:logs:${REGION}:${ACCOUNT}:log-group:/aws/lambda/orders:log-stream:x`,
  'xray:PutTraceSegments': '*',
  'xray:PutTelemetryRecords': '*',
};

/** A policy node as the JSON IAM receives once CloudFormation has resolved its intrinsics. */
function deployed(node: Node): unknown {
  const intrinsic = asIntrinsic(node);
  if (intrinsic?.fn === 'Ref') return DEPLOYED[literalString(intrinsic.arg)!]?.ref ?? PSEUDO[literalString(intrinsic.arg)!];
  if (intrinsic?.fn === 'Fn::GetAtt') {
    const [id] = isSeq(intrinsic.arg) ? intrinsic.arg.items.map((i) => literalString(i)!) : literalString(intrinsic.arg)!.split('.');
    return DEPLOYED[id!]!.arn;
  }
  if (intrinsic?.fn === 'Fn::Sub') {
    return String((intrinsic.arg as { value: unknown }).value).replace(/\$\{([^}]+)\}/g, (_, name: string) => (name.endsWith('.Arn') ? DEPLOYED[name.slice(0, -4)]!.arn : (PSEUDO[name] ?? DEPLOYED[name]!.ref)));
  }
  if (isMap(node)) return Object.fromEntries(node.entries.map((e) => [String(e.key.value), deployed(e.value)]));
  if (isSeq(node)) return node.items.map(deployed);
  return node.value;
}

async function oracleAllows(analysis: Analysis, action: string, sam = true): Promise<string> {
  const [fn] = analysis.functions();
  // SAM also attaches AWSLambdaBasicExecutionRole to the role it creates (its logs statement, as published).
  const basic = { Effect: 'Allow', Action: ['logs:CreateLogGroup', 'logs:CreateLogStream', 'logs:PutLogEvents'], Resource: '*' };
  const statements = [...fn!.grants.statements, ...fn!.grants.denies].map((s) => deployed(s.node)).concat(sam ? [basic] : []);
  const response = await runSimulation(
    {
      identityPolicies: [{ name: 'role', policy: { Version: '2012-10-17', Statement: statements } }],
      serviceControlPolicies: [],
      resourceControlPolicies: [],
      request: { action, principal: `arn:aws:iam::${ACCOUNT}:role/orders-role`, resource: { resource: REQUEST_RESOURCE[action]!, accountId: ACCOUNT }, contextVariables: {} },
    },
    {},
  );
  return response.resultType === 'single' ? response.overallResult : `error: ${JSON.stringify(response)}`;
}

const lint = (text: string) => analyze({ text }, { rules, iam });

function template(code: string, statement: string[], extra: string[] = []): string {
  const resources = ['Table:', '  Type: AWS::DynamoDB::Table', 'Bucket:', '  Type: AWS::S3::Bucket', 'Queue:', '  Type: AWS::SQS::Queue'];
  return samFunctionTemplate({ resources, name: 'Orders', code, environment: ['TABLE: !Ref Table', 'BUCKET: !Ref Bucket'], properties: extra, policies: inlineStatement(statement) }) + '\n';
}

const READS = [
  'import boto3, os',
  "table = boto3.resource('dynamodb').Table(os.environ['TABLE'])",
  "s3 = boto3.client('s3')",
  'def handler(event, context):',
  "    s3.get_object(Bucket=os.environ['BUCKET'], Key=event['key'])",
  "    return table.get_item(Key={'id': event['id']}).get('Item')",
].join('\n');
const SQS_AND_TRACING = ['Tracing: Active', 'Events:', '  Orders:', '    Type: SQS', '    Properties:', '      Queue: !GetAtt Queue.Arn'];
const PLATFORM = ['sqs:ReceiveMessage', 'sqs:DeleteMessage', 'sqs:GetQueueAttributes', 'logs:CreateLogGroup', 'logs:CreateLogStream', 'logs:PutLogEvents', 'xray:PutTraceSegments', 'xray:PutTelemetryRecords'];

function applied(text: string, ruleId: string, title: RegExp): { fixed: string; finding: Finding } {
  const finding = lint(text).findings.find((f) => f.ruleId === ruleId && f.fixes.some((x) => title.test(x.title)));
  expect(finding, `${ruleId} offers a fix matching ${title}: ${JSON.stringify(lint(text).findings.filter((f) => f.ruleId === ruleId).map((f) => f.fixes.map((x) => x.title)))}`).toBeDefined();
  const fix = finding!.fixes.find((x) => title.test(x.title))!;
  return { fixed: applyEdits(text, fix.edits), finding: finding! };
}

describe('narrowing fixes, verified by the engine and re-verified by iam-simulate', () => {
  it('SLS171 narrows a role to the code and platform actions; every one stays allowed', async () => {
    const text = template(READS, ['Action: [dynamodb:*, s3:*, sqs:*, logs:*, xray:*]', "Resource: '*'"], SQS_AND_TRACING);
    const { fixed } = applied(text, 'SLS171', /^Narrow to the 2 actions Orders's code uses \(keeps 8 platform actions\)$/);
    const after = lint(fixed);
    expect(after.findings.filter((f) => ['SLS171', 'SLS170', 'SLS901'].includes(f.ruleId))).toEqual([]);
    // Without SAM's managed logs policy, so the statement the fix edited must grant the logs actions itself.
    for (const action of ['dynamodb:GetItem', 's3:GetObject', ...PLATFORM]) expect(await oracleAllows(after, action, false), action).toBe('Allowed');
    // The oracle is not blind: what the fix removed is denied now.
    REQUEST_RESOURCE['dynamodb:DeleteTable'] = DEPLOYED.Table!.arn;
    expect(await oracleAllows(after, 'dynamodb:DeleteTable')).toBe('ImplicitlyDenied');
  });

  it('SLS171 also narrows Resource: "*" to the resources the calls reach', async () => {
    const text = template(READS, ['Action: [dynamodb:*, s3:GetObject]', "Resource: '*'"]);
    const { fixed } = applied(text, 'SLS171', /^Narrow to the 2 actions Orders's code uses$/);
    expect(fixed).toContain('!GetAtt Table.Arn');
    const after = lint(fixed);
    expect(after.findings.filter((f) => ['SLS171', 'SLS170', 'SLS901'].includes(f.ruleId))).toEqual([]);
    for (const action of ['dynamodb:GetItem', 's3:GetObject', 'logs:CreateLogGroup']) expect(await oracleAllows(after, action), action).toBe('Allowed');
  });

  it("SLS101's narrowing to the code's actions keeps the platform's and says so", async () => {
    const text = template(READS, ['Action: [dynamodb:GetItem, s3:GetObject, sqs:*, logs:*]', "Resource: '*'"], ['Events:', '  Orders:', '    Type: SQS', '    Properties:', '      Queue: !GetAtt Queue.Arn']);
    const { fixed } = applied(text, 'SLS101', /^Narrow `sqs:\*` to the 3 actions Orders needs \(keeps 3 platform actions\)$/);
    const after = lint(fixed);
    for (const action of ['dynamodb:GetItem', 's3:GetObject', 'sqs:ReceiveMessage', 'sqs:DeleteMessage', 'sqs:GetQueueAttributes']) expect(await oracleAllows(after, action), action).toBe('Allowed');
  });

  it('SLS102 limits Resource to the table the code reaches through its environment', async () => {
    const text = template(READS, ['Action: dynamodb:GetItem', "Resource: '*'"]);
    const { fixed } = applied(text, 'SLS102', /^Limit the statement to Table\.Arn$/);
    const after = lint(fixed);
    expect(after.findings.filter((f) => ['SLS102', 'SLS901'].includes(f.ruleId))).toEqual([]);
    expect(await oracleAllows(after, 'dynamodb:GetItem')).toBe('Allowed');
  });

  it('SLS102 offers no fix when the code also reads a table it computes: the narrowed role would deny that call', async () => {
    const computed = [
      'import boto3, os',
      "table = boto3.resource('dynamodb').Table(os.environ['TABLE'])",
      'def handler(event, context):',
      "    audit = boto3.client('dynamodb').get_item(TableName=event['tenant'] + '-audit', Key={})",
      "    return table.get_item(Key={'id': event['id']}).get('Item')",
    ].join('\n');
    const text = template(computed, ['Action: dynamodb:GetItem', "Resource: '*'"]);
    const analysis = lint(text);
    expect(analysis.functions()[0]!.code.status).toBe('complete');
    const finding = analysis.findings.find((f) => f.ruleId === 'SLS102');
    expect(finding?.message).toContain('every resource');
    expect(finding!.fixes).toEqual([]);
    // What the fix would have written, asked of the oracle for the tenant's audit table: denied.
    const wouldBe = lint(text.replace("Resource: '*'", 'Resource: !GetAtt Table.Arn'));
    REQUEST_RESOURCE['dynamodb:GetItem'] = `arn:aws:dynamodb:${REGION}:${ACCOUNT}:table/acme-audit`;
    try {
      expect(await oracleAllows(wouldBe, 'dynamodb:GetItem')).toBe('ImplicitlyDenied');
    } finally {
      REQUEST_RESOURCE['dynamodb:GetItem'] = DEPLOYED.Table!.arn;
    }
  });
});

describe('no narrowing is offered for a function whose code is partial (nothing proves what it calls)', () => {
  // The same reads, plus a call whose operation is not statically known: the function is partial.
  const partial = `${READS}\n    getattr(s3, event['op'])(Bucket=os.environ['BUCKET'])`;

  it('SLS101 keeps its finding and offers no fix, where the complete code gets the verified ones', () => {
    const statement = ['Action: [dynamodb:GetItem, s3:*]', "Resource: '*'"];
    const complete = lint(template(READS, statement)).findings.find((f) => f.ruleId === 'SLS101');
    expect(complete!.fixes.map((f) => f.title)).toContain("Narrow `s3:*` to the 1 action Orders's code uses");
    const analysis = lint(template(partial, statement));
    expect(analysis.functions()[0]!.code.status).toBe('partial');
    const finding = analysis.findings.find((f) => f.ruleId === 'SLS101');
    expect(finding?.message).toContain('every s3 action');
    expect(finding!.fixes).toEqual([]);
  });

  it('SLS102 keeps its finding and offers no fix, where the complete code gets "Limit the statement to Table.Arn"', () => {
    const statement = ['Action: dynamodb:GetItem', "Resource: '*'"];
    expect(lint(template(READS, statement)).findings.find((f) => f.ruleId === 'SLS102')!.fixes.map((f) => f.title)).toEqual(['Limit the statement to Table.Arn']);
    const finding = lint(template(partial, statement)).findings.find((f) => f.ruleId === 'SLS102');
    expect(finding?.message).toContain('every resource');
    expect(finding!.fixes).toEqual([]);
  });
});

describe('a permissions boundary in the proof of a narrowing (allowed = identity ∩ boundary)', () => {
  // The code reads the template's table and drops a table it computes: limiting Resource to the table would deny
  // the drop, so SLS102 offers nothing — unless the role's boundary already denies dynamodb:DeleteTable everywhere.
  const code = [
    'import boto3, os',
    "table = boto3.resource('dynamodb').Table(os.environ['TABLE'])",
    'def handler(event, context):',
    "    boto3.client('dynamodb').delete_table(TableName=event['tenant'] + '-scratch')",
    "    return table.get_item(Key={'id': event['id']}).get('Item')",
  ].join('\n');
  const statement = ['Action: [dynamodb:GetItem, dynamodb:DeleteTable]', "Resource: '*'"];
  const boundary = (actions: string) => [
    '  Boundary:',
    '    Type: AWS::IAM::ManagedPolicy',
    '    Properties:',
    '      PolicyDocument:',
    '        Statement:',
    `          - {Effect: Allow, Action: [${actions}], Resource: '*'}`,
  ];
  const withBoundary = (value: string, extra: string[] = []) => template(code, statement, [`PermissionsBoundary: ${value}`]).replace('Resources:\n', `Resources:\n${extra.join('\n')}\n`);
  const ofOrders = (f: Finding) => f.ruleId === 'SLS102' && f.message.includes('Orders Policies[0]');
  const limit = (text: string) => lint(text).findings.find(ofOrders);

  it('without a boundary: no fix (the computed table would lose DeleteTable)', () => {
    expect(limit(template(code, statement))!.fixes).toEqual([]);
  });

  it('with a boundary that allows no DeleteTable: the drop fails today, so the fix breaks nothing; re-lint reports the same call', () => {
    const text = withBoundary('!Ref Boundary', boundary('dynamodb:GetItem, logs:*'));
    const analysis = lint(text);
    const denied = analysis.findings.filter((f) => f.ruleId === 'SLS170');
    expect(denied.map((f) => f.message)).toEqual([expect.stringContaining("calls dynamodb:DeleteTable (<inline>:4) but its role's permissions boundary Boundary does not allow it")]);
    const finding = analysis.findings.find(ofOrders)!;
    expect(finding.fixes.map((f) => f.title)).toEqual(['Limit the statement to Table.Arn']);
    const after = lint(applyEdits(text, finding.fixes[0]!.edits));
    expect(after.findings.filter(ofOrders)).toEqual([]);
    expect(after.findings.filter((f) => f.ruleId === 'SLS170').map((f) => f.message)).toEqual(denied.map((f) => f.message));
  });

  it('with a boundary that allows DeleteTable, or one that cannot be read: no fix (the boundary takes nothing away that the fix could rely on)', () => {
    expect(limit(withBoundary('!Ref Boundary', boundary('dynamodb:*, logs:*')))!.fixes).toEqual([]);
    expect(limit(withBoundary("arn:aws:iam::123456789012:policy/team-boundary"))!.fixes).toEqual([]);
  });
});

describe('verifyNarrowing on the code fixtures', () => {
  // Every realistic app of test/code/fixtures: an edit that changes nothing is proven; emptying a statement's
  // actions is not, whenever that statement alone grants something the function needs.
  const root = resolve('test/code/fixtures');
  const templates = readdirSync(root).flatMap((d) => ['template.yaml', 'template.yml', 'serverless.yml'].map((t) => join(root, d, t)).filter((f) => existsSync(f)));

  it('holds on every fixture', () => {
    let checked = 0;
    let refused = 0;
    for (const file of templates) {
      const dir = resolve(file, '..');
      const analysis = analyze({ text: readFileSync(file, 'utf8') }, { rules: [], iam, sources: createSourceFiles(file, [dir]) });
      for (const fn of analysis.functions()) {
        if (fn.code.status !== 'complete') continue;
        for (const statement of fn.grants.own) {
          const same = verifyNarrowing(fn.code, fn.grants, { statement }, analysis.model?.template, iam, analysis.model?.serverless?.provider);
          expect(same.proven, `${file} ${fn.code.location.name}: ${same.failures.join('; ')}`).toBe(true);
          checked++;
          const others = fn.grants.statements.filter((s) => s !== statement);
          const onlyHere = neededActions(fn.code).filter((a) => isGranted(a, [statement]) && !isGranted(a, others, fn.grants.expanded));
          if (onlyHere.length === 0 || statement.condition !== undefined) continue;
          const emptied = verifyNarrowing(fn.code, fn.grants, { statement, action: [] }, analysis.model?.template, iam, analysis.model?.serverless?.provider);
          expect(emptied.proven, `${file} ${fn.code.location.name} without ${onlyHere.join(', ')}`).toBe(false);
          refused++;
        }
      }
    }
    expect(checked).toBeGreaterThan(5);
    expect(refused).toBeGreaterThan(3);
  });
});

/** A SAM policy template's statements as IAM receives them once SAM and CloudFormation have filled its parameters. */
function deployedTemplate(name: string, parameters: Record<string, string>): unknown[] {
  const fill = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(fill);
    if (typeof value !== 'object' || value === null) return value;
    const map = value as Record<string, unknown>;
    if (typeof map.Ref === 'string') return parameters[map.Ref] ?? PSEUDO[map.Ref];
    if ('Fn::Sub' in map) {
      const [text, vars] = (Array.isArray(map['Fn::Sub']) ? map['Fn::Sub'] : [map['Fn::Sub'], {}]) as [string, Record<string, unknown>];
      return text.replace(/\$\{([^}]+)\}/g, (_, v: string) => String(vars[v] !== undefined ? fill(vars[v]) : (PSEUDO[v] ?? parameters[v])));
    }
    return Object.fromEntries(Object.entries(map).map(([k, v]) => [k, fill(v)]));
  };
  return iam!.samTemplate(name)!.statements.map(fill);
}

/** The SAM templates the analysed function names, deployed with `parameters`, put to iam-simulate for one request. */
async function templateOracle(analysis: Analysis, parameters: Record<string, string>, action: string, resource: string): Promise<string> {
  const written = policyAttachments(analysis.model).filter((a) => a.kind === 'sam-template').map((a) => a.name);
  const statements = written.flatMap((name) => deployedTemplate(name, parameters));
  const response = await runSimulation(
    {
      identityPolicies: [{ name: 'role', policy: { Version: '2012-10-17', Statement: statements } }],
      serviceControlPolicies: [],
      resourceControlPolicies: [],
      request: { action, principal: `arn:aws:iam::${ACCOUNT}:role/orders-role`, resource: { resource, accountId: ACCOUNT }, contextVariables: {} },
    },
    {},
  );
  return response.resultType === 'single' ? response.overallResult : `error: ${JSON.stringify(response)}`;
}

function samApp(code: string, policy: string[], resources: string[]): string {
  return samFunctionTemplate({ resources, name: 'Orders', code, environment: ['BUCKET: !Ref Bucket'], policies: policy }) + '\n';
}

describe('SAM template narrowing (SLS141), verified by the engine and re-verified by iam-simulate', () => {
  const BUCKET = ['Bucket:', '  Type: AWS::S3::Bucket', '  Properties:', '    OwnershipControls: {Rules: [{ObjectOwnership: ObjectWriter}]}'];
  const object = `${DEPLOYED.Bucket!.arn}/in/report.csv`;

  it('S3CrudPolicy on a function that only reads becomes S3ReadPolicy: reads stay allowed, object ACL writes do not', async () => {
    const code = ['import boto3, os', "s3 = boto3.client('s3')", 'def handler(event, context):', "    return s3.get_object(Bucket=os.environ['BUCKET'], Key=event['key'])"].join('\n');
    const text = samApp(code, ['- S3CrudPolicy:', '    BucketName: !Ref Bucket'], BUCKET);
    const before = lint(text);
    const parameters = { BucketName: DEPLOYED.Bucket!.ref };
    expect(await templateOracle(before, parameters, 's3:PutObjectAcl', object)).toBe('Allowed');
    const { fixed } = applied(text, 'SLS141', /^Use S3ReadPolicy, the smallest SAM template that covers Orders's calls$/);
    const after = lint(fixed);
    expect(after.findings.filter((f) => ['SLS141', 'SLS170', 'SLS171', 'SLS901'].includes(f.ruleId))).toEqual([]);
    expect(await templateOracle(after, parameters, 's3:GetObject', object)).toBe('Allowed');
    expect(await templateOracle(after, parameters, 's3:PutObjectAcl', object)).toBe('ImplicitlyDenied');
    expect(await templateOracle(after, parameters, 's3:DeleteObject', object)).toBe('ImplicitlyDenied');
  });

  it('S3FullAccessPolicy on a function that lists the bucket becomes S3ReadPolicy, which allows ListBucket on the bucket', async () => {
    const code = ['import boto3, os', "s3 = boto3.client('s3')", 'def handler(event, context):', "    return s3.list_objects_v2(Bucket=os.environ['BUCKET'])"].join('\n');
    const text = samApp(code, ['- S3FullAccessPolicy:', '    BucketName: !Ref Bucket'], BUCKET);
    const { fixed } = applied(text, 'SLS141', /^Use S3ReadPolicy/);
    const after = lint(fixed);
    expect(after.findings.filter((f) => ['SLS141', 'SLS170', 'SLS901'].includes(f.ruleId))).toEqual([]);
    expect(await templateOracle(after, { BucketName: DEPLOYED.Bucket!.ref }, 's3:ListBucket', DEPLOYED.Bucket!.arn)).toBe('Allowed');
  });

  it('SNSCrudPolicy is not narrowed to SNSPublishMessagePolicy when the code publishes to a topic it computes', async () => {
    // SNSCrudPolicy grants `topicName*`: every topic whose name starts with the parameter; the smaller template only the topic.
    const code = ['import boto3', "sns = boto3.client('sns')", 'def handler(event, context):', "    sns.publish(TopicArn=event['topic'], Message='x')"].join('\n');
    const text = samApp(code, ['- SNSCrudPolicy:', '    TopicName: !GetAtt Topic.TopicName'], ['Bucket:', '  Type: AWS::S3::Bucket', 'Topic:', '  Type: AWS::SNS::Topic']);
    const analysis = lint(text);
    expect(analysis.functions()[0]!.code.status).toBe('complete');
    const finding = analysis.findings.find((f) => f.ruleId === 'SLS141');
    expect(finding?.message).toContain('sns:SetTopicAttributes');
    expect(finding!.fixes).toEqual([]);
    // What the swap would lose, asked of the oracle: a topic the prefix reaches.
    const archive = `arn:aws:sns:${REGION}:${ACCOUNT}:alerts-archive`;
    expect(await templateOracle(analysis, { TopicName: 'alerts' }, 'sns:Publish', archive)).toBe('Allowed');
    const swapped = lint(text.replace('SNSCrudPolicy', 'SNSPublishMessagePolicy'));
    expect(await templateOracle(swapped, { TopicName: 'alerts' }, 'sns:Publish', archive)).toBe('ImplicitlyDenied');
  });

  it('SNSCrudPolicy becomes SNSPublishMessagePolicy when the code publishes to the template topic', async () => {
    const code = ['import boto3, os', "sns = boto3.client('sns')", 'def handler(event, context):', "    sns.publish(TopicArn=os.environ['TOPIC'], Message='x')"].join('\n');
    const text = samApp(code, ['- SNSCrudPolicy:', '    TopicName: !GetAtt Topic.TopicName'], ['Bucket:', '  Type: AWS::S3::Bucket', 'Topic:', '  Type: AWS::SNS::Topic']).replace('          BUCKET: !Ref Bucket', '          BUCKET: !Ref Bucket\n          TOPIC: !Ref Topic');
    const { fixed } = applied(text, 'SLS141', /^Use SNSPublishMessagePolicy/);
    const after = lint(fixed);
    const topic = `arn:aws:sns:${REGION}:${ACCOUNT}:alerts`;
    expect(await templateOracle(after, { TopicName: 'alerts' }, 'sns:Publish', topic)).toBe('Allowed');
    expect(await templateOracle(after, { TopicName: 'alerts' }, 'sns:SetTopicAttributes', topic)).toBe('ImplicitlyDenied');
  });
});

describe('SAM template narrowing (SLS171), verified by the engine and re-verified by iam-simulate', () => {
  it('DynamoDBCrudPolicy on a function that only reads becomes DynamoDBReadPolicy: reads stay allowed, writes do not', async () => {
    const code = ['import boto3, os', "table = boto3.resource('dynamodb').Table(os.environ['TABLE'])", 'def handler(event, context):', "    return table.query(KeyConditionExpression='pk = :p')"].join('\n');
    const text = samApp(code, ['- DynamoDBCrudPolicy:', '    TableName: !Ref Table'], ['Bucket:', '  Type: AWS::S3::Bucket', 'Table:', '  Type: AWS::DynamoDB::Table']).replace('          BUCKET: !Ref Bucket', '          TABLE: !Ref Table');
    const parameters = { TableName: DEPLOYED.Table!.ref };
    const { fixed } = applied(text, 'SLS171', /^Use DynamoDBReadPolicy, the smallest SAM template that covers Orders's calls$/);
    const after = lint(fixed);
    expect(after.findings.filter((f) => ['SLS171', 'SLS170', 'SLS901'].includes(f.ruleId))).toEqual([]);
    expect(await templateOracle(after, parameters, 'dynamodb:Query', DEPLOYED.Table!.arn)).toBe('Allowed');
    expect(await templateOracle(after, parameters, 'dynamodb:Query', `${DEPLOYED.Table!.arn}/index/by-date`)).toBe('Allowed');
    expect(await templateOracle(lint(text), parameters, 'dynamodb:DeleteItem', DEPLOYED.Table!.arn)).toBe('Allowed');
    expect(await templateOracle(after, parameters, 'dynamodb:DeleteItem', DEPLOYED.Table!.arn)).toBe('ImplicitlyDenied');
  });
});
