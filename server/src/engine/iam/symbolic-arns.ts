/**
 * Template resources' ARNs as text with holes, for the evaluator (evaluate.ts): a resource's physical name, the
 * region, the account and the partition are not in the template, so each is a hole, the same hole wherever the
 * same thing is named. `!GetAtt Orders.Arn` in a policy and the table a call reaches through `TABLE: !Ref Orders`
 * become the same text (`arn:◇:dynamodb:◇:◇:table/◇`), which `arn:*:dynamodb:*:*:table/*` surely matches and
 * `…:table/Orders` only may match. What cannot be written this way (parameters, imports, `Fn::Join`) stays
 * unknown: a parameter may hold a whole ARN, which no single hole can stand for.
 */
import { asIntrinsic, isScalar, isSeq, literalString, substitute, type Node } from '../documents/node';
import type { FixIntrinsic } from '../fixes/edits';
import type { Template } from '../model/template';
import { hole } from './evaluate';

/** CloudFormation type → its ARN built from its name hole (`name`) and attribute holes (`attr(a)`), and what Ref gives. */
interface ArnShape {
  readonly arn: (name: string, attr: (a: string) => string, p: Pseudo) => string;
  /** `Ref` gives the ARN (topics, secrets, state machines) rather than the name. */
  readonly refIsArn?: boolean;
}

interface Pseudo {
  readonly partition: string;
  readonly region: string;
  readonly account: string;
}

const SHAPES: Readonly<Record<string, ArnShape>> = {
  'AWS::DynamoDB::Table': { arn: (n, _, p) => `arn:${p.partition}:dynamodb:${p.region}:${p.account}:table/${n}` },
  'AWS::Serverless::SimpleTable': { arn: (n, _, p) => `arn:${p.partition}:dynamodb:${p.region}:${p.account}:table/${n}` },
  'AWS::S3::Bucket': { arn: (n, _, p) => `arn:${p.partition}:s3:::${n}` },
  'AWS::SQS::Queue': { arn: (_, a, p) => `arn:${p.partition}:sqs:${p.region}:${p.account}:${a('QueueName')}` },
  'AWS::SNS::Topic': { arn: (_, a, p) => `arn:${p.partition}:sns:${p.region}:${p.account}:${a('TopicName')}`, refIsArn: true },
  'AWS::Lambda::Function': { arn: (n, _, p) => `arn:${p.partition}:lambda:${p.region}:${p.account}:function:${n}` },
  'AWS::Serverless::Function': { arn: (n, _, p) => `arn:${p.partition}:lambda:${p.region}:${p.account}:function:${n}` },
  'AWS::Kinesis::Stream': { arn: (n, _, p) => `arn:${p.partition}:kinesis:${p.region}:${p.account}:stream/${n}` },
  'AWS::SecretsManager::Secret': { arn: (_, a, p) => `arn:${p.partition}:secretsmanager:${p.region}:${p.account}:secret:${a('Name')}`, refIsArn: true },
  'AWS::StepFunctions::StateMachine': { arn: (_, a, p) => `arn:${p.partition}:states:${p.region}:${p.account}:stateMachine:${a('Name')}`, refIsArn: true },
  'AWS::Serverless::StateMachine': { arn: (_, a, p) => `arn:${p.partition}:states:${p.region}:${p.account}:stateMachine:${a('Name')}`, refIsArn: true },
  'AWS::Events::EventBus': { arn: (n, _, p) => `arn:${p.partition}:events:${p.region}:${p.account}:event-bus/${n}` },
  'AWS::KMS::Key': { arn: (n, _, p) => `arn:${p.partition}:kms:${p.region}:${p.account}:key/${n}` },
};

/** One per analysis: the holes it hands out stay the same for the same name. */
export class SymbolicArns {
  private readonly holes = new Map<string, string>();

  constructor(private readonly template: Template | undefined) {}

  private hole(name: string): string {
    let h = this.holes.get(name);
    if (!h) this.holes.set(name, (h = hole(this.holes.size)));
    return h;
  }

  private get pseudo(): Pseudo {
    return { partition: this.hole('AWS::Partition'), region: this.hole('AWS::Region'), account: this.hole('AWS::AccountId') };
  }

  /** The ARN of a template resource of a known type, or undefined. */
  arnOf(logicalId: string): string | undefined {
    const shape = this.shape(logicalId);
    return shape?.arn(this.hole(logicalId), (a) => this.hole(`${logicalId}.${a}`), this.pseudo);
  }

  private shape(logicalId: string): ArnShape | undefined {
    const type = this.template?.resource(logicalId)?.type;
    return type ? SHAPES[type] : undefined;
  }

  /** `Ref X`: the name hole, or the ARN for types whose Ref is their ARN; undefined for parameters and unknown types. */
  private ref(name: string): string | undefined {
    if (name === 'AWS::Region' || name === 'AWS::AccountId' || name === 'AWS::Partition' || name === 'AWS::URLSuffix') return this.hole(name);
    const shape = this.shape(name);
    if (!shape) return undefined;
    return shape.refIsArn ? this.arnOf(name) : this.hole(name);
  }

  /** `GetAtt X.Arn` (or a named attribute of a known type). */
  private getAtt(id: string, attribute: string): string | undefined {
    const shape = this.shape(id);
    if (!shape) return undefined;
    if (attribute === 'Arn') return this.arnOf(id);
    // Name-like attributes: the resource's name hole (QueueName, TopicName, Name) or its own hole.
    return /Name$/.test(attribute) ? this.hole(`${id}.${attribute}`) : undefined;
  }

  /** An object key of a bucket (any key the code computes). */
  keyHole(logicalId: string): string {
    return this.hole(`${logicalId}/key`);
  }

  /** A value a fix writes (`getAtt('Orders', 'Arn')`), as text with holes. */
  resolveFixValue(value: string | FixIntrinsic): string | undefined {
    if (typeof value === 'string') return value;
    if (value.intrinsic === 'Ref') return this.ref(value.arg);
    if (value.intrinsic === 'Fn::Sub') return this.sub(value.arg);
    const dot = value.arg.indexOf('.');
    return dot < 0 ? undefined : this.getAtt(value.arg.slice(0, dot), value.arg.slice(dot + 1));
  }

  /** A policy value written as an intrinsic, as text with holes; undefined when it cannot be written so. */
  resolve(node: Node): string | undefined {
    const literal = literalString(node);
    if (literal !== undefined && !asIntrinsic(node)) return literal;
    const intrinsic = asIntrinsic(node);
    if (!intrinsic) return undefined;
    if (intrinsic.fn === 'Ref') {
      const name = literalString(intrinsic.arg);
      return name ? this.ref(name) : undefined;
    }
    if (intrinsic.fn === 'Fn::GetAtt') {
      const [id, attribute] = isSeq(intrinsic.arg) ? intrinsic.arg.items.map((i) => literalString(i)) : (literalString(intrinsic.arg)?.split('.') ?? []);
      return id && attribute ? this.getAtt(id, attribute) : undefined;
    }
    if (intrinsic.fn === 'Fn::Sub' && isScalar(intrinsic.arg) && typeof intrinsic.arg.value === 'string') return this.sub(intrinsic.arg.value);
    return undefined;
  }

  private sub(text: string): string | undefined {
    return substitute(text, (name) => {
      if (name.startsWith('!')) return `\${${name.slice(1)}}`;
      const dot = name.indexOf('.');
      return dot < 0 || name.includes('::') ? this.ref(name) : this.getAtt(name.slice(0, dot), name.slice(dot + 1));
    });
  }
}
