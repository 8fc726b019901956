import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { parseDocuments } from '../src/load.mjs';

export const HERE = path.dirname(fileURLToPath(import.meta.url));
export const FIXTURES = path.join(HERE, 'fixtures');
const CLI = path.join(HERE, '..', 'bin', 'manifest-check.mjs');

/** Run the CLI: { status, stdout, stderr, lines, summary: [passed, failed] }. */
export function cli(...args) {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8' });
  const lines = r.stdout.trim().split('\n');
  const m = /^(\d+) passed, (\d+) failed$/.exec(lines.at(-1));
  return { status: r.status, stdout: r.stdout, stderr: r.stderr, lines, summary: m ? [Number(m[1]), Number(m[2])] : null };
}

/** The objects of the good fixture set, freshly parsed (safe to mutate). */
export function goodObjects() {
  const dir = path.join(FIXTURES, 'good');
  return fs.readdirSync(dir).sort()
    .filter((f) => f !== 'kustomization.yaml')
    .flatMap((f) => parseDocuments(fs.readFileSync(path.join(dir, f), 'utf8')).map((d) => d.value));
}

export const find = (objects, kind, namePart = '') => objects.find((o) => o.kind === kind && o.metadata.name.includes(namePart));

/** Write objects as a multi-document YAML file in a fresh temp dir; returns the dir. */
export function writeTemp(objects) {
  const dir = fs.mkdtempSync(path.join(fs.realpathSync(process.env.TMPDIR || '/tmp'), 'mc-test-'));
  fs.writeFileSync(path.join(dir, 'objects.yaml'), objects.map((o) => JSON.stringify(o, null, 2)).join('\n---\n'));
  return dir;
}
