#!/usr/bin/env python3
"""Peak memory of one Deployment of k8s-out/<env> under load, inside a memory cgroup that has the
Deployment's memory limit, started with exactly the Deployment's JVM options (bench/memory.sh runs it).

  memload.py run DEPLOYMENT_YAML JAVA PORT DURATION_S WORKDIR      prints one TSV line (HEADER below)

The process is started the way the kubelet starts the container: the Deployment's command (the JVM
options between `java` and `-cp`, the main class) and args, its plain env, the ConfigMap it reads
(envFrom), its Secret references filled with this machine's services. It runs
  - in a cgroup-v1 memory cgroup under this process's own one, memory.limit_in_bytes = limits.memory
    (what the JVM's container support reads, and what the kernel OOM-kills at: no -XX:MaxRAM stand-in),
  - pinned with sched_setaffinity to ceil(limits.cpu) cores (the JVM then counts that many CPUs, as it
    counts a CFS quota in the pod).
Changed for the machine only: ports (HTTP_PORT/METRICS_PORT), BIND_ADDRESS=127.0.0.1, the shutdown
timings (SHUTDOWN_*: seconds, not minutes), the OTLP endpoint (a closed local port: spans are made and
dropped, as with an unreachable collector), and the broker's virtual host ($BENCH_VHOST, isolated).

Load, by Deployment:
  waste       a token from an auth process started beside it (not measured), wrk POST /api/v1/waste
              (publishes the 4-step chain; RATE_LIMIT_REQUESTS lifted, the check still runs) then
              GET /api/v1/waste/{id}
  auth        register one account, wrk POST /login (Argon2id per request), then GET /me with its token
  users       a token from an auth process started beside it (not measured), POST its profile, then
              wrk GET and PUT /api/v1/users/{id}
  workers     TASKS Celery v2 messages of the worker's real task, with realistic arguments, on its queue;
              timed until the queue is empty
Measured: the process's peak RSS (VmHWM, the kernel's high-water mark: nothing between samples is
missed), the cgroup's peak usage (memory.max_usage_in_bytes: RSS plus the page cache of the jars it
read, which the kernel reclaims before it OOM-kills), memory.failcnt, OOM kills, whether the process
survived, and what the load achieved.
"""
import json
import math
import os
import shutil
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid

import yaml

HEADER = ("deployment\tjdk\tlimit_mib\tcpus\tjvm_options\tpeak_rss_mib\tcgroup_peak_mib\tfailcnt\toom_kills\t"
          "survived\tload")
VHOST = os.environ.get("BENCH_VHOST", "growbin-bench-memory")
REDIS_DB = int(os.environ.get("BENCH_REDIS_DB", "7"))
DATABASE = os.environ.get("BENCH_DATABASE", "growbin_bench_memory")
CONNECTIONS = int(os.environ.get("CONNECTIONS", "32"))
TASKS = int(os.environ.get("TASKS", "3000"))
BENCH = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
ROOT = os.path.dirname(BENCH)

SIGNING_KEYS = "bench=" + "b" * 48
SECRETS = {
    ("celery-secrets", "broker-url"): f"amqp://guest:guest@127.0.0.1:5672/{VHOST}",
    ("celery-secrets", "result-backend"): f"redis://127.0.0.1:6379/{REDIS_DB}",
    ("openai-secrets", "api-key"): "",  # no key: vision and llm answer with the offline classifier
    ("auth-secrets", "signing-keys"): SIGNING_KEYS,
    ("auth-database", "url"): f"jdbc:postgresql://127.0.0.1:5432/{DATABASE}",
    ("auth-database", "username"): "postgres",
    ("auth-database", "password"): "",
    ("users-database", "url"): f"jdbc:postgresql://127.0.0.1:5432/{DATABASE}",
    ("users-database", "username"): "postgres",
    ("users-database", "password"): "",
}
CLASSIFICATION = {"input": "empty PET bottle", "label": "plastic bottle", "material": "plastic",
                  "confidence": 0.92, "source": "offline"}
TASK_ARGS = {
    "preprocess.normalize": ["s3://growbin-bench/items/bottle-0001.jpg"],
    "vision.classify": ["empty PET bottle"],
    "rag.retrieve": [CLASSIFICATION],
    "llm.answer": [{"classification": CLASSIFICATION, "bin": "yellow",
                    "rules": ["Empty it first.", "Caps may stay on.", "No deposit bottles."]}],
}


def mib(quantity):
    q = str(quantity)
    for suffix, factor in (("Gi", 1024), ("Mi", 1), ("Ki", 1 / 1024)):
        if q.endswith(suffix):
            return float(q[:-len(suffix)]) * factor
    return float(q) / (1024 * 1024)


def cpus(quantity):
    q = str(quantity)
    return max(1, math.ceil(float(q[:-1]) / 1000 if q.endswith("m") else float(q)))


def memory_cgroup_root():
    with open("/proc/self/cgroup") as f:
        for line in f:
            _, controllers, path = line.rstrip("\n").split(":", 2)
            if "memory" in controllers.split(","):
                return "/sys/fs/cgroup/memory" + path
    sys.exit("no cgroup-v1 memory controller in /proc/self/cgroup")


def read(path):
    with open(path) as f:
        return f.read()


def http(method, url, body=None, token=None, timeout=30):
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(url, data=data, method=method)
    req.add_header("Content-Type", "application/json")
    if token:
        req.add_header("Authorization", "Bearer " + token)
    try:
        with urllib.request.urlopen(req, timeout=timeout) as r:
            return r.status, json.loads(r.read() or b"null")
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode(errors="replace")


def wait_ready(port, proc, timeout=180):
    end = time.time() + timeout
    while time.time() < end:
        if proc.poll() is not None:
            return False
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/ready", timeout=2) as r:
                if r.status == 200:
                    return True
        except (urllib.error.URLError, OSError):
            pass
        time.sleep(0.2)
    return False


def wrk(url, duration, script=None, lua=None, headers=(), workdir="/tmp"):
    args = ["wrk", "-t1", f"-c{CONNECTIONS}", f"-d{duration}s", "--timeout", "10s"]
    if lua is not None:
        script = os.path.join(workdir, "memload.lua")
        with open(script, "w") as f:
            f.write(lua)
    if script:
        args += ["-s", script]
    for h in headers:
        args += ["-H", h]
    out = subprocess.run(args + [url], capture_output=True, text=True, timeout=duration + 60).stdout
    reqs, non2xx, errors = 0, 0, 0
    for line in out.splitlines():
        line = line.strip()
        if "requests in" in line:
            reqs = int(line.split()[0])
        elif line.startswith("Non-2xx or 3xx responses:"):
            non2xx = int(line.split(":")[1])
        elif line.startswith("Socket errors:"):
            errors = sum(int(p.split()[1]) for p in line.split(":", 1)[1].split(","))
    return reqs, non2xx, errors


class Deployment:
    def __init__(self, path):
        self.path = path
        self.doc = yaml.safe_load(read(path))
        pod = self.doc["spec"]["template"]["spec"]
        c = pod["containers"][0]
        cmd = c["command"]
        i = cmd.index("-cp")
        self.java_options = cmd[1:i]
        self.main = cmd[i + 2]
        self.args = c["args"]
        self.kind, self.name = self.args[0], self.args[1]
        self.limit_mib = mib(c["resources"]["limits"]["memory"])
        self.cpus = cpus(c["resources"]["limits"]["cpu"])
        env = {}
        env_dir = os.path.dirname(os.path.dirname(os.path.dirname(path)))
        for ref in c.get("envFrom", []):
            name = ref["configMapRef"]["name"]
            cm = yaml.safe_load(read(os.path.join(env_dir, "infrastructure", "configmap.yaml")))
            assert cm["metadata"]["name"] == name, f"envFrom {name}: not infrastructure/configmap.yaml"
            env.update({k: str(v) for k, v in cm["data"].items()})
        for e in c.get("env", []):
            if "value" in e:
                env[e["name"]] = str(e["value"])
            else:
                ref = e["valueFrom"]["secretKeyRef"]
                env[e["name"]] = SECRETS[(ref["name"], ref["key"])]
        self.env = env


def start(dep, java, port, classpath, log, cgroup=None, options=None):
    env = dict(os.environ)
    env.update(dep.env)
    env.update({"HTTP_PORT": str(port), "METRICS_PORT": str(port), "BIND_ADDRESS": "127.0.0.1",
                "SHUTDOWN_DRAIN_SECONDS": "0", "SHUTDOWN_GRACE_SECONDS": "3"})
    if dep.name == "waste":   # one bench user sends far more than a user's budget: lift the limit, keep the check
        env["RATE_LIMIT_REQUESTS"] = "100000000"
    if "OTEL_EXPORTER_OTLP_ENDPOINT" in env:
        env["OTEL_EXPORTER_OTLP_ENDPOINT"] = "http://127.0.0.1:9"
    opts = dep.java_options if options is None else options
    cores = set(range(min(dep.cpus, os.cpu_count())))

    def enter():
        os.setsid()
        if cgroup:
            with open(os.path.join(cgroup, "cgroup.procs"), "w") as f:
                f.write(str(os.getpid()))
        os.sched_setaffinity(0, cores)

    return subprocess.Popen([java] + opts + ["-cp", classpath, dep.main] + dep.args, env=env,
                            stdout=log, stderr=subprocess.STDOUT, preexec_fn=enter)


def stop(proc):
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(30)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()


def peak_rss_mib(pid):
    for line in read(f"/proc/{pid}/status").splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def load_waste(port, duration, workdir, token):
    base = f"http://127.0.0.1:{port}/api/v1/waste"
    bearer = [f"Authorization: Bearer {token}"]
    posts = wrk(base, duration, script=os.path.join(BENCH, "lib", "post.lua"), headers=bearer, workdir=workdir)
    status, answer = http("POST", base, {"imageRef": "s3://growbin-bench/items/bottle-0002.jpg"}, token=token)
    assert status == 202, f"POST /api/v1/waste: {status} {answer}"
    gets = wrk(f"{base}/{answer['taskId']}", duration, headers=bearer, workdir=workdir)
    return f"POST {posts[0]} req ({posts[1]} non-2xx, {posts[2]} socket errors); GET {gets[0]} req ({gets[1]} non-2xx)"


def account(auth_port):
    base = f"http://127.0.0.1:{auth_port}/api/v1/auth"
    user = "bench" + uuid.uuid4().hex[:12]
    password = "correct horse battery " + user
    status, answer = http("POST", base + "/register", {"username": user, "email": user + "@example.com",
                                                      "password": password}, timeout=60)
    assert status == 201, f"register: {status} {answer}"
    status, answer = http("POST", base + "/login", {"username": user, "password": password}, timeout=60)
    assert status == 200, f"login: {status} {answer}"
    return user, password, answer["accessToken"]


def load_auth(port, duration, workdir):
    user, password, token = account(port)
    body = json.dumps({"username": user, "password": password}).replace("'", "\\'")
    logins = wrk(f"http://127.0.0.1:{port}/api/v1/auth/login", duration, workdir=workdir,
                 lua=f"wrk.method = 'POST'\nwrk.body = '{body}'\nwrk.headers['Content-Type'] = 'application/json'\n")
    mes = wrk(f"http://127.0.0.1:{port}/api/v1/auth/me", duration, headers=[f"Authorization: Bearer {token}"],
              workdir=workdir)
    return f"login {logins[0]} req ({logins[1]} non-2xx); me {mes[0]} req ({mes[1]} non-2xx)"


def load_users(port, duration, workdir, token):
    base = f"http://127.0.0.1:{port}/api/v1/users"
    email = "bench" + uuid.uuid4().hex[:12] + "@example.com"   # e-mail addresses are unique across profiles
    status, answer = http("POST", base, {"name": "Bench User", "email": email}, token=token)
    assert status in (200, 201), f"create profile: {status} {answer}"
    uid = answer["id"]
    # wrk.format's headers replace wrk.headers (the Authorization header of -H): copy them
    lua = ("local n = 0\nrequest = function()\n  n = n + 1\n"
           "  if n % 2 == 0 then return wrk.format('GET') end\n"
           "  local h = {}\n  for k, v in pairs(wrk.headers) do h[k] = v end\n  h['Content-Type'] = 'application/json'\n"
           "  return wrk.format('PUT', nil, h, "
           f"'{{\"name\": \"Bench User ' .. n .. '\", \"email\": \"{email}\"}}')\nend\n")
    mixed = wrk(f"{base}/{uid}", duration, lua=lua, headers=[f"Authorization: Bearer {token}"], workdir=workdir)
    return f"GET+PUT {mixed[0]} req ({mixed[1]} non-2xx)"


def load_worker(dep, timeout=600):
    sys.path.insert(0, BENCH)
    import amqp
    from celery_app import app
    queue = dep.env["QUEUE_NAME"]
    task = {"preprocess": "preprocess.normalize", "vision": "vision.classify", "rag": "rag.retrieve",
            "llm": "llm.answer"}[dep.name]
    c = amqp.Connection(host="127.0.0.1:5672", userid="guest", password="guest", virtual_host=VHOST)
    c.connect()
    ch = c.channel()
    ids = []
    t0 = time.time()
    for _ in range(TASKS):
        tid = str(uuid.uuid4())
        m = app.amqp.as_task_v2(tid, task, args=TASK_ARGS[task])
        props = {"content_type": "application/json", "content_encoding": "utf-8", "delivery_mode": 2,
                 "priority": 0, "correlation_id": tid, "application_headers": m.headers}
        ch.basic_publish(amqp.Message(json.dumps(m.body).encode(), **props), exchange="", routing_key=queue)
        ids.append(tid)
    while time.time() < t0 + timeout:
        q = ch.queue_declare(queue, passive=True)
        if q.message_count == 0 and q.consumer_count > 0:
            break
        time.sleep(0.2)
    left = ch.queue_declare(queue, passive=True).message_count
    elapsed = time.time() - t0
    import redis
    r = redis.Redis(host="127.0.0.1", port=6379, db=REDIS_DB)
    done = sum(1 for i in range(0, len(ids), 500) for v in r.mget([f"celery-task-meta-{x}" for x in ids[i:i + 500]])
               if v and b'"SUCCESS"' in v)
    for i in range(0, len(ids), 1000):
        r.delete(*[f"celery-task-meta-{x}" for x in ids[i:i + 1000]])
    c.close()
    return f"{TASKS} {task} in {elapsed:.1f} s, {done} SUCCESS, {left} left"


def run(path, java, port, duration, workdir):
    dep = Deployment(path)
    classpath = read(os.path.join(workdir, "classpath.txt")).strip()
    jdk = "jdk" + subprocess.run([java, "-XshowSettings:properties", "-version"], capture_output=True,
                                 text=True).stderr.split("java.specification.version = ")[1].split()[0]
    options = os.environ.get("JVM_OPTIONS")   # experiments only: replaces the Deployment's options
    options = options.split() if options else None
    cg = os.path.join(memory_cgroup_root(), f"growbin-bench-{os.getpid()}-{dep.name}")
    os.mkdir(cg)
    helper = None
    proc = None
    try:
        with open(os.path.join(cg, "memory.limit_in_bytes"), "w") as f:
            f.write(str(int(dep.limit_mib * 1024 * 1024)))
        with open(os.path.join(cg, "memory.swappiness"), "w") as f:
            f.write("0")
        token = None
        if dep.name in ("users", "waste"):   # a token of the auth service, which signs with the same keys
            auth = Deployment(os.path.join(os.path.dirname(path), "auth-deployment.yaml"))
            with open(os.path.join(workdir, "memory-auth-helper.log"), "w") as log:
                helper = start(auth, java, port + 1, classpath, log, options=["-Xmx256m"])
            assert wait_ready(port + 1, helper), "the auth helper did not start"
            token = account(port + 1)[2]
        with open(os.path.join(workdir, f"memory-{dep.name}-{jdk}.log"), "w") as log:
            proc = start(dep, java, port, classpath, log, cg, options)
        if not wait_ready(port, proc):
            load = f"did not become ready (exit {proc.poll()}; {workdir}/memory-{dep.name}-{jdk}.log)"
        elif dep.kind == "worker":
            load = load_worker(dep)
        elif dep.name == "waste":
            load = load_waste(port, duration, workdir, token)
        elif dep.name == "auth":
            load = load_auth(port, duration, workdir)
        elif dep.name == "users":
            load = load_users(port, duration, workdir, token)
        else:
            load = "no load defined"
        survived = proc.poll() is None
        rss = peak_rss_mib(proc.pid) if survived else float("nan")
        if survived and os.environ.get("NMT_REPORT"):   # with -XX:NativeMemoryTracking=summary in JVM_OPTIONS
            jcmd = os.path.join(os.path.dirname(os.path.realpath(java if "/" in java else shutil.which(java))), "jcmd")
            with open(os.environ["NMT_REPORT"], "w") as f:
                subprocess.run([jcmd, str(proc.pid), "VM.native_memory", "summary"], stdout=f, timeout=30)
        stop(proc)
        cg_peak = int(read(os.path.join(cg, "memory.max_usage_in_bytes"))) / (1024 * 1024)
        failcnt = int(read(os.path.join(cg, "memory.failcnt")))
        oom = dict(line.split() for line in read(os.path.join(cg, "memory.oom_control")).splitlines())
        print("\t".join([dep.name, jdk, f"{dep.limit_mib:.0f}", str(dep.cpus), " ".join(options or dep.java_options),
                         f"{rss:.1f}", f"{cg_peak:.1f}", str(failcnt), oom.get("oom_kill", "?"),
                         "yes" if survived else f"no (exit {proc.returncode})", load]))
    finally:
        for p in (proc, helper):
            if p is not None:
                stop(p)
        for _ in range(50):
            try:
                os.rmdir(cg)
                break
            except OSError:
                time.sleep(0.1)


if __name__ == "__main__":
    if sys.argv[1:2] == ["header"]:
        print(HEADER)
    elif sys.argv[1:2] == ["run"] and len(sys.argv) == 7:
        run(sys.argv[2], sys.argv[3], int(sys.argv[4]), int(sys.argv[5]), sys.argv[6])
    else:
        sys.exit(__doc__)
