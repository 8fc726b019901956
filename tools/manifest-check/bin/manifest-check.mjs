#!/usr/bin/env node
// manifest-check: the Growbin project's own offline checks of generated
// Kubernetes manifests. See docs/manifest-checks.md.
//
//   manifest-check validate   PATH...   strict schema + API-server rules
//   manifest-check k8s-versions PATH... each supported Kubernetes release's own schema, removed/deprecated APIs
//   manifest-check practices  PATH...   best practices and cross-object references
//   manifest-check prom-rules PATH...   promtool check rules on every PrometheusRule
//   manifest-check prom-test ENV_DIR... promtool test rules with <output>-tests/<env>.test.yaml
//   manifest-check layout OUTPUT_DIR... only environments, argocd/, helm/, README.md; only whole objects in an environment
//   manifest-check dashboards PATH...   Grafana dashboards: @grafana/schema (tsc) and promtool on every query
//   manifest-check kustomize DIR...     kubectl kustomize DIR yields exactly the objects of DIR's files
//   manifest-check image --pom POM DIR...  the image's user and entrypoint = the Deployments' (Jib config)
//   manifest-check helm-compare CHART ENV_DIR...  helm lint; helm template = ENV_DIR, object by object
//   manifest-check mermaid FILE...      every mermaid block of a Markdown file parses (k8s-out/README.md)
//
// Exit codes: 0 all passed, 1 something failed, 2 usage or setup error.
import { HELP as VALIDATE_HELP, runValidate } from '../src/commands/validate.mjs';
import { HELP as K8S_VERSIONS_HELP, runK8sVersions } from '../src/commands/k8s-versions.mjs';
import { HELP as PRACTICES_HELP, runPractices } from '../src/commands/practices.mjs';
import { HELP as PROM_HELP, runPromRules } from '../src/commands/prom-rules.mjs';
import { HELP as PROM_TEST_HELP, runPromTest } from '../src/commands/prom-test.mjs';
import { HELP as DASHBOARDS_HELP, runDashboards } from '../src/commands/dashboards.mjs';
import { HELP as KUSTOMIZE_HELP, runKustomize } from '../src/commands/kustomize.mjs';
import { HELP as IMAGE_HELP, runImage } from '../src/commands/image.mjs';
import { HELP as HELM_COMPARE_HELP, runHelmCompare } from '../src/commands/helm-compare.mjs';
import { HELP as MERMAID_HELP, runMermaid } from '../src/commands/mermaid.mjs';
import { HELP as LAYOUT_HELP, runLayout } from '../src/commands/layout.mjs';

const COMMANDS = {
  validate: [runValidate, VALIDATE_HELP],
  'k8s-versions': [runK8sVersions, K8S_VERSIONS_HELP],
  practices: [runPractices, PRACTICES_HELP],
  'prom-rules': [runPromRules, PROM_HELP],
  'prom-test': [runPromTest, PROM_TEST_HELP],
  dashboards: [runDashboards, DASHBOARDS_HELP],
  kustomize: [runKustomize, KUSTOMIZE_HELP],
  image: [runImage, IMAGE_HELP],
  'helm-compare': [runHelmCompare, HELM_COMPARE_HELP],
  mermaid: [runMermaid, MERMAID_HELP],
  layout: [runLayout, LAYOUT_HELP],
};

const USAGE = `usage: manifest-check COMMAND [options] PATH...

${Object.values(COMMANDS).map(([, h]) => h).join('\n\n')}

Output: "OK kind/name file" or "FAIL kind/name file: reason" per object and a
last line "N passed, M failed". Exit 0 if all passed, 1 if any failed, 2 on a
usage or setup error.`;

async function main(argv) {
  const [command, ...args] = argv;
  if (!command || command === '-h' || command === '--help' || command === 'help') {
    console.log(USAGE);
    return command ? 0 : 2;
  }
  const entry = COMMANDS[command];
  if (!entry) {
    console.error(`manifest-check: unknown command "${command}"\n\n${USAGE}`);
    return 2;
  }
  if (args.includes('-h') || args.includes('--help')) {
    console.log(entry[1]);
    return 0;
  }
  try {
    return await entry[0](args);
  } catch (e) {
    if (e.usage) {
      console.error(`manifest-check ${command}: ${e.message}\n\n${entry[1]}`);
    } else {
      console.error(`manifest-check ${command}: ${e.stack || e}`);
    }
    return 2;
  }
}

process.exitCode = await main(process.argv.slice(2));
