// `manifest-check image --pom EFFECTIVE_POM DIR...`: the image that Jib builds
// and the Deployments that run it must agree on how the container starts.
//
// The Jib configuration (jib-maven-plugin in the effective pom, `mvn
// help:effective-pom`, so properties are resolved) or the config of a built
// image (`--image-config config.json` from a `jib:buildTar` tarball) is compared
// with every workload container of DIR...:
//   - user: the image's numeric UID[:GID] = the container's effective
//     runAsUser / runAsGroup (container securityContext over the pod's);
//   - command: the Deployment's command is the image's entrypoint: same java,
//     same -cp value, same main class, every JVM option of the entrypoint also
//     in the command (a Deployment may add per-workload options such as
//     -XX:ActiveProcessorCount=1), and nothing after the main class, so that
//     `docker run IMAGE rest waste` starts what the Pod starts;
//   - classpath: each -cp entry is a folder of Jib's exploded layout under the
//     appRoot (resources, classes, libs/*), so the classes really are there;
//   - image: the container's image repository is the one Jib pushes to;
//   - base image: a Java 17+ runtime where the tag says its version, pinned by
//     digest (image@sha256:...), so a rebuild of the same commit starts from the
//     same bytes;
//   - platforms (Jib configuration only): linux/amd64 and linux/arm64 images.
import fs from 'node:fs';
import { isObject, loadManifests, objectId } from '../load.mjs';
import { podOf } from '../k8s.mjs';
import { Report } from '../report.mjs';
import { children, child, parseXml, text } from '../xml.mjs';

export const HELP = `manifest-check image (--pom EFFECTIVE_POM | --image-config CONFIG_JSON) [options] DIR...
  Compares the container image's start with every workload container of DIR:
  numeric user UID:GID = runAsUser/runAsGroup, entrypoint = command (java,
  -cp value, main class; the entrypoint's JVM options all in the command),
  classpath inside Jib's exploded layout, image repository = Jib's to.image,
  base image Java 17+ and pinned by digest, platforms linux/amd64 and linux/arm64.
  --pom FILE           an effective pom (mvn help:effective-pom -Doutput=FILE)
                       with jib-maven-plugin configured in build/plugins
  --artifact ID        the project of a multi-project effective pom (default:
                       the one with jib-maven-plugin)
  --image-config FILE  the config JSON of a built image instead (from the
                       tarball of jib:buildTar): checks what was built
  -q, --quiet          print only FAIL lines and the summary`;

const JIB = 'jib-maven-plugin';

/** The platforms every image is built for (Jib's from.platforms). */
export const REQUIRED_PLATFORMS = ['linux/amd64', 'linux/arm64'];
const DIGEST_REFERENCE = /@sha256:[0-9a-f]{64}$/;

export function parseArgs(args) {
  const opts = { pom: null, artifact: null, imageConfig: null, quiet: false, dirs: [] };
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    const value = () => {
      if (i + 1 >= args.length) throw Object.assign(new Error(`${a} needs a value`), { usage: true });
      return args[++i];
    };
    if (a === '--pom') opts.pom = value();
    else if (a === '--artifact') opts.artifact = value();
    else if (a === '--image-config') opts.imageConfig = value();
    else if (a === '-q' || a === '--quiet') opts.quiet = true;
    else if (a.startsWith('-')) throw Object.assign(new Error(`unknown option ${a}`), { usage: true });
    else opts.dirs.push(a);
  }
  if (!opts.pom === !opts.imageConfig) throw Object.assign(new Error('give exactly one of --pom and --image-config'), { usage: true });
  if (!opts.dirs.length) throw Object.assign(new Error('no DIR given'), { usage: true });
  return opts;
}

/**
 * The image as the Jib configuration of an effective pom describes it:
 * { source, entrypoint, user, appRoot, mode, from, to } (values as written).
 */
export function imageFromPom(xmlText, artifact = null) {
  const root = parseXml(xmlText);
  const projects = root.name === 'projects' ? children(root, 'project') : [root];
  const withJib = projects
    .map((p) => ({ p, jib: children(child(child(p, 'build'), 'plugins'), 'plugin').find((pl) => text(child(pl, 'artifactId')) === JIB) }))
    .filter(({ p, jib }) => jib && (!artifact || text(child(p, 'artifactId')) === artifact));
  if (withJib.length !== 1) {
    throw new Error(withJib.length ? `${withJib.length} projects configure ${JIB}; choose one with --artifact` : `no project${artifact ? ` ${artifact}` : ''} configures ${JIB} in build/plugins`);
  }
  const { p, jib } = withJib[0];
  const conf = child(jib, 'configuration');
  const container = child(conf, 'container');
  const entry = child(container, 'entrypoint');
  return {
    source: `${text(child(p, 'artifactId'))} ${JIB} ${text(child(jib, 'version')) ?? ''}`.trim(),
    entrypoint: entry ? (entry.children.length ? entry.children.map((c) => text(c) ?? '') : (text(entry) ?? '').split(',')) : null,
    user: text(child(container, 'user')),
    appRoot: text(child(container, 'appRoot')) ?? '/app',
    mode: text(child(conf, 'containerizingMode')) ?? 'exploded',
    from: text(child(child(conf, 'from'), 'image')),
    // Jib's default without <platforms> is linux/amd64 alone
    platforms: children(child(child(conf, 'from'), 'platforms'), 'platform')
      .map((pl) => `${text(child(pl, 'os')) ?? ''}/${text(child(pl, 'architecture')) ?? ''}`),
    to: text(child(child(conf, 'to'), 'image')),
  };
}

/** The image as a built image's config JSON describes it (Jib's layout is assumed: /app, exploded). */
export function imageFromConfig(json, repoTag = null) {
  const c = isObject(json.config) ? json.config : json;
  return {
    source: 'image config',
    entrypoint: Array.isArray(c.Entrypoint) ? c.Entrypoint : null,
    user: c.User || null,
    appRoot: '/app',
    mode: 'exploded',
    from: null,
    platforms: null,
    to: repoTag,
  };
}

/** "registry/repo" of an image reference: tag and digest removed. */
export function repository(ref) {
  const noDigest = String(ref).split('@')[0];
  const slash = noDigest.lastIndexOf('/');
  const colon = noDigest.lastIndexOf(':');
  return colon > slash ? noDigest.slice(0, colon) : noDigest;
}

/** Problems of the image configuration itself (independent of the manifests). */
export function imageProblems(img) {
  const problems = [];
  if (!img.entrypoint || !img.entrypoint.length) problems.push('no container entrypoint: Jib would use java -cp @/app/jib-classpath-file, not the classpath the manifests name');
  if (!img.user) problems.push('no container user: the image would run as the base image user (root for eclipse-temurin)');
  else if (!/^\d+(:\d+)?$/.test(img.user)) problems.push(`user "${img.user}" is not numeric UID[:GID]: runAsNonRoot cannot verify a user name`);
  else if (/^0(:|$)/.test(img.user)) problems.push('user is root (UID 0)');
  if (img.mode !== 'exploded') problems.push(`containerizingMode ${img.mode}: the classes are in a jar, not in ${img.appRoot}/classes`);
  if (img.to !== null && (!img.to || img.to.includes('${'))) problems.push(`to.image "${img.to ?? ''}" is not resolved; read an effective pom (mvn help:effective-pom)`);
  for (const v of img.entrypoint ?? []) if (v.includes('${')) problems.push(`entrypoint value "${v}" is not resolved; read an effective pom`);
  if (img.from) {
    const m = /(?:temurin|openjdk|jre|jdk|java|corretto|zulu|liberica|semeru)[^:]*:(\d+)/i.exec(img.from);
    if (m && Number(m[1]) < 17) problems.push(`base image ${img.from} is Java ${m[1]}; the runtime needs 17+`);
    if (!DIGEST_REFERENCE.test(img.from)) problems.push(`base image ${img.from} is not pinned by digest (IMAGE@sha256:<64 hex digits>, the digest of its multi-platform index)`);
  }
  if (img.platforms) {
    const missing = REQUIRED_PLATFORMS.filter((p) => !img.platforms.includes(p));
    if (missing.length) problems.push(`from.platforms ${img.platforms.length ? img.platforms.join(', ') : '(none: Jib builds linux/amd64 only)'} lacks ${missing.join(', ')}`);
  }
  return problems;
}

/** The pieces of a `java [options] -cp CP MAIN [args]` command line. */
export function javaCommand(cmd) {
  if (!Array.isArray(cmd) || !cmd.length) return null;
  const i = cmd.findIndex((v) => v === '-cp' || v === '-classpath' || v === '--class-path');
  if (i < 0 || i + 2 >= cmd.length) return { java: cmd[0], options: cmd.slice(1), classpath: null, main: null, rest: [] };
  return { java: cmd[0], options: cmd.slice(1, i), classpath: cmd[i + 1], main: cmd[i + 2], rest: cmd.slice(i + 3) };
}

/** Problems of one container against the image. */
export function containerProblems(img, pod, container) {
  const problems = [];
  const [uid, gid] = (img.user ?? '').split(':');
  const sc = isObject(container.securityContext) ? container.securityContext : {};
  const psc = isObject(pod.spec.securityContext) ? pod.spec.securityContext : {};
  const runAsUser = sc.runAsUser ?? psc.runAsUser;
  const runAsGroup = sc.runAsGroup ?? psc.runAsGroup;
  if (runAsUser !== undefined && String(runAsUser) !== uid) problems.push(`runAsUser ${runAsUser}, the image's user is ${img.user ?? '(none)'}`);
  if (runAsGroup !== undefined && String(runAsGroup) !== (gid ?? '0')) problems.push(`runAsGroup ${runAsGroup}, the image's group is ${gid ?? '0 (no GID in the image user)'}`);
  if (img.to && container.image && repository(container.image) !== repository(img.to)) {
    problems.push(`image ${container.image}, but the image build pushes ${repository(img.to)}`);
  }
  if (container.command !== undefined) {
    const cmd = javaCommand(container.command);
    const ep = javaCommand(img.entrypoint);
    if (!cmd || !ep) problems.push('command or entrypoint is not a java command line');
    else {
      if (cmd.java !== ep.java) problems.push(`command runs ${cmd.java}, the entrypoint ${ep.java}`);
      if (cmd.classpath !== ep.classpath) problems.push(`classpath ${cmd.classpath ?? '(none)'}, the entrypoint's ${ep.classpath ?? '(none)'}`);
      if (cmd.main !== ep.main) problems.push(`main class ${cmd.main ?? '(none)'}, the entrypoint's ${ep.main ?? '(none)'}`);
      const missing = ep.options.filter((o) => !cmd.options.includes(o));
      if (missing.length) problems.push(`the entrypoint's JVM options ${missing.join(' ')} are not in the command (docker run would differ from the Pod)`);
      if (cmd.rest.length) problems.push(`command has ${cmd.rest.join(' ')} after the main class; arguments belong in args`);
      if (ep.rest.length) problems.push(`the entrypoint has ${ep.rest.join(' ')} after the main class; docker run IMAGE rest NAME would not work`);
    }
  }
  return problems;
}

/** Problems of the entrypoint's classpath against Jib's exploded layout. */
export function classpathProblems(img) {
  const ep = javaCommand(img.entrypoint);
  if (!ep?.classpath) return img.entrypoint?.length ? ['the entrypoint has no -cp'] : [];
  const root = img.appRoot.replace(/\/$/, '');
  const layout = [`${root}/resources`, `${root}/classes`, `${root}/libs/*`];
  const entries = ep.classpath.split(':').map((e) => e.replace(/\/$/, ''));
  const problems = entries.filter((e) => !layout.includes(e)).map((e) => `classpath entry ${e} is not a folder of Jib's layout (${layout.join(', ')})`);
  for (const l of layout) if (!entries.includes(l)) problems.push(`classpath lacks ${l}, where Jib puts the ${l.endsWith('*') ? 'dependencies' : l.split('/').pop()}`);
  return problems;
}

export async function runImage(args, io = {}) {
  const opts = parseArgs(args);
  const report = new Report({ quiet: opts.quiet, ...io });
  let img;
  const file = opts.pom ?? opts.imageConfig;
  try {
    img = opts.pom
      ? imageFromPom(fs.readFileSync(opts.pom, 'utf8'), opts.artifact)
      : imageFromConfig(JSON.parse(fs.readFileSync(opts.imageConfig, 'utf8')));
  } catch (e) {
    report.fail('Image/?', file, e.message);
    return report.finish();
  }
  const imageId = `Image/${img.to ? repository(img.to) : 'built'}`;
  const own = [...imageProblems(img), ...classpathProblems(img)];
  report.result(imageId, file, own);
  if (own.length) report.note('image: the comparison with the manifests below assumes the configuration above');

  const { entries, missing } = loadManifests(opts.dirs);
  for (const m of missing) report.fail('?/?', m, 'no such file or directory');
  let containers = 0;
  for (const e of entries) {
    if (e.error || !isObject(e.obj)) continue;
    const pod = podOf(e.obj);
    if (!pod || !isObject(pod.spec) || !Array.isArray(pod.spec.containers)) continue;
    const problems = [];
    for (const c of pod.spec.containers) {
      if (!isObject(c)) continue;
      containers++;
      for (const p of containerProblems(img, pod, c)) problems.push(`container ${c.name}: ${p}`);
    }
    if (problems.length) report.fail(objectId(e.obj), e.file, problems);
    else report.ok(objectId(e.obj), e.file, `user ${img.user}, entrypoint = command`);
  }
  if (!containers) report.fail(imageId, opts.dirs.join(' '), 'no workload containers found to compare with');
  return report.finish();
}
