/**
 * Which SNS publish calls send only fixed text (code/published-messages.ts, SLS401): the message and everything
 * else but the topic's address written as literals, in the call or in the object assigned to its argument just before.
 */
import { describe, expect, it } from 'vitest';
import { fixedMessage, publishedContent } from '../../server/src/engine/code/published-messages';

/** The call's span: from `at` to the end of its argument list, as the extractor gives it. */
function judged(text: string, at: string, python = false, operation = 'Publish'): string | undefined {
  const start = text.indexOf(at);
  expect(start).toBeGreaterThanOrEqual(0);
  const end = text.indexOf(')', text.indexOf('(', start + at.length - 1)) + 1;
  return fixedMessage(text, { span: { start, end: Math.max(end, text.indexOf('\n', start)) }, operation }, python);
}

describe('fixedMessage', () => {
  it.each([
    ['an object literal in the call', "await sns.publish({ TopicArn: process.env.TOPIC, Message: 'Invalidate CDN' }).promise();\n", 'sns.publish', "'Invalidate CDN'"],
    ['a named object logged before the call', "const params = { Message: 'tick', TopicArn };\nconsole.log('publishing', params);\nreturn sns.publish(params).promise();\n", 'sns.publish', "'tick'"],
    ['a typed object', "const input: PublishInput = {\n  TopicArn: arn,\n  Subject: 'refresh',\n  Message: \"Refresh\",\n};\nawait client.send(new PublishCommand(input));\n", 'client.send', '"Refresh"'],
    ['a template literal with no substitution', 'await sns.publish({ TopicArn: t, Message: `go` }).promise();\n', 'sns.publish', '`go`'],
  ])('%s is fixed', (_name, text, at, message) => {
    expect(judged(text, at)).toBe(message);
  });

  it.each([
    ['Python keyword arguments', 'sns.publish(TopicArn=os.environ["T"], Message="Refresh the report")\n', 'sns.publish', '"Refresh the report"'],
    ['a Python dict passed with **', 'params = {"TopicArn": arn, "Message": "tick"}\nsns.publish(**params)\n', 'sns.publish', '"tick"'],
  ])('%s is fixed', (_name, text, at, message) => {
    expect(judged(text, at, true)).toBe(message);
  });

  it.each([
    ['a message from the event', 'await sns.publish({ TopicArn: t, Message: JSON.stringify(event) }).promise();\n', 'sns.publish'],
    ['a template literal with a substitution', 'await sns.publish({ TopicArn: t, Message: `order ${id}` }).promise();\n', 'sns.publish'],
    ['a subject the code computes', "await sns.publish({ TopicArn: t, Message: 'x', Subject: name }).promise();\n", 'sns.publish'],
    ['attributes the code computes', "await sns.publish({ TopicArn: t, Message: 'x', MessageAttributes: { id: { DataType: 'String', StringValue: id } } }).promise();\n", 'sns.publish'],
    ['a spread', "await sns.publish({ ...base, Message: 'x' }).promise();\n", 'sns.publish'],
    ['an object changed before the call', "const params = { Message: 'x', TopicArn };\nparams.Message = body;\nawait sns.publish(params).promise();\n", 'sns.publish'],
    ['an object passed elsewhere before the call', "const params = { Message: 'x', TopicArn };\naddTrace(params);\nawait sns.publish(params).promise();\n", 'sns.publish'],
    ['a parameter', 'async function send(params) {\n  await sns.publish(params).promise();\n}\n', 'sns.publish'],
    ['an object assigned from elsewhere last', "let params = { Message: 'x', TopicArn };\nparams = build(event);\nawait sns.publish(params).promise();\n", 'sns.publish'],
    ['no Message', 'await sns.publish({ TopicArn: t }).promise();\n', 'sns.publish'],
  ])('%s is not fixed', (_name, text, at) => {
    expect(judged(text, at)).toBeUndefined();
  });

  it('a Python f-string is not fixed', () => {
    expect(judged('sns.publish(TopicArn=arn, Message=f"order {order_id}")\n', 'sns.publish', true)).toBeUndefined();
  });

  it('a batch is not read', () => {
    expect(judged("await sns.publishBatch({ TopicArn: t, PublishBatchRequestEntries: [{ Id: '1', Message: 'x' }] }).promise();\n", 'sns.publishBatch', false, 'PublishBatch')).toBeUndefined();
  });

  it('an SDK v2 callback after the parameters is not part of what is sent', () => {
    expect(judged("const payload = { Message: 'tick', TopicArn: arn };\nsns.publish(payload, (error) => { if (error) throw error; });\n", 'sns.publish')).toBe("'tick'");
  });
});

/** What publishedContent says of the call at `at` (its span to the end of the text, as the text scan gives it). */
function content(text: string, at: string, python = false): ReturnType<typeof publishedContent> {
  const start = text.indexOf(at);
  expect(start).toBeGreaterThanOrEqual(0);
  return publishedContent(text, { span: { start, end: text.length }, operation: 'Publish' }, python);
}

describe('publishedContent', () => {
  it.each([
    // slushnys/serverless-sns-communication gateway.ts: a loan id, with a callback.
    ['a path id in JSON', "const payload: PublishInput = {\n  Message: JSON.stringify({ default: id }),\n  MessageStructure: 'json',\n  TopicArn: 'arn:aws:sns:eu-west-1:1:t',\n};\nsns.publish(payload, error => {\n  if (error) reject(error);\n});\n", 'sns.publish', 'identifier'],
    ['an id beside a literal', "await sns.publish({ Message: JSON.stringify({ default: loanId, disbursed: true }), TopicArn: t }).promise();\n", 'sns.publish', 'identifier'],
    ['a member path ending in an id', 'await sns.publish({ Message: event.detail.orderId, TopicArn: t }).promise();\n', 'sns.publish', 'identifier'],
    ['an id attribute', "await sns.publish({ Message: 'changed', TopicArn: t, MessageAttributes: { id: { DataType: 'String', StringValue: order_id } } }).promise();\n", 'sns.publish', 'identifier'],
    // qnelo/serverless-sns-example: a constant object, stringified twice.
    ['a constant object stringified', "const message = { message: 'Ultra Test Message' };\nconst cfg = {\n  Message: JSON.stringify({ default: JSON.stringify(message) }),\n  MessageStructure: 'json',\n  TopicArn: `arn:${region}`,\n};\nsns.publish(cfg).promise();\n", 'sns.publish', 'text'],
  ])('%s: %s', (_name, text, at, carries) => {
    expect(content(text, at)?.carries).toBe(carries);
  });

  it('a Python id in json.dumps is an identifier', () => {
    expect(content('sns.publish(TopicArn=arn, Message=json.dumps({"order_id": order_id}))\n', 'sns.publish', true)?.carries).toBe('identifier');
  });

  it.each([
    ['a session id (a credential)', 'await sns.publish({ Message: sessionId, TopicArn: t }).promise();\n'],
    ['a form body', 'await sns.publish({ Message: message.body, Subject: message.subject, TopicArn: t }).promise();\n'],
    ['a record stringified', 'await sns.publish({ Message: JSON.stringify(user), TopicArn: t }).promise();\n'],
    ['a constant object changed before', "const message = { text: 'hi' };\nmessage.text = event.body;\nawait sns.publish({ Message: JSON.stringify(message), TopicArn: t }).promise();\n"],
    ['a wrapper handing on a record', 'return inspectionPublisher.publish(currentInspection, attributes).then(log);\n'],
    ['an id beside a computed value', 'await sns.publish({ Message: JSON.stringify({ id, total: order.total }), TopicArn: t }).promise();\n'],
  ])('%s is neither', (_name, text) => {
    expect(content(text, text.includes('inspectionPublisher') ? 'inspectionPublisher.publish' : 'sns.publish')).toBeUndefined();
  });
});
