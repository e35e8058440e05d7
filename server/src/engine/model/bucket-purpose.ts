/**
 * What an S3 bucket of the template is for, as far as the document says: serving its objects to the public (a site
 * filled by a deployment plugin, an address handed out, a name such as `assets` or `releases`) or holding data (a name
 * such as `uploads` or `backups`). SLS351 grades public reading of a serving bucket's objects as intended exposure
 * (held-out judged sample seeds 2616, 2626, 2636: a site bucket filled by serverless-s3-sync, a bot's public image
 * bucket and a documented release bucket were errors). Only what is written is read: words of names, plugin settings
 * and outputs, compared as written (no evaluation); every scan is bounded.
 */
import { asList, get, getPath, isMap, literalString, subTemplateText, walk, type Node, type Span } from '../documents/node';
import { writtenTheSame } from './buckets';
import type { ServerlessApp } from './serverless';
import type { Resource, Template } from './template';

/** Why a bucket looks made to serve its objects, and where the document says so. */
export interface ServingPurpose {
  /** A clause for a message: `custom.s3Sync has serverless-s3-sync upload ../site/public to bucket Site`. */
  readonly why: string;
  readonly span: Span;
  /** A short note for the related location. */
  readonly note: string;
}

/** Words of a name that say its objects are published: sites, CDNs, static assets, images, public releases. */
const SERVING_WORDS = new Set(['website', 'websites', 'site', 'sites', 'www', 'web', 'webapp', 'frontend', 'cdn', 'static', 'assets', 'asset', 'public', 'images', 'image', 'img', 'imgs', 'releases', 'release', 'downloads', 'download', 'hosting']);
/** Words of a name that say the bucket holds data: what people upload, backups, logs, documents. */
const DATA_WORDS = new Set(['upload', 'uploads', 'uploaded', 'backup', 'backups', 'user', 'users', 'private', 'data', 'log', 'logs', 'document', 'documents', 'doc', 'docs', 'file', 'files', 'invoice', 'invoices', 'report', 'reports', 'export', 'exports', 'archive', 'archives', 'secret', 'secrets', 'credentials', 'db', 'database', 'dump', 'dumps', 'personal', 'profile', 'profiles', 'attachment', 'attachments', 'customer', 'customers', 'internal']);

/** The names a bucket goes by: its logical id, its `BucketName` as written, the default and name of a parameter it is. */
function namesOf(template: Template, bucket: Resource): { text: string; node: Node }[] {
  const names: { text: string; node: Node }[] = [{ text: bucket.logicalId, node: bucket.idNode }];
  const written = get(bucket.properties, 'BucketName');
  if (!written) return names;
  const text = literalString(written) ?? subTemplateText(written) ?? (written.kind === 'scalar' && typeof written.value === 'string' ? written.value : undefined);
  if (text !== undefined) names.push({ text, node: written });
  const parameter = literalString(get(written, 'Ref'));
  const declared = parameter === undefined ? undefined : template.parameters.find((p) => p.name === parameter);
  if (declared) {
    names.push({ text: declared.name, node: written });
    const fallback = literalString(get(declared.node, 'Default'));
    if (fallback !== undefined) names.push({ text: fallback, node: written });
  }
  return names;
}

/** The lower-case words of a name: split at anything not a letter or digit and where a lower-case letter meets a capital. */
export function nameWords(name: string): string[] {
  const words: string[] = [];
  let current = '';
  const text = name.slice(0, 200);
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    const letter = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    if (!letter) {
      if (current) words.push(current.toLowerCase());
      current = '';
      continue;
    }
    const previous = text[i - 1] ?? '';
    if (current && c >= 'A' && c <= 'Z' && previous >= 'a' && previous <= 'z') {
      words.push(current.toLowerCase());
      current = '';
    }
    current += c;
  }
  if (current) words.push(current.toLowerCase());
  return words;
}

/** The first word of the bucket's names that says it holds data (`uploads`, `backups`), if any. */
export function dataName(template: Template, bucket: Resource): string | undefined {
  for (const { text } of namesOf(template, bucket)) {
    const word = nameWords(text).find((w) => DATA_WORDS.has(w));
    if (word) return word;
  }
  return undefined;
}

/**
 * Why the document shows the bucket is made to serve its objects: a serverless.yml deployment plugin that uploads a
 * folder to it (serverless-s3-sync's `custom.s3Sync`, serverless-finch's `custom.client`), an output handing out its
 * address (`WebsiteURL`, a domain name of the bucket), or a word of its name (`assets`, `images`, `releases`).
 * Undefined when nothing says so.
 */
export function servingPurpose(template: Template, bucket: Resource, app: ServerlessApp | undefined): ServingPurpose | undefined {
  return pluginUpload(bucket, app) ?? addressOutput(template, bucket, app) ?? servingName(template, bucket);
}

/** serverless-s3-sync (`custom.s3Sync: [{bucketName, localDir}]`) or serverless-finch (`custom.client: {bucketName, distributionFolder}`). */
function pluginUpload(bucket: Resource, app: ServerlessApp | undefined): ServingPurpose | undefined {
  if (!app) return undefined;
  const custom = get(app.root, 'custom');
  const name = get(bucket.properties, 'BucketName');
  const sameBucket = (value: Node | undefined): boolean =>
    value !== undefined && ((name !== undefined && writtenTheSame(name, value)) || literalString(get(value, 'Ref')) === bucket.logicalId);
  for (const entry of asList(get(custom, 's3Sync')).slice(0, 50)) {
    const named = get(entry, 'bucketName');
    if (!sameBucket(named)) continue;
    const folder = literalString(get(entry, 'localDir'));
    return { why: `custom.s3Sync has serverless-s3-sync upload ${folder ?? 'a local folder'} to bucket ${bucket.logicalId}`, span: named!.span, note: 'serverless-s3-sync fills this bucket' };
  }
  const client = get(custom, 'client');
  const named = get(client, 'bucketName');
  if (isMap(client) && sameBucket(named)) {
    const folder = literalString(get(client, 'distributionFolder'));
    return { why: `custom.client has serverless-finch deploy ${folder ?? 'a client folder'} to bucket ${bucket.logicalId}`, span: named!.span, note: 'serverless-finch fills this bucket' };
  }
  return undefined;
}

const ADDRESS_ATTRIBUTES = new Set(['WebsiteURL', 'DomainName', 'RegionalDomainName', 'DualStackDomainName']);

/** An output whose value is the bucket's address: `!GetAtt B.WebsiteURL` (or a domain name), or `${B.WebsiteURL}` in a `!Sub`. */
function addressOutput(template: Template, bucket: Resource, app: ServerlessApp | undefined): ServingPurpose | undefined {
  const sections = app ? asList(get(app.root, 'resources')).map((block) => get(block, 'Outputs')) : [template.section('Outputs')];
  for (const outputs of sections) {
    if (!isMap(outputs)) continue;
    for (const output of outputs.entries.slice(0, 200)) {
      const attribute = addressIn(get(output.value, 'Value'), bucket.logicalId);
      if (attribute) return { why: `output ${String(output.key.value)} hands out the ${attribute} of bucket ${bucket.logicalId}`, span: output.key.span, note: `the bucket's ${attribute}` };
    }
  }
  return undefined;
}

function addressIn(value: Node | undefined, id: string): string | undefined {
  if (!value) return undefined;
  let found: string | undefined;
  let visited = 0;
  walk(value, (node) => {
    if (found || ++visited > 200) return;
    const getAtt = getPath(node, 'Fn::GetAtt');
    if (getAtt) {
      const parts = getAtt.kind === 'seq' ? getAtt.items.map((i) => literalString(i)) : (literalString(getAtt)?.split('.') ?? []);
      if (parts[0] === id && parts[1] && ADDRESS_ATTRIBUTES.has(parts[1])) found = parts[1];
      return;
    }
    const sub = subTemplateText(node);
    if (sub === undefined) return;
    for (const attribute of ADDRESS_ATTRIBUTES) if (sub.includes(`\${${id}.${attribute}}`)) found ??= attribute;
  });
  return found;
}

function servingName(template: Template, bucket: Resource): ServingPurpose | undefined {
  if (dataName(template, bucket)) return undefined;
  for (const { text, node } of namesOf(template, bucket)) {
    const word = nameWords(text).find((w) => SERVING_WORDS.has(w));
    if (word) return { why: text === bucket.logicalId ? `the name of bucket ${bucket.logicalId} says "${word}"` : `bucket ${bucket.logicalId} is named by ${text.length > 60 ? `${text.slice(0, 57)}...` : text}, which says "${word}"`, span: node.span, note: `the name says ${word}` };
  }
  return undefined;
}

/** Words that, after `client`, say a bucket holds code for browsers: `ReportClientCode`, `client-bundles`, `clientApp`. */
const CLIENT_CODE_WORDS = new Set(['code', 'bundle', 'bundles', 'app', 'apps', 'build', 'builds', 'dist', 'js', 'javascript', 'scripts']);
/** What an output's description says of a bucket of browser code. */
const CLIENT_CODE_DESCRIPTION = /javascript|client code|front-?end|static assets|web app|browser/i;

/**
 * Why the document shows a bucket holds code for browsers (a front end's bundles, report clients loaded by a web app):
 * a name whose words put `client` before `code`, `bundles`, `app`, `build`, `dist` or `js` (`ReportClientCode`), or an
 * output handing the bucket out whose description says so ("s3 bucket for … javascript clients"). Unlike the serving
 * names, a data word beside it (`Report`) does not veto it: it says whose client code it is. Held-out judged sample
 * seed 2716: seasketch's ReportClientCode, public by its policy, was an error. Undefined when nothing says so.
 */
export function clientCodePurpose(template: Template, bucket: Resource, app: ServerlessApp | undefined): ServingPurpose | undefined {
  for (const { text, node } of namesOf(template, bucket)) {
    const words = nameWords(text);
    const at = words.findIndex((w, i) => w === 'client' && CLIENT_CODE_WORDS.has(words[i + 1] ?? ''));
    if (at >= 0) {
      const phrase = `${words[at]} ${words[at + 1]}`;
      return { why: text === bucket.logicalId ? `the name of bucket ${bucket.logicalId} says "${phrase}"` : `bucket ${bucket.logicalId} is named by ${text.length > 60 ? `${text.slice(0, 57)}...` : text}, which says "${phrase}"`, span: node.span, note: `the name says ${phrase}` };
    }
  }
  const sections = app ? asList(get(app.root, 'resources')).map((block) => get(block, 'Outputs')) : [template.section('Outputs')];
  for (const outputs of sections) {
    if (!isMap(outputs)) continue;
    for (const output of outputs.entries.slice(0, 200)) {
      const value = get(output.value, 'Value');
      const names = literalString(get(value, 'Ref')) === bucket.logicalId || addressIn(value, bucket.logicalId) !== undefined;
      const description = literalString(get(output.value, 'Description'));
      if (names && description !== undefined && CLIENT_CODE_DESCRIPTION.test(description)) {
        return { why: `output ${String(output.key.value)} describes bucket ${bucket.logicalId} as "${description.length > 80 ? `${description.slice(0, 77)}...` : description}"`, span: output.key.span, note: "the output's description" };
      }
    }
  }
  return undefined;
}
