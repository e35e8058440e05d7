/** Lines per generated function with its table, bucket and topic (after the 12 lines of head). */
export const FUNCTION_BLOCK_LINES = 40;

/** Realistic SAM templates of a given size: functions with events, policies and Globals, tables, buckets, topics. */
export function generateSamTemplate(targetLines: number): string {
  const head = [
    "AWSTemplateFormatVersion: '2010-09-09'",
    'Transform: AWS::Serverless-2016-10-31',
    'Description: generated benchmark application',
    'Globals:',
    '  Function:',
    '    Runtime: nodejs20.x',
    '    Timeout: 10',
    '    Tracing: Active',
    '    Environment:',
    '      Variables:',
    '        LOG_LEVEL: info',
    'Resources:',
  ];
  const lines = [...head];
  for (let i = 0; lines.length < targetLines; i++) {
    lines.push(
      `  Table${i}:`,
      '    Type: AWS::DynamoDB::Table',
      '    Properties:',
      '      BillingMode: PAY_PER_REQUEST',
      '      KeySchema:',
      '        - AttributeName: pk',
      '          KeyType: HASH',
      '      AttributeDefinitions:',
      '        - AttributeName: pk',
      '          AttributeType: S',
      `  Bucket${i}:`,
      '    Type: AWS::S3::Bucket',
      '    Properties:',
      `      BucketName: !Sub 'bench-${i}-\${AWS::AccountId}'`,
      `  Topic${i}:`,
      '    Type: AWS::SNS::Topic',
      `  Function${i}:`,
      '    Type: AWS::Serverless::Function',
      '    Properties:',
      `      CodeUri: src/fn${i}/`,
      '      Handler: app.handler',
      '      Environment:',
      '        Variables:',
      `          TABLE: !Ref Table${i}`,
      `          BUCKET: !Ref Bucket${i}`,
      '      Events:',
      '        Get:',
      '          Type: Api',
      '          Properties:',
      `            Path: /items/${i}`,
      '            Method: get',
      '      Policies:',
      `        - DynamoDBReadPolicy: {TableName: !Ref Table${i}}`,
      '        - Statement:',
      '            - Effect: Allow',
      i % 3 === 0 ? "              Action: 's3:*'" : '              Action: [s3:GetObject, s3:PutObject]',
      i % 5 === 0 ? "              Resource: '*'" : `              Resource: !Sub '\${Bucket${i}.Arn}/*'`,
      '            - Effect: Allow',
      '              Action: sns:Publish',
      `              Resource: !Ref Topic${i}`,
    );
  }
  return lines.slice(0, Math.max(targetLines, head.length)).join('\n') + '\n';
}

/**
 * The handler of generated function `i` (`src/fn<i>/app.js`, as the template's CodeUri and Handler
 * say): AWS SDK v3 calls on the function's table and bucket among ordinary request handling, about
 * 50 lines, so code analysis has real files to parse.
 */
export function generateHandler(i: number): string {
  return `import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { S3Client, GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';

const documents = DynamoDBDocumentClient.from(new DynamoDBClient({}));
const s3 = new S3Client({});
const TABLE = process.env.TABLE;
const BUCKET = process.env.BUCKET;

function parseId(event) {
  const id = event?.pathParameters?.id ?? '${i}';
  if (!/^[a-z0-9-]{1,64}$/.test(id)) throw new Error('invalid id');
  return id;
}

function respond(status, body) {
  return { statusCode: status, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) };
}

async function loadItem(id) {
  const { Item } = await documents.send(new GetCommand({ TableName: TABLE, Key: { pk: id } }));
  return Item;
}

async function archive(id, item) {
  await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: \`items/\${id}.json\`, Body: JSON.stringify(item) }));
}

async function readArchive(id) {
  const object = await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: \`items/\${id}.json\` }));
  return JSON.parse(await object.Body.transformToString());
}

export const handler = async (event) => {
  let id;
  try {
    id = parseId(event);
  } catch (error) {
    return respond(400, { message: error.message });
  }
  const item = (await loadItem(id)) ?? (await readArchive(id));
  if (!item) return respond(404, { message: 'not found' });
  if (event.httpMethod === 'PUT') {
    const updated = { ...item, ...JSON.parse(event.body ?? '{}'), updatedAt: new Date().toISOString() };
    await documents.send(new PutCommand({ TableName: TABLE, Item: updated }));
    await archive(id, updated);
    return respond(200, updated);
  }
  return respond(200, item);
};
`;
}
