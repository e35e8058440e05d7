/**
 * A SAM template whose findings come from handler code, a layer folder and other resources (SLS710, SLS302, SLS352):
 * shared by the engine's incremental test and the protocol test of the same edits through the server.
 */
import { replace } from './handler-workspace';

export const TEMPLATE = `Transform: AWS::Serverless-2016-10-31
Description: code rules judged per function
Globals:
  Function:
    Runtime: nodejs20.x
    Environment:
      Variables:
        POWERTOOLS_LOGGER_LOG_EVENT: 'true'
    FunctionUrlConfig:
      AuthType: NONE
Resources:
  Login:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: src/login/
      Handler: app.handler
  Report:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: src/report/
      Handler: app.handler
      FunctionUrlConfig:
        AuthType: AWS_IAM
  ReportUrl:
    Type: AWS::Lambda::Url
    Properties:
      AuthType: NONE
      TargetFunctionArn: !GetAtt Report.Arn
  Invoke:
    Type: AWS::Lambda::Permission
    Properties:
      FunctionName: !Ref Report
      Action: lambda:InvokeFunction
      Principal: s3.amazonaws.com
      SourceArn: !GetAtt Uploads.Arn
  Uploads:
    Type: AWS::S3::Bucket
  Shared:
    Type: AWS::Serverless::LayerVersion
    Properties:
      ContentUri: layer/
  SharedPermission:
    Type: AWS::Lambda::LayerVersionPermission
    Properties:
      LayerVersionArn: !Ref Shared
      Principal: '*'
      Action: lambda:GetLayerVersion
  Gate:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: src/gate/
      Handler: app.handler
  Worker:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: src/worker/
      Handler: app.handler
  GateAuthorizer:
    Type: AWS::ApiGateway::Authorizer
    Properties:
      RestApiId: !Ref Rest
      Type: TOKEN
      Name: gate
      AuthorizerUri: !Sub arn:aws:apigateway:\${AWS::Region}:lambda:path/2015-03-31/functions/\${Gate.Arn}/invocations
  Rest:
    Type: AWS::ApiGateway::RestApi
    Properties:
      Name: rest
  Topic:
    Type: AWS::SNS::Topic
    Properties:
      TopicName: plain
`;

export const LOGS_TOKEN = `const { Signer } = require('@aws-sdk/rds-signer');
exports.handler = async () => {
  const signer = new Signer({ hostname: process.env.DB_HOST, port: 5432, username: 'app' });
  const token = await signer.getAuthToken();
  console.log('token', token);
  return { statusCode: 200 };
};
`;
export const KEEPS_TOKEN = LOGS_TOKEN.replace("console.log('token', token);", "console.log('token obtained');");
export const QUIET = `exports.handler = async () => ({ statusCode: 200, body: 'ok' });
`;
export const WRITES = `const { DynamoDBClient, PutItemCommand } = require('@aws-sdk/client-dynamodb');
const db = new DynamoDBClient({});
exports.handler = async () => db.send(new PutItemCommand({ TableName: 'reports', Item: {} }));
`;

export const LOGS_EVENT = `exports.handler = async (event) => {
  console.log(event);
  return { principalId: 'caller', policyDocument: { Version: '2012-10-17', Statement: [] } };
};
`;
const KEEPS_EVENT = LOGS_EVENT.replace('  console.log(event);\n', '');

/** Each step: a new text (an edit of what the rules read), and files written before it is analysed. */
export const STEPS: readonly [string, (text: string) => string, Record<string, string>?][] = [
  ['a second version (parsed in pieces from here on)', (t) => t],
  ["Login's handler stops logging the token", (t) => t, { 'src/login/app.js': KEEPS_TOKEN }],
  ['and logs it again', (t) => t, { 'src/login/app.js': LOGS_TOKEN }],
  ["the URL's target writes a table (no longer quiet)", (t) => t, { 'src/report/app.js': WRITES }],
  ['the layer folder gains a file of the project\'s own', (t) => t, { 'layer/config.js': 'module.exports = {};\n' }],
  ["the authorizer's handler stops logging its event", (t) => t, { 'src/gate/app.js': KEEPS_EVENT }],
  ['and logs it again', (t) => t, { 'src/gate/app.js': LOGS_EVENT }],
  ['Worker turns the Globals variable off for itself', (t) => replace(t, '      CodeUri: src/worker/\n', "      CodeUri: src/worker/\n      Environment:\n        Variables:\n          POWERTOOLS_LOGGER_LOG_EVENT: 'false'\n")],
  ['and on again, its own', (t) => replace(t, "          POWERTOOLS_LOGGER_LOG_EVENT: 'false'\n", "          POWERTOOLS_LOGGER_LOG_EVENT: 'true'\n")],
  ['the authorizer names Worker instead', (t) => replace(t, '${Gate.Arn}/invocations', '${Worker.Arn}/invocations')],
  ['Worker\'s handler appears, logging its event', (t) => t, { 'src/worker/app.js': LOGS_EVENT }],
  ['the authorizer is renamed', (t) => replace(t, '  GateAuthorizer:\n', '  WorkerAuthorizer:\n')],
  ['an unrelated topic is edited', (t) => replace(t, 'TopicName: plain', 'TopicName: plainer')],
  ['Report opens its own URL', (t) => replace(t, '      FunctionUrlConfig:\n        AuthType: AWS_IAM\n', '      FunctionUrlConfig:\n        AuthType: NONE\n')],
  ["and its handler is quiet again", (t) => t, { 'src/report/app.js': QUIET }],
  ['the bucket the permission names is renamed (no longer this stack\'s)', (t) => replace(t, '  Uploads:\n', '  Archive:\n')],
  ['and named again', (t) => replace(t, 'SourceArn: !GetAtt Uploads.Arn', 'SourceArn: !GetAtt Archive.Arn')],
  ['the URL targets Login', (t) => replace(t, 'TargetFunctionArn: !GetAtt Report.Arn', 'TargetFunctionArn: !GetAtt Login.Arn')],
  ['Login is renamed (the URL names a function that is gone)', (t) => replace(t, '  Login:\n', '  SignIn:\n')],
  ['a resource is inserted before all others (everything moves)', (t) => replace(t, 'Resources:\n', 'Resources:\n  First:\n    Type: AWS::SNS::Topic\n')],
  ['Globals no longer open every URL', (t) => replace(t, '    FunctionUrlConfig:\n      AuthType: NONE\nResources', '    FunctionUrlConfig:\n      AuthType: AWS_IAM\nResources')],
  ['Globals turn the event log off', (t) => replace(t, "        POWERTOOLS_LOGGER_LOG_EVENT: 'true'\n    FunctionUrlConfig", "        POWERTOOLS_LOGGER_LOG_EVENT: 'false'\n    FunctionUrlConfig")],
  ['Report is deleted', (t) => t.replace(/  Report:\n(?: {4}.*\n)*/, '')],
  ['the Description grows (nothing is judged again)', (t) => replace(t, 'Description: code rules', 'Description: the code rules')],
];

/** The files beside the template before the first step. */
export const FILES: Record<string, string> = {
  'src/login/app.js': LOGS_TOKEN,
  'src/report/app.js': QUIET,
  'src/gate/app.js': LOGS_EVENT,
  'layer/package.json': '{"dependencies": {"left-pad": "1.3.0"}}\n',
  'layer/package-lock.json': '{}\n',
};
