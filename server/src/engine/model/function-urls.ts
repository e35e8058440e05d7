/**
 * When a Lambda function URL lets anyone invoke the function, decided once for the rules that
 * judge public URLs (SLS302) and what a public URL needs (SLS802), so they cannot disagree.
 */
import { get, isMap, literalString, resolveBoolean, type MapNode, type Node } from '../documents/node';
import type { ServerlessFunction } from './serverless';

/** `AuthType: NONE` (any case) of an `AWS::Lambda::Url` or a SAM `FunctionUrlConfig`; computed values are unknown, not NONE. */
export function isAuthTypeNone(node: Node | undefined): boolean {
  return literalString(node)?.toUpperCase() === 'NONE';
}

/** How a Serverless function URL is open: the form decides where a fix writes `authorizer`. */
export type PublicServerlessUrl = { readonly form: 'enabled-flag'; readonly node: Node } | { readonly form: 'no-authorizer'; readonly node: MapNode };

/**
 * The Serverless function's `url` when it accepts unauthenticated requests: `url: true`, or a
 * `url` map without `authorizer`. Undefined when there is no URL, it is off, or the flag is
 * computed (unknown is not wrong).
 */
export function publicServerlessUrl(fn: ServerlessFunction): PublicServerlessUrl | undefined {
  const url = get(fn.node, 'url');
  if (url === undefined) return undefined;
  if (url.kind === 'scalar') {
    const enabled = resolveBoolean(url);
    return enabled?.known && enabled.value ? { form: 'enabled-flag', node: url } : undefined;
  }
  return isMap(url) && get(url, 'authorizer') === undefined ? { form: 'no-authorizer', node: url } : undefined;
}
