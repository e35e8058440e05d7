// Handler of CreateOrderFunction (examples/sam-app/template.yaml). It needs dynamodb:PutItem,
// s3:PutObject and sns:Publish only; the template grants dynamodb:* on every table.
import { DynamoDBClient, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { S3Client, PutObjectCommand } from '@aws-sdk/client-s3';
import { SNSClient, PublishCommand } from '@aws-sdk/client-sns';
import { randomUUID } from 'node:crypto';

const dynamodb = new DynamoDBClient({});
const s3 = new S3Client({});
const sns = new SNSClient({});

export const handler = async (event) => {
  const order = JSON.parse(event.body ?? '{}');
  const orderId = randomUUID();
  await dynamodb.send(
    new PutItemCommand({
      TableName: process.env.TABLE_NAME,
      Item: { orderId: { S: orderId }, total: { N: String(order.total ?? 0) } },
    }),
  );
  await s3.send(
    new PutObjectCommand({
      Bucket: process.env.BUCKET_NAME,
      Key: `receipts/${orderId}.json`,
      Body: JSON.stringify(order),
    }),
  );
  await sns.send(new PublishCommand({ TopicArn: process.env.TOPIC_ARN, Message: JSON.stringify({ orderId }) }));
  return { statusCode: 201, body: JSON.stringify({ orderId }) };
};
