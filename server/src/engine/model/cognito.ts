import { asIntrinsic, get, literalString } from '../documents/node';
import type { Resource, Template } from './template';

/**
 * The app clients of a user pool in the template (`UserPoolId: !Ref Pool`), and whether another client names its pool
 * in a way not read here (a computed id, an import): that client may be this pool's, so "every client of the pool"
 * cannot be claimed then.
 */
export function poolClients(template: Template, pool: Resource): { readonly clients: readonly Resource[]; readonly unattributed: boolean } {
  const clients: Resource[] = [];
  let unattributed = false;
  for (const client of template.ofType('AWS::Cognito::UserPoolClient')) {
    const ref = asIntrinsic(get(client.properties, 'UserPoolId'));
    const id = ref?.fn === 'Ref' ? literalString(ref.arg) : undefined;
    if (id === undefined) unattributed = true;
    else if (id === pool.logicalId) clients.push(client);
  }
  return { clients, unattributed };
}
