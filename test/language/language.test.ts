import { describe, expect, it } from 'vitest';
import { analyze } from '../../server/src/engine/analyze';
import { completeAt } from '../../server/src/engine/language/completion';
import { hoverAt } from '../../server/src/engine/language/hover';
import { effectivePermissionsAt } from '../../server/src/engine/language/permissions';
import { iam } from '../helpers/engine';

const data = iam!;

/** Inline input with a `$0` caret → analysis and offset. */
function at(input: string) {
  const offset = input.indexOf('$0');
  if (offset < 0) throw new Error('no $0 caret');
  const text = input.slice(0, offset) + input.slice(offset + 2);
  return { analysis: analyze({ text }, { rules: [], iam: data }), offset, text };
}

function hover(input: string) {
  const { analysis, offset, text } = at(input);
  const result = hoverAt(analysis, offset, data);
  return result && { ...result, covered: text.slice(result.span.start, result.span.end) };
}

function complete(input: string) {
  const { analysis, offset, text } = at(input);
  const result = completeAt(analysis, offset, data);
  return result && { ...result, replaced: text.slice(result.span.start, result.span.end) };
}

const SAM = (policies: string) => `Transform: AWS::Serverless-2016-10-31
Resources:
  OrdersTable:
    Type: AWS::DynamoDB::Table
  OrdersFunction:
    Type: AWS::Serverless::Function
    Properties:
      Handler: index.handler
      Runtime: nodejs20.x
      Policies:
${policies}`;

describe('hover on actions', () => {
  const getItem = data.action('dynamodb', 'GetItem')!;

  it('documents an action in a SAM inline statement (any case)', () => {
    const result = hover(SAM(`        - Statement:
            - Effect: Allow
              Action: dynamodb:get$0item
              Resource: !GetAtt OrdersTable.Arn`));
    expect(result?.covered).toBe('dynamodb:getitem');
    expect(result?.markdown).toContain(`Access level: **${getItem.accessLevel}**`);
    expect(result?.markdown).toContain(getItem.description);
    expect(result?.markdown).toContain(data.service('dynamodb')!.name);
    const table = data.service('dynamodb')!.resourceTypes.find((r) => r.name === getItem.resourceTypes[0]!.name)!;
    expect(result?.markdown).toContain(table.arn);
    for (const key of getItem.conditionKeys) expect(result?.markdown).toContain(key);
    expect(result?.markdown).toContain('https://docs.aws.amazon.com/service-authorization/');
  });

  it('documents NotAction items in a JSON policy and Serverless statements', () => {
    const json = hover(`{"Version": "2012-10-17", "Statement": [{"Effect": "Deny", "NotAction": ["s3:GetOb$0ject"], "Resource": "*"}]}`);
    expect(json?.covered).toBe('"s3:GetObject"');
    expect(json?.markdown).toContain(data.action('s3', 'GetObject')!.description);

    const sls = hover(`service: orders
provider:
  name: aws
  iam:
    role:
      statements:
        - Effect: Allow
          Action: [sqs:SendMessage, sqs:Receive$0Message]
          Resource: '*'
functions:
  hello:
    handler: handler.hello
`);
    expect(sls?.covered).toBe('sqs:ReceiveMessage');
    expect(sls?.markdown).toContain(`Access level: **${data.action('sqs', 'ReceiveMessage')!.accessLevel}**`);
  });

  it('says so for actions without resource-level permissions and for unknown actions', () => {
    const xray = hover(`{"Statement": [{"Effect": "Allow", "Action": "xray:PutTrace$0Segments", "Resource": "*"}]}`);
    expect(data.action('xray', 'PutTraceSegments')!.resourceTypes).toHaveLength(0);
    expect(xray?.markdown).toContain('No resource-level permissions');
    const unknown = hover(`{"Statement": [{"Effect": "Allow", "Action": "dynamodb:GetIt$0ems", "Resource": "*"}]}`);
    expect(unknown?.markdown).toContain('not an action of');
  });

  it('counts a wildcard by access level and lists its Write and Permissions management actions', () => {
    const result = hover(`{"Statement": [{"Effect": "Allow", "Action": "dynamodb:*$0", "Resource": "*"}]}`)!;
    const all = data.matchActions('dynamodb:*')!;
    expect(result.markdown).toContain(`matches ${all.length} of ${all.length} actions`);
    for (const level of ['Read', 'Write', 'Permissions management'] as const) {
      const count = all.filter((a) => a.accessLevel === level).length;
      expect(count).toBeGreaterThan(0);
      expect(result.markdown).toContain(`${level} ${count}`);
    }
    const permissions = all.filter((a) => a.accessLevel === 'Permissions management').map((a) => a.name);
    for (const name of permissions) expect(result.markdown).toContain(`\`${name}\``);
    const write = all.filter((a) => a.accessLevel === 'Write').length;
    expect(result.markdown).toContain(`… ${write - 15} more`);

    const partial = hover(`{"Statement": [{"Effect": "Allow", "Action": "s3:Put$0*", "Resource": "*"}]}`)!;
    expect(partial.markdown).toContain(`matches ${data.matchActions('s3:Put*')!.length} of ${data.service('s3')!.actions.length}`);
  });
});

describe('hover on condition keys', () => {
  it('documents service and global keys with their types', () => {
    const text = `{"Statement": [{"Effect": "Allow", "Action": "dynamodb:GetItem", "Resource": "*",
      "Condition": {"ForAllValues:StringEquals": {"dynamodb:Leading$0Keys": ["x"]}, "Bool": {"aws:SecureTransport": "true"}}}]}`;
    const key = data.service('dynamodb')!.conditionKeys.find((k) => k.key === 'dynamodb:LeadingKeys')!;
    const result = hover(text)!;
    expect(result.covered).toBe('"dynamodb:LeadingKeys"');
    expect(result.markdown).toContain(key.description);
    expect(result.markdown).toContain(key.type);
    const global = hover(text.replace('$0', '').replace('aws:SecureTransport', 'aws:Secure$0Transport'))!;
    expect(global.markdown).toContain('Bool');
  });

  it('matches tag-key patterns in YAML', () => {
    const result = hover(SAM(`        - Statement:
            - Effect: Allow
              Action: s3:GetObject
              Resource: '*'
              Condition:
                StringEquals:
                  aws:ResourceTag/te$0am: orders`))!;
    expect(result.markdown).toContain('aws:ResourceTag/${TagKey}');
  });
});

describe('hover on managed policies and SAM policy templates', () => {
  it('summarises what a managed policy grants, by name or ARN', () => {
    const basic = data.managedPolicy('AWSLambdaBasicExecutionRole')!;
    const result = hover(SAM(`        - AWSLambdaBasic$0ExecutionRole`))!;
    expect(result.covered).toBe('AWSLambdaBasicExecutionRole');
    expect(result.markdown).toContain(basic.arn);
    for (const action of basic.statements.flatMap((s) => s.action ?? [])) {
      const [service, name] = action.split(':');
      expect(result.markdown).toContain(`\`${name}\``);
      expect(result.markdown).toContain(data.service(service!)!.name);
    }
    const arn = hover(`AWSTemplateFormatVersion: '2010-09-09'
Resources:
  Role:
    Type: AWS::IAM::Role
    Properties:
      ManagedPolicyArns:
        - !Sub 'arn:\${AWS::Partition}:iam::aws:policy/Administrator$0Access'
`)!;
    expect(arn.markdown).toContain('Every action of every AWS service');
  });

  it('expands a SAM policy template with its parameters filled in', () => {
    const template = data.samTemplate('DynamoDBReadPolicy')!;
    const result = hover(SAM(`        - DynamoDBRead$0Policy:
            TableName: !Ref OrdersTable`))!;
    expect(result.covered).toBe('DynamoDBReadPolicy');
    expect(result.markdown).toContain(template.description);
    expect(result.markdown).toContain('table/${OrdersTable}');
    for (const action of template.statements.flatMap((s) => (Array.isArray(s.Action) ? s.Action : [s.Action]))) {
      expect(result.markdown).toContain(String(action));
    }
    const missing = hover(SAM(`        - SQSPoller$0Policy: {}`))!;
    expect(missing.markdown).toContain('Missing parameter: `QueueName`');
  });
});

describe('alarms in the function hover', () => {
  it('lists the CloudWatch alarms whose dimensions reference the function', () => {
    const result = hover(`Transform: AWS::Serverless-2016-10-31
Resources:
  Orders$0Function:
    Type: AWS::Serverless::Function
    Properties:
      Handler: index.handler
      Runtime: nodejs22.x
  OrdersErrors:
    Type: AWS::CloudWatch::Alarm
    Properties:
      Namespace: AWS/Lambda
      MetricName: Errors
      Dimensions: [{ Name: FunctionName, Value: !Ref OrdersFunction }]
  OtherThrottles:
    Type: AWS::CloudWatch::Alarm
    Properties:
      Namespace: AWS/Lambda
      MetricName: Throttles
      Dimensions: [{ Name: FunctionName, Value: !Ref Other }]
  Other:
    Type: AWS::Serverless::Function
    Properties: { Handler: index.handler, Runtime: nodejs22.x }
`);
    expect(result?.markdown).toContain('**Alarms watching it:** `OrdersErrors` (Errors)');
    expect(result?.markdown).not.toContain('OtherThrottles');
  });

  it('says when no alarm of the document watches a Serverless function', () => {
    const result = hover(`service: s
provider: { name: aws, runtime: nodejs22.x }
functions:
  cre$0ate:
    handler: handler.create
`);
    expect(result?.markdown).toContain('**Alarms:** no CloudWatch alarm of this document watches it.');
  });
});

describe('effective permissions', () => {
  it('unites inline statements, managed policies and SAM templates of a SAM function', () => {
    const input = SAM(`        - AWSLambdaBasicExecutionRole
        - DynamoDBReadPolicy: {TableName: !Ref OrdersTable}
        - Statement:
            - Effect: Allow
              Action: sqs:SendMessage
              Resource: '*'
        - !Ref SomePolicyArn`).replace('  OrdersFunction:', '  Orders$0Function:');
    const { analysis, offset } = at(input);
    const result = effectivePermissionsAt(analysis, offset, data)!;
    expect(result.functionName).toBe('OrdersFunction');
    expect(result.markdown).toContain('`PutLogEvents`');
    expect(result.markdown).toContain('`SendMessage`');
    const reads = data.samTemplate('DynamoDBReadPolicy')!.statements.flatMap((s) => (Array.isArray(s.Action) ? s.Action : [s.Action])).map(String);
    for (const action of reads) expect(result.markdown).toContain(`\`${action.split(':')[1]}\``);
    expect(result.markdown).toContain('managed policy AWSLambdaBasicExecutionRole');
    expect(result.markdown).toContain('Not included');
    expect(result.markdown).toContain('!Ref SomePolicyArn');
    // The same text on hover over the function's logical id, after the alarms that watch it.
    expect(hover(input)?.markdown).toBe(`**Alarms:** no CloudWatch alarm of this document watches it.\n\n${result.markdown}`);
  });

  it('follows a CloudFormation function to its role and the role\'s managed policies', () => {
    const { analysis, offset } = at(`AWSTemplateFormatVersion: '2010-09-09'
Resources:
  Role:
    Type: AWS::IAM::Role
    Properties:
      ManagedPolicyArns: [arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess]
      Policies:
        - PolicyName: inline
          PolicyDocument:
            Statement:
              - Effect: Allow
                Action: sns:Publish
                Resource: '*'
  Fn:
    Type: AWS::Lambda::Function
    Properties:
      Handler: index.handler$0
      Role: !GetAtt Role.Arn
`);
    const result = effectivePermissionsAt(analysis, offset, data)!;
    expect(result.functionName).toBe('Fn');
    expect(result.markdown).toContain('`Publish`');
    expect(result.markdown).toContain('managed policy AmazonS3ReadOnlyAccess');
    expect(result.markdown).toContain('`GetObject`');
  });

  it('includes Serverless provider statements and managed policies on hover over the function name', () => {
    const result = hover(`service: orders
provider:
  name: aws
  iam:
    role:
      managedPolicies: [arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]
      statements:
        - Effect: Allow
          Action: dynamodb:*
          Resource: '*'
functions:
  hel$0lo:
    handler: handler.hello
`)!;
    expect(result.covered).toBe('hello');
    const dynamo = data.matchActions('dynamodb:*')!;
    const write = dynamo.filter((a) => a.accessLevel === 'Write').length;
    expect(result.markdown).toContain(`Write ${write}`);
    expect(result.markdown).toContain('`PutLogEvents`');
  });
});

describe('completion', () => {
  it('offers service prefixes, then actions with their access level (YAML block)', () => {
    const services = complete(SAM(`        - Statement:
            - Effect: Allow
              Action: dyna$0
              Resource: '*'`))!;
    expect(services.replaced).toBe('dyna');
    expect(services.entries.map((e) => e.label)).toContain('dynamodb');
    expect(services.entries.every((e) => e.label.startsWith('dyna'))).toBe(true);
    expect(services.entries.find((e) => e.label === 'dynamodb')?.insertText).toBe('dynamodb:');

    const actions = complete(SAM(`        - Statement:
            - Effect: Allow
              Action:
                - dynamodb:GetItem
                - dynamodb:Qu$0
              Resource: '*'`))!;
    expect(actions.replaced).toBe('dynamodb:Qu');
    expect(actions.entries).toHaveLength(data.service('dynamodb')!.actions.length);
    const query = actions.entries.find((e) => e.label === 'dynamodb:Query')!;
    expect(query.detail).toBe(data.action('dynamodb', 'Query')!.accessLevel);
    expect(query.documentation).toBe(data.action('dynamodb', 'Query')!.description);
  });

  it('works in flow style, quoted, zero-indented lists, Serverless and JSON', () => {
    const flow = complete(SAM(`        - Statement: [{Effect: Allow, Action: [s3:GetObject, 's3:Put$0'], Resource: '*'}]`))!;
    expect(flow.replaced).toBe('s3:Put');
    expect(flow.entries.find((e) => e.label === 's3:PutObject')?.detail).toBe(data.action('s3', 'PutObject')!.accessLevel);

    const zero = complete(`service: orders
provider:
  name: aws
  iamRoleStatements:
  - Effect: Allow
    NotAction:
    - sq$0
`)!;
    expect(zero.entries.map((e) => e.label)).toContain('sqs');

    const json = complete(`{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": ["s3:GetObject",
      "lambda:Inv$0"], "Resource": "*"}]}`)!;
    expect(json.replaced).toBe('lambda:Inv');
    expect(json.entries.find((e) => e.label === 'lambda:InvokeFunction')?.detail).toBe(data.action('lambda', 'InvokeFunction')!.accessLevel);

    const empty = complete(`{"Statement": [{"Effect": "Allow", "Action": "$0", "Resource": "*"}]}`)!;
    expect(empty.entries).toHaveLength(data.servicePrefixes.length);
  });

  it('offers global and the statement services\' condition keys inside Condition', () => {
    const yaml = complete(SAM(`        - Statement:
            - Effect: Allow
              Action: dynamodb:GetItem
              Resource: '*'
              Condition:
                StringEquals:
                  dynamodb:Lead$0`))!;
    const labels = yaml.entries.map((e) => e.label);
    expect(labels).toContain('aws:SourceArn');
    for (const key of data.service('dynamodb')!.conditionKeys) expect(labels).toContain(key.key);
    expect(yaml.replaced).toBe('dynamodb:Lead');

    const json = complete(`{"Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*",
      "Condition": {"StringEquals": {"s3:Ex$0"}}}]}`)!;
    expect(json.entries.map((e) => e.label)).toContain('aws:PrincipalOrgID');
    expect(json.entries.some((e) => e.label.startsWith('s3:'))).toBe(true);

    // A key not typed yet, on its own line below the operator.
    const blank = complete(`Resources:
  P:
    Type: AWS::IAM::Policy
    Properties:
      PolicyDocument:
        Statement:
          - Effect: Allow
            Action: sqs:SendMessage
            Resource: '*'
            Condition:
              StringEquals:
                $0
`)!;
    const sqsKeys = data.service('sqs')!.conditionKeys.map((k) => k.key);
    expect(sqsKeys.length).toBeGreaterThan(0);
    for (const key of sqsKeys) expect(blank.entries.map((e) => e.label)).toContain(key);
  });

  it('offers SAM policy templates and managed policies in Policies, ARNs in ManagedPolicyArns', () => {
    const sam = complete(SAM(`        - DynamoDB$0`))!;
    const crud = sam.entries.find((e) => e.label === 'DynamoDBCrudPolicy')!;
    expect(crud.insertText).toBe(`DynamoDBCrudPolicy: {${data.samTemplate('DynamoDBCrudPolicy')!.parameters.map((p) => `${p}: `).join(', ')}}`);
    expect(sam.entries.some((e) => e.label === 'AWSLambdaBasicExecutionRole')).toBe(true);
    const deprecated = data.managedPolicies!.names.filter((n) => data.managedPolicy(n)!.deprecated);
    expect(deprecated.length).toBeGreaterThan(0);
    expect(sam.entries.some((e) => deprecated.includes(e.label))).toBe(false);

    const cfn = complete(`AWSTemplateFormatVersion: '2010-09-09'
Resources:
  Role:
    Type: AWS::IAM::Role
    Properties:
      ManagedPolicyArns:
        - arn:aws:iam::aws:policy/service-role/AWSLambda$0
`)!;
    expect(cfn.replaced).toBe('arn:aws:iam::aws:policy/service-role/AWSLambda');
    expect(cfn.entries.map((e) => e.label)).toContain(data.managedPolicy('AWSLambdaBasicExecutionRole')!.arn);
  });

  it('offers nothing outside actions and condition keys', () => {
    expect(complete(SAM(`        - Statement:
            - Effect: Allow
              Action: s3:GetObject
              Resource: arn:aws:s3:::b$0`))).toBeUndefined();
    expect(complete(SAM(`        - Statement:
            - Effect: Al$0`))).toBeUndefined();
  });
});
