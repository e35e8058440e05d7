/**
 * Which SNS publish calls send only fixed text (code/published-messages.ts, SLS401): the message and everything
 * else but the topic's address written as literals, in the call or in the object assigned to its argument just before.
 */
import { describe, expect, it } from 'vitest';
import { fixedMessage } from '../../server/src/engine/code/published-messages';

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
});
