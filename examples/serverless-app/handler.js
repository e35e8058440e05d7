'use strict';
// Handlers of examples/serverless-app/serverless.yml. Together they call s3:PutObject,
// s3:GetObject, s3:ListBucket and sns:Publish; the provider role grants s3:* on every bucket.
const { S3Client, PutObjectCommand, GetObjectCommand, ListObjectsV2Command } = require('@aws-sdk/client-s3');
const { SNSClient, PublishCommand } = require('@aws-sdk/client-sns');

const s3 = new S3Client({});
const sns = new SNSClient({});

module.exports.upload = async (event) => {
  const key = `uploads/${Date.now()}.jpg`;
  await s3.send(new PutObjectCommand({ Bucket: process.env.BUCKET_NAME, Key: key, Body: Buffer.from(event.body ?? '', 'base64') }));
  return { statusCode: 201, body: JSON.stringify({ key }) };
};

module.exports.thumbnail = async (event) => {
  for (const record of event.Records ?? []) {
    const key = record.s3.object.key;
    const original = await s3.send(new GetObjectCommand({ Bucket: process.env.BUCKET_NAME, Key: key }));
    await s3.send(new PutObjectCommand({ Bucket: process.env.BUCKET_NAME, Key: `thumbnails/${key}`, Body: original.Body }));
    await sns.send(new PublishCommand({ TopicArn: process.env.TOPIC_ARN, Message: key }));
  }
};

module.exports.list = async () => {
  const { Contents = [] } = await s3.send(new ListObjectsV2Command({ Bucket: process.env.BUCKET_NAME, Prefix: 'thumbnails/' }));
  return { statusCode: 200, body: JSON.stringify(Contents.map((o) => o.Key)) };
};
