// `manifest-check practices PATH...`: best-practice checks over all the
// objects under PATH taken together (so references between them are followed).
import { loadManifests, objectId } from '../load.mjs';
import { Report } from '../report.mjs';
import { annotationsOf } from '../k8s.mjs';
import { CHECKS, CHECK_IDS } from '../practices/checks.mjs';
import { ManifestIndex } from '../practices/index.mjs';

/** Per-object opt-out: annotation `skip.manifest-check.growbin.app/<check-id>: <reason>`. */
export const SKIP_ANNOTATION_PREFIX = 'skip.manifest-check.growbin.app/';

export const HELP = `manifest-check practices [options] PATH...
  Best-practice checks (security context, resources, probes, images, credentials,
  PDB/HPA/Service/Ingress/monitor references, recommended labels).
  --skip ID=REASON    do not run check ID (repeatable); the reason is printed
  --list              list the check ids
  -q, --quiet         print only FAIL lines and the summary
  Per object: annotation ${SKIP_ANNOTATION_PREFIX}<ID>: "<reason>"`;

export function parsePracticesArgs(args) {
  const opts = { skip: new Map(), quiet: false, list: false, paths: [] };
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '--skip' || a.startsWith('--skip=')) {
      const spec = a === '--skip' ? args[++i] : a.slice('--skip='.length);
      const m = /^([a-z0-9-]+)=(.*\S.*)$/.exec(spec || '');
      if (!m) throw usage(`--skip wants ID=REASON (a reason is required), got "${spec ?? ''}"`);
      if (!CHECK_IDS.has(m[1])) throw usage(`--skip: unknown check id "${m[1]}" (see --list)`);
      opts.skip.set(m[1], m[2].trim());
    } else if (a === '--list') opts.list = true;
    else if (a === '-q' || a === '--quiet') opts.quiet = true;
    else if (a.startsWith('-')) throw usage(`unknown option ${a}`);
    else opts.paths.push(a);
  }
  if (!opts.paths.length && !opts.list) throw usage('no PATH given');
  return opts;
}

const usage = (message) => Object.assign(new Error(message), { usage: true });

/** Run every applicable check on each object: [{ entry, problems: [[id, msg]], skipped: [[id, reason]] }]. */
export function checkObjects(entries, skip = new Map()) {
  const ix = new ManifestIndex(entries.map((e) => e.obj));
  const results = [];
  for (const entry of entries) {
    const obj = entry.obj;
    const checks = CHECKS.filter((c) => c.kinds.includes(obj?.kind));
    if (!checks.length) continue; // nothing to say about this kind
    const annotations = annotationsOf(obj);
    const problems = [];
    const skipped = [];
    for (const check of checks) {
      const reason = skip.get(check.id) ?? annotations[SKIP_ANNOTATION_PREFIX + check.id];
      if (reason !== undefined) {
        skipped.push([check.id, reason]);
        continue;
      }
      for (const msg of check.run(obj, ix)) problems.push([check.id, msg]);
    }
    results.push({ entry, problems, skipped });
  }
  return results;
}

export async function runPractices(args, io = {}) {
  const opts = parsePracticesArgs(args);
  if (opts.list) {
    for (const c of CHECKS) console.log(`${c.id.padEnd(28)} ${c.description} [${c.kinds.join(', ')}]`);
    return 0;
  }
  const report = new Report({ quiet: opts.quiet, ...io });
  for (const [id, reason] of opts.skip) report.note(`SKIP check ${id}: ${reason}`);
  const { entries, skipped, missing } = loadManifests(opts.paths);
  for (const m of missing) report.fail('?/?', m, 'no such file or directory');
  for (const s of skipped) report.note(`SKIP ${s.file}: ${s.reason}`);
  for (const e of entries.filter((x) => x.error)) report.fail('?/?', e.file, `document ${e.doc} (line ${e.line}): ${e.error}`);
  const objects = entries.filter((x) => !x.error);
  for (const { entry, problems, skipped: off } of checkObjects(objects, opts.skip)) {
    const id = objectId(entry.obj);
    for (const [check, reason] of off.filter(([c]) => !opts.skip.has(c))) report.note(`SKIP check ${check} on ${id} ${entry.file}: ${reason}`);
    if (problems.length) report.fail(id, entry.file, problems.map(([check, msg]) => `[${check}] ${msg}`));
    else report.ok(id, entry.file);
  }
  if (report.passed + report.failed === 0) report.fail('?/?', opts.paths.join(' '), 'nothing to check (no workload, Service, Ingress, HPA, PDB or monitor found)');
  return report.finish();
}
