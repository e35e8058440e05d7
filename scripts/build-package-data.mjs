// Builds server/src/engine/data/deprecated-packages.generated.ts: the packages a Lambda function
// should not ship (end of support, deprecated, unmaintained), as the engine reads them (no network at
// run time: the table is committed).
//
// Two kinds of input:
// - FACTS below: a curated list, chosen for Lambda (SDKs, HTTP clients, tracing, Express adapters,
//   crypto, ids), each with the maintainers' or AWS's own statement as its source and the dates that
//   statement gives. A fact without a statement we could cite is not listed.
// - The registries, asked at build time: `npm view <pkg> deprecated dist-tags.latest --json` (for a
//   version-ranged entry `npm view <pkg>@<N deprecated --json`) and PyPI's JSON API for the
//   latest release. Their answers are recorded beside each fact with the day asked: the npm
//   deprecation message is shown in findings when the registry gives one. A registry that answers
//   nothing (offline, or a mirror that strips the `deprecated` field — the build machine of
//   2026-12-06 has such a mirror and no PyPI) is recorded as `null`, never guessed.
//
// Run: node scripts/build-package-data.mjs            ask the registries, write the table
//      node scripts/build-package-data.mjs --offline  reuse the registry answers already in the table
//      node scripts/build-package-data.mjs --check    --offline, write nothing, exit 1 when the file differs
// Licence of the output: facts (names, dates, URLs) and short deprecation notices quoted from the
// registries with their source; no package code or documentation text is copied.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const output = process.env.PACKAGE_DATA_OUTPUT ?? join(root, 'server/src/engine/data/deprecated-packages.generated.ts');
const check = process.argv.includes('--check');
const offline = check || process.argv.includes('--offline');

const XRAY_EOS = 'https://docs.aws.amazon.com/xray/latest/devguide/xray-daemon-eos.html';
const XRAY = { status: 'maintenance', since: '2026-02-25', endOfSupport: '2027-02-25', instead: 'OpenTelemetry (AWS Distro for OpenTelemetry or the OpenTelemetry SDK with the X-Ray exporter)', source: XRAY_EOS };
const FETCH = 'the built-in `fetch` of Node.js 18 and later';

/** The curated facts. `majorsBelow`: only versions whose major is below it are concerned. */
const FACTS = [
  { ecosystem: 'npm', name: 'aws-sdk', status: 'end-of-support', since: '2025-09-08', instead: 'the AWS SDK for JavaScript v3 clients (`@aws-sdk/client-*`)', source: 'https://aws.amazon.com/blogs/developer/announcing-end-of-support-for-aws-sdk-for-javascript-v2/' },
  { ecosystem: 'npm', name: 'aws-serverless-express', status: 'deprecated', since: '2020-11-30', instead: '`@codegenie/serverless-express` (formerly `@vendia/serverless-express`)', source: 'https://github.com/CodeGenieApp/serverless-express/issues/314' },
  { ecosystem: 'npm', name: 'aws-xray-sdk', ...XRAY },
  { ecosystem: 'npm', name: 'aws-xray-sdk-core', ...XRAY },
  { ecosystem: 'npm', name: 'node-uuid', status: 'deprecated', instead: '`crypto.randomUUID()` or `uuid` 7 or later', source: 'https://www.npmjs.com/package/node-uuid' },
  { ecosystem: 'npm', name: 'request', status: 'deprecated', since: '2020-02-11', instead: FETCH, source: 'https://github.com/request/request/issues/3142' },
  { ecosystem: 'npm', name: 'request-promise', status: 'deprecated', since: '2020-02-11', instead: FETCH, source: 'https://github.com/request/request-promise#readme' },
  { ecosystem: 'npm', name: 'request-promise-native', status: 'deprecated', since: '2020-02-11', instead: FETCH, source: 'https://github.com/request/request-promise-native/issues/57' },
  // npm's notice on uuid 2–6: "Please upgrade to version 7 or higher. Older versions may use Math.random() …"
  // (quoted in aws/aws-sdk-js#4066 and many more).
  { ecosystem: 'npm', name: 'uuid', majorsBelow: 7, status: 'deprecated', instead: '`uuid` 7 or later, or `crypto.randomUUID()`: older versions may fall back to `Math.random()`', source: 'https://github.com/aws/aws-sdk-js/issues/4066' },
  { ecosystem: 'pypi', name: 'aws-xray-sdk', ...XRAY },
  // boto 2.49.0 (released 2018-07-11) is the last release; its README: "Going forward, API updates and
  // all new feature work will be focused on Boto3."
  { ecosystem: 'pypi', name: 'boto', status: 'unmaintained', since: '2018-07-11', instead: '`boto3`', source: 'https://github.com/boto/boto#readme' },
  // PyCrypto's last release is 2.6.1; CVE-2013-7459 (heap overflow in ALGnew) was never fixed in a release.
  { ecosystem: 'pypi', name: 'pycrypto', status: 'unmaintained', instead: '`pycryptodome` or `cryptography`', source: 'https://nvd.nist.gov/vuln/detail/CVE-2013-7459' },
];

const BEGIN = '// <table>';
const END = '// </table>';

function previousAnswers() {
  if (!existsSync(output)) return new Map();
  const text = readFileSync(output, 'utf8');
  const start = text.indexOf(BEGIN);
  const end = text.indexOf(END);
  if (start < 0 || end < 0) return new Map();
  const body = text.slice(start + BEGIN.length, end).replace(/^\s*export const GENERATED_PACKAGES[^=]*=/, '').trim().replace(/;$/, '');
  const table = JSON.parse(body);
  return new Map(table.packages.map((p) => [`${p.ecosystem}:${p.name}`, p.registry]));
}

/** One field of `npm view`, one call per field (with several fields, a lone answer does not say which it is). */
function npmView(spec, field) {
  try {
    const out = execFileSync('npm', ['view', spec, field, '--json'], { encoding: 'utf8', timeout: 60_000, stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    if (!out) return { value: null };
    const parsed = JSON.parse(out);
    // A version range answers one value per version; the newest is last.
    const value = Array.isArray(parsed) ? parsed.at(-1) : parsed;
    return { value: typeof value === 'string' ? value : null };
  } catch {
    return undefined;
  }
}

async function pypiLatest(name) {
  try {
    const response = await fetch(`https://pypi.org/pypi/${name}/json`, { signal: AbortSignal.timeout(20_000) });
    if (!response.ok) return undefined;
    const json = await response.json();
    const version = json.info?.version;
    const uploaded = json.releases?.[version]?.[0]?.upload_time?.slice(0, 10);
    return version ? { latest: version, latestReleased: uploaded ?? null } : undefined;
  } catch {
    return undefined;
  }
}

async function ask(fact, today) {
  if (fact.ecosystem === 'npm') {
    const spec = fact.majorsBelow ? `${fact.name}@<${fact.majorsBelow}` : fact.name;
    const latest = npmView(fact.name, 'dist-tags.latest');
    const deprecated = latest && npmView(spec, 'deprecated');
    if (!latest || !deprecated) return { asked: today, registry: 'npm', answered: false, deprecated: null, latest: null };
    return { asked: today, registry: 'npm', answered: true, deprecated: deprecated.value, latest: latest.value };
  }
  const answer = await pypiLatest(fact.name);
  return { asked: today, registry: 'pypi', answered: answer !== undefined, latest: answer?.latest ?? null, latestReleased: answer?.latestReleased ?? null };
}

const today = new Date().toISOString().slice(0, 10);
const previous = previousAnswers();
const packages = [];
for (const fact of FACTS) {
  const key = `${fact.ecosystem}:${fact.name}`;
  const registry = offline ? previous.get(key) ?? null : await ask(fact, today);
  packages.push({ ...fact, registry });
}
const asked = packages.map((p) => p.registry?.asked).filter(Boolean).sort().at(-1) ?? null;
const table = {
  builtBy: 'scripts/build-package-data.mjs',
  registriesAsked: asked,
  sources: 'curated facts with each entry\'s source (AWS documentation and blogs, the maintainers\' repositories, NVD); registry answers from registry.npmjs.org and pypi.org as recorded per entry',
  license: 'facts and short registry notices with their sources; no package code or documentation copied',
  packages,
};
const text = [
  '// Generated by scripts/build-package-data.mjs (curated facts + registry answers). Do not edit:',
  '// change the script and run it (`--offline` keeps the recorded registry answers).',
  "import type { GeneratedPackageTable } from './deprecated-packages';",
  '',
  BEGIN,
  `export const GENERATED_PACKAGES: GeneratedPackageTable = ${JSON.stringify(table, null, 2)};`,
  END,
  '',
].join('\n');

if (check) {
  const current = existsSync(output) ? readFileSync(output, 'utf8') : '';
  if (current !== text) {
    console.error(`${output} is stale: run node scripts/build-package-data.mjs --offline`);
    process.exit(1);
  }
} else {
  writeFileSync(output, text);
  const answered = packages.filter((p) => p.registry?.answered).length;
  const notices = packages.filter((p) => p.registry?.deprecated).length;
  console.log(`deprecated packages: ${packages.length} entries; registries answered for ${answered}, npm deprecation notices for ${notices}`);
}
