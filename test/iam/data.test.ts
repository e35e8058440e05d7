import { describe, expect, it } from 'vitest';
import { ACCESS_LEVEL_CORRECTIONS } from '../../server/src/engine/iam/access-level-corrections';
import { IamData } from '../../server/src/engine/iam/iam-data';
import type { CompactService } from '../../server/src/engine/iam/data';
import { jsonActions } from '../../server/src/engine/iam/sam-templates';
import { iam } from '../helpers/engine';

const data = iam!;

describe('access-level corrections', () => {
  it('every entry is sourced and names an action the IAM data knows', () => {
    for (const c of ACCESS_LEVEL_CORRECTIONS) {
      expect(c.source).toMatch(/^https:\/\/docs\.aws\.amazon\.com\//);
      expect(c.reason.length).toBeGreaterThan(10);
      const [service, name] = c.action.split(':');
      expect(data.action(service!, name!), c.action).toBeDefined();
    }
  });

  it('is applied when a service is decoded, for every consumer', () => {
    for (const c of ACCESS_LEVEL_CORRECTIONS) {
      const [service, name] = c.action.split(':');
      expect(data.action(service!, name!.toLowerCase())!.accessLevel).toBe(c.corrected);
      expect(data.matchActions(c.action)![0]!.accessLevel).toBe(c.corrected);
    }
  });

  it('is not applied when the published level is no longer the one it corrects', () => {
    const c = ACCESS_LEVEL_CORRECTIONS[0]!;
    const [service, name] = c.action.split(':') as [string, string];
    const levelIndex = ['List', 'Read', 'Write', 'Permissions management', 'Tagging'].indexOf('Read');
    const compact: CompactService = { n: 'Test', a: [[name, levelIndex, 'd', [], []]], r: [], c: [] };
    const own = new IamData({ services: { [service]: 'Test' }, loadService: () => compact });
    expect(own.action(service, name)!.accessLevel).toBe('Read');
  });

  it('decodes combined published levels to the specific one (tagging actions are Tagging)', () => {
    const tagging = data.matchActions('dynamodb:*')!.filter((a) => /^(Tag|Untag)Resource$/.test(a.name));
    expect(tagging.length).toBe(2);
    for (const a of tagging) expect(a.accessLevel).toBe('Tagging');
    expect(data.action('iam', 'PutRolePolicy')!.accessLevel).toBe('Permissions management');
  });
});

describe('managed policies', () => {
  it('looks up by name, by ARN with a path and case-insensitively', () => {
    const basic = data.managedPolicy('AWSLambdaBasicExecutionRole')!;
    expect(basic.arn).toBe('arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole');
    expect(data.managedPolicy(basic.arn)).toBe(basic);
    expect(data.managedPolicy('arn:aws-cn:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole')).toBe(basic);
    expect(data.managedPolicy('awslambdabasicexecutionrole')).toBe(basic);
    expect(basic.statements.flatMap((s) => s.action ?? [])).toContain('logs:PutLogEvents');
    expect(data.managedPolicy('arn:aws:iam::123456789012:policy/AWSLambdaBasicExecutionRole')).toBeUndefined();
    expect(data.managedPolicy('NoSuchPolicyAnywhere')).toBeUndefined();
  });

  it('includes the admin policies the dataset leaves out', () => {
    const admin = data.managedPolicy('AdministratorAccess')!;
    expect(admin.statements).toEqual([{ effect: 'Allow', action: ['*'], resource: ['*'], conditional: false }]);
    expect(data.managedPolicy('PowerUserAccess')!.statements[0]!.notAction).toContain('iam:*');
  });
});

describe('SAM policy templates', () => {
  it('decodes templates with parameters and statements', () => {
    const crud = data.samTemplate('DynamoDBCrudPolicy')!;
    expect(crud.parameters).toEqual(['TableName']);
    expect(crud.statements.flatMap((s) => jsonActions(s))).toContain('dynamodb:GetItem');
    expect(data.samTemplate('dynamodbcrudpolicy')).toBeUndefined();
  });

  it('every template action is a known IAM action or a wildcard over known actions', () => {
    const unknown: string[] = [];
    for (const name of data.samTemplates!.names) {
      for (const statement of data.samTemplate(name)!.statements) {
        for (const action of jsonActions(statement)) {
          const matched = data.matchActions(action);
          if (!matched || matched.length === 0) unknown.push(`${name}: ${action}`);
        }
      }
    }
    // AWS retires actions over time; the templates are older than the IAM data. Keep it small.
    expect(unknown.length, unknown.join('\n')).toBeLessThan(data.samTemplates!.names.length / 4);
  });
});
