// `dashboards` type-checks the dashboard JSON against @grafana/schema with the
// real TypeScript compiler and every query with the real promtool: the
// generated dashboard passes, and each kind of mistake fails with its reason.
import test from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import { FIXTURES, cli, writeTemp } from './helpers.mjs';

const FIXTURE = path.join(FIXTURES, 'dashboards');

function configMap() {
  return YAML.parse(fs.readFileSync(path.join(FIXTURE, 'grafana-dashboard.yaml'), 'utf8'));
}

/** The fixture with its dashboard changed by `change`, checked. */
function checkChanged(change) {
  const map = configMap();
  const [key] = Object.keys(map.data);
  const dashboard = JSON.parse(map.data[key]);
  change(dashboard);
  map.data[key] = JSON.stringify(dashboard, null, 2);
  const dir = writeTemp([map]);
  try {
    return cli('dashboards', dir);
  } finally {
    fs.rmSync(dir, { recursive: true });
  }
}

const timeseries = (d) => d.panels.find((p) => p.type === 'timeseries');

test('the generated dashboard passes the schema, the structure and promtool', () => {
  const r = cli('dashboards', FIXTURE);
  assert.equal(r.status, 0, r.stdout + r.stderr);
  assert.deepEqual(r.summary, [1, 0]);
  assert.match(r.stdout, /^OK ConfigMap\/shop-dashboard\[shop-dev\.json\] .*\(12 panels, 10 queries: @grafana\/schema and promtool accept them\)$/m);
});

test('an unknown dashboard key, a wrong type and a missing required key fail the schema', () => {
  const unknown = checkChanged((d) => {
    d.refreshEvery = '30s';
  });
  assert.equal(unknown.status, 1, unknown.stdout);
  assert.match(unknown.stdout, /schema \(dashboard\): TS2353: Object literal may only specify known properties, and '"refreshEvery"' does not exist/);
  const wrongType = checkChanged((d) => {
    d.schemaVersion = '39';
  });
  assert.equal(wrongType.status, 1, wrongType.stdout);
  assert.match(wrongType.stdout, /schema \(dashboard\): TS2322: Type 'string' is not assignable to type 'number'/);
  const missing = checkChanged((d) => delete d.schemaVersion);
  assert.equal(missing.status, 1, missing.stdout);
  assert.match(missing.stdout, /Property 'schemaVersion' is missing/);
});

test('a time series panel option outside the panel schema fails', () => {
  const r = checkChanged((d) => {
    timeseries(d).options.legend.displayMode = 'sideways';
    timeseries(d).fieldConfig.defaults.custom.lineWidthPx = 2;
  });
  assert.equal(r.status, 1, r.stdout);
  assert.match(r.stdout, /schema \(dashboard panel 2 options\): TS2322: Type '"sideways"' is not assignable to type '"list" \| /);
  assert.match(r.stdout, /schema \(dashboard panel 2 custom\): TS2353: .*'"lineWidthPx"' does not exist/);
});

test('a query promtool cannot parse fails with its panel', () => {
  const r = checkChanged((d) => {
    timeseries(d).targets[0].expr = 'sum(rate(http_requests_total[5m])';
  });
  assert.equal(r.status, 1, r.stdout);
  assert.match(r.stdout, /PromQL of panel_2_A: .*unclosed left parenthesis/);
});

test('duplicate panel ids, a panel outside the grid and an unknown data source variable fail', () => {
  const r = checkChanged((d) => {
    d.panels[3].id = d.panels[2].id;
    d.panels[4].gridPos.x = 20;
    d.templating.list = [];
  });
  assert.equal(r.status, 1, r.stdout);
  assert.match(r.stdout, /id \d+ is used twice/);
  assert.match(r.stdout, /gridPos .* is not inside the 24-column grid/);
  assert.match(r.stdout, /data source \$\{datasource\} is no dashboard variable/);
});

test('a dashboard that is not JSON fails; usage errors exit 2', () => {
  const map = configMap();
  map.data[Object.keys(map.data)[0]] = '{"title": ';
  const dir = writeTemp([map]);
  try {
    const r = cli('dashboards', dir);
    assert.equal(r.status, 1, r.stdout);
    assert.match(r.stdout, /not JSON/);
  } finally {
    fs.rmSync(dir, { recursive: true });
  }
  assert.equal(cli('dashboards').status, 2);
  assert.equal(cli('dashboards', '--bogus', FIXTURE).status, 2);
});
