// Handler of GetOrderFunction (examples/sam-app/template.yaml): one DynamoDB read.
import { DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';

const dynamodb = new DynamoDBClient({});

export const handler = async (event) => {
  const orderId = event.pathParameters?.orderId;
  const { Item } = await dynamodb.send(new GetItemCommand({ TableName: process.env.TABLE_NAME, Key: { orderId: { S: orderId } } }));
  return Item ? { statusCode: 200, body: JSON.stringify(Item) } : { statusCode: 404, body: '{}' };
};
