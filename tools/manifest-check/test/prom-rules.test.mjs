// `prom-rules` runs the real promtool: good rules pass, broken PromQL fails.
import test from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { findPromtool, ruleFileFor } from '../src/commands/prom-rules.mjs';
import { FIXTURES, cli } from './helpers.mjs';

test('promtool is installed (scripts/install-tools.sh)', () => {
  assert.ok(findPromtool(), 'promtool not found: run scripts/install-tools.sh');
});

test('good PrometheusRule passes', () => {
  const r = cli('prom-rules', path.join(FIXTURES, 'good'));
  assert.equal(r.status, 0, r.stdout + r.stderr);
  assert.deepEqual(r.summary, [1, 0]);
  assert.match(r.stdout, /^OK PrometheusRule\/growbin-backend .*\(2 rules found\)$/m);
});

test('broken PromQL and templates fail', () => {
  const r = cli('prom-rules', path.join(FIXTURES, 'bad-promql'));
  assert.equal(r.status, 1, r.stdout + r.stderr);
  assert.deepEqual(r.summary, [0, 1]);
  assert.match(r.stdout, /FAIL PrometheusRule\/broken-promql .*parse error/);
  assert.match(r.stdout, /noSuchFunction/);
});

test('fields unknown to an older promtool are dropped before checking', () => {
  const obj = { spec: { groups: [{ name: 'g', partial_response_strategy: 'warn', query_offset: '1m', rules: [] }] } };
  const { text, notes } = ruleFileFor(obj, [2, 42]);
  assert.doesNotMatch(text, /partial_response_strategy|query_offset/);
  assert.equal(notes.length, 2);
  assert.match(ruleFileFor(obj, [2, 55]).text, /query_offset/);
});
