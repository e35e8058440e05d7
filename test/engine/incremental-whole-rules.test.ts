/**
 * The rules that ran over the whole template on every keystroke until issue 16's eighth run, now judged per resource
 * (`scope: 'related'`) and, for what no one resource holds (a Globals value reported once, the implicit SAM API), by a
 * judgement of the sections (`sections`): SLS151 per role, SLS171 per function, SLS310 per API or authorizer, SLS501
 * per API, stage or deployment, SLS706 and SLS801 per function. After every edit of a sequence that touches what each
 * of them reads — Globals, a role's users and attached policies, the events naming an API, the stage naming a
 * deployment, references from Outputs, a handler file, renames and deletions — an open document's results equal a
 * fresh analysis, and none of them runs whole.
 */
import { describe, expect, it } from 'vitest';
import { rules } from '../../rules/index';
import { analyze, type Analysis } from '../../server/src/engine/analyze';
import { DocumentMemo } from '../../server/src/engine/memo';
import { iam, STRICT, TEST_NOW } from '../helpers/engine';
import { handlerWorkspace, replace } from '../helpers/handler-workspace';

const IDS = ['SLS151', 'SLS171', 'SLS310', 'SLS501', 'SLS706', 'SLS801'];
const options = { rules, iam, now: TEST_NOW, config: STRICT };

function asData(analysis: Analysis) {
  return analysis.findings.map((f) => ({ ...f, fixes: f.fixes.map((x) => ({ ...x })) }));
}

const TEMPLATE = `Transform: AWS::Serverless-2016-10-31
Description: whole rules judged per resource
Parameters:
  DbPassword:
    Type: String
Globals:
  Function:
    Runtime: nodejs16.x
    Environment:
      Variables:
        API_TOKEN: !Ref DbPassword
        LOG_LEVEL: info
Resources:
  SharedRole:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Statement: [{Effect: Allow, Principal: {Service: lambda.amazonaws.com}, Action: sts:AssumeRole}]
      Policies:
        - PolicyName: data
          PolicyDocument:
            Statement: [{Effect: Allow, Action: 'dynamodb:PutItem', Resource: '*'}]
  ExtraPolicy:
    Type: AWS::IAM::Policy
    Properties:
      PolicyName: extra
      Roles: [!Ref SharedRole]
      PolicyDocument:
        Statement: [{Effect: Allow, Action: 'iam:PassRole', Resource: '*'}]
  OtherRole:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Statement: [{Effect: Allow, Principal: {Service: lambda.amazonaws.com}, Action: sts:AssumeRole}]
  FnA:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: src/a/
      Handler: app.handler
      Role: !GetAtt SharedRole.Arn
      Environment:
        Variables:
          SECRET_KEY: !Ref DbPassword
      Events:
        Get:
          Type: Api
          Properties:
            Path: /a
            Method: get
  FnB:
    Type: AWS::Lambda::Function
    Properties:
      Handler: index.handler
      Runtime: python3.8
      Role: !GetAtt SharedRole.Arn
      Code: {S3Bucket: b, S3Key: k}
  Bucket:
    Type: AWS::S3::Bucket
  FnC:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: src/c/
      Handler: app.handler
      Environment:
        Variables:
          BUCKET: !Ref Bucket
      Policies:
        - Statement:
            - Effect: Allow
              Action: ['s3:*']
              Resource: '*'
      Events:
        Post:
          Type: Api
          Properties:
            RestApiId: !Ref MyApi
            Path: /c
            Method: post
            Auth:
              Authorizer: UsedAuth
  MyApi:
    Type: AWS::Serverless::Api
    Properties:
      StageName: prod
      AccessLogSetting: {DestinationArn: arn:aws:logs:us-east-1:123456789012:log-group:api, Format: $context.requestId}
      Auth:
        Authorizers:
          UsedAuth: {UserPoolArn: arn:aws:cognito-idp:us-east-1:123456789012:userpool/us-east-1_a}
          SpareAuth: {UserPoolArn: arn:aws:cognito-idp:us-east-1:123456789012:userpool/us-east-1_b}
  RestApi:
    Type: AWS::ApiGateway::RestApi
    Properties:
      Name: rest
  LoneAuthorizer:
    Type: AWS::ApiGateway::Authorizer
    Properties:
      RestApiId: !Ref RestApi
      Type: TOKEN
      Name: lone
  Deployment:
    Type: AWS::ApiGateway::Deployment
    Properties:
      RestApiId: !Ref RestApi
      StageName: v1
  Stage:
    Type: AWS::ApiGateway::Stage
    Properties:
      RestApiId: !Ref RestApi
      DeploymentId: !Ref Deployment
      StageName: v1
  Topic:
    Type: AWS::SNS::Topic
    Properties:
      TopicName: plain
Outputs:
  ApiUrl:
    Value: !Sub https://\${MyApi}.execute-api.\${AWS::Region}.amazonaws.com/prod
`;

const READS_BUCKET = `const { S3Client, GetObjectCommand } = require('@aws-sdk/client-s3');
const s3 = new S3Client({});
exports.handler = async () => s3.send(new GetObjectCommand({ Bucket: process.env.BUCKET, Key: 'k' }));
`;
const WRITES_BUCKET = READS_BUCKET.replace(/GetObjectCommand/g, 'PutObjectCommand');
const HANDLER_A = `exports.handler = async () => ({ statusCode: 200 });
`;

/** Each step: a new text (edits of what the six rules read), or a handler file rewritten. */
const STEPS: readonly [string, (text: string) => string, string?][] = [
  ['a second version (parsed in pieces from here on)', (t) => t],
  // The Globals entry's pieces are kept and moved, the section's key is not: what lies in them moves with them.
  ['a comment line under Globals: its Function entry moves, its node kept', (t) => replace(t, 'Globals:\n', 'Globals:\n  # shared settings\n')],
  ['a space after the Globals key', (t) => replace(t, 'Globals:\n', 'Globals: \n')],
  ['FnB takes another role: SharedRole is no longer shared', (t) => replace(t, '      Role: !GetAtt SharedRole.Arn\n      Code:', '      Role: !GetAtt OtherRole.Arn\n      Code:')],
  ['FnB shares it again', (t) => replace(t, '      Role: !GetAtt OtherRole.Arn\n      Code:', '      Role: !GetAtt SharedRole.Arn\n      Code:')],
  ['the policy attached to the shared role names another role', (t) => replace(t, 'Roles: [!Ref SharedRole]', 'Roles: [!Ref OtherRole]')],
  ['Globals give every SAM function the shared role', (t) => replace(t, '    Runtime: nodejs16.x\n', '    Runtime: nodejs16.x\n    Role: !GetAtt OtherRole.Arn\n')],
  ['FnC inherits OtherRole with FnB moved onto it', (t) => replace(t, '      Role: !GetAtt SharedRole.Arn\n      Code:', '      Role: !GetAtt OtherRole.Arn\n      Code:')],
  ['FnA writes its own runtime: it no longer inherits Globals', (t) => replace(t, '      CodeUri: src/a/\n', '      CodeUri: src/a/\n      Runtime: nodejs18.x\n')],
  ['FnA overrides the Globals secret variable', (t) => replace(t, '          SECRET_KEY: !Ref DbPassword', '          SECRET_KEY: !Ref DbPassword\n          API_TOKEN: fixed')],
  ['FnC overrides it too: no function inherits it', (t) => replace(t, '          BUCKET: !Ref Bucket', '          BUCKET: !Ref Bucket\n          API_TOKEN: fixed')],
  ['FnC names the spare authorizer', (t) => replace(t, 'Authorizer: UsedAuth', 'Authorizer: SpareAuth')],
  ['the API is renamed (the event names an API that is gone)', (t) => replace(t, '  MyApi:\n    Type: AWS::Serverless::Api', '  RenamedApi:\n    Type: AWS::Serverless::Api')],
  ['the event names it again', (t) => replace(t, 'RestApiId: !Ref MyApi', 'RestApiId: !Ref RenamedApi')],
  ['the event names a computed API', (t) => replace(t, 'RestApiId: !Ref RenamedApi', 'RestApiId: !If [Never, !Ref RenamedApi, !Ref AWS::NoValue]')],
  ['an output names the lone authorizer', (t) => `${t}  Auth:\n    Value: !Ref LoneAuthorizer\n`],
  ['a method names it instead', (t) => replace(t.replace('  Auth:\n    Value: !Ref LoneAuthorizer\n', ''), '  Topic:\n', '  Method:\n    Type: AWS::ApiGateway::Method\n    Properties:\n      RestApiId: !Ref RestApi\n      AuthorizerId: !Ref LoneAuthorizer\n      HttpMethod: GET\n  Topic:\n')],
  ['the stage stops naming the deployment', (t) => replace(t, '      DeploymentId: !Ref Deployment\n', '      DeploymentId: other\n')],
  ['an explicit ServerlessRestApi: FnA no longer creates the implicit API', (t) => replace(t, '  Topic:\n', '  ServerlessRestApi:\n    Type: AWS::Serverless::Api\n    Properties:\n      StageName: Prod\n  Topic:\n')],
  ['FnC\'s handler writes the bucket', (t) => t, WRITES_BUCKET],
  ['and reads it again', (t) => t, READS_BUCKET],
  ['an unrelated topic is edited', (t) => replace(t, 'TopicName: plain', 'TopicName: plainer')],
  ['a resource is inserted before all others (everything moves)', (t) => replace(t, 'Resources:\n', 'Resources:\n  First:\n    Type: AWS::SNS::Topic\n')],
  ['FnA is deleted', (t) => t.replace(/  FnA:\n(    .*\n|      .*\n)*?(?=  FnB:)/, '')],
  ['the Description grows (nothing is judged again)', (t) => replace(t, 'Description: whole rules', 'Description: the whole rules')],
];

describe('rules that ran whole: judged per resource and sections, equal to a fresh analysis', () => {
  const workspace = handlerWorkspace('sls-whole-rules-');
  workspace.write('src/a/app.js', HANDLER_A);
  workspace.write('src/c/app.js', READS_BUCKET);

  it('after every edit of what they read, none running whole', () => {
    const memo = new DocumentMemo({ minLines: 0, minChildren: 1, minCharsPerPiece: 0, maxChangedShare: 1 });
    workspace.write('template.yaml', TEMPLATE);
    const seen = new Set<string>();
    let text = TEMPLATE;
    const round = (label: string) => {
      const incremental = analyze({ text }, { ...options, memo, sources: workspace.sources() });
      const fresh = analyze({ text }, { ...options, sources: workspace.sources() });
      expect(asData(incremental), label).toEqual(asData(fresh));
      expect(memo.rules.lastStats.wholeRuns, label).toBe(0);
      for (const f of incremental.findings) if (IDS.includes(f.ruleId)) seen.add(`${f.ruleId} ${f.message.split(' ').slice(0, 2).join(' ')}`);
      return memo.rules.lastStats;
    };
    round('first version');
    // Every rule speaks at least once along the sequence (else the property could not fail for it).
    for (const [label, edit, handler] of STEPS) {
      if (handler) workspace.write('src/c/app.js', handler);
      text = edit(text);
      const stats = round(label);
      if (label.startsWith('an unrelated topic')) {
        // The topic by each related rule; no other record read it, and no sections judgement lists topics.
        expect(stats).toMatchObject({ resourcesJudged: 1, relatedEvaluations: stats.relatedRules });
      }
      if (label.startsWith('the Description grows')) expect(stats).toMatchObject({ resourcesJudged: 0, relatedEvaluations: 0 });
    }
    for (const id of IDS) expect([...seen].some((s) => s.startsWith(id)), id).toBe(true);
    // The Globals findings came from the sections' judgement, and per-resource ones from their resources.
    expect([...seen].filter((s) => s.startsWith('SLS801') || s.startsWith('SLS706')).length).toBeGreaterThan(2);
  });
});
