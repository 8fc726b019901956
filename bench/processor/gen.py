#!/usr/bin/env python3
"""Writes a javac input tree: M plain classes, N @RestService classes, one Dekorate
@KubernetesApplication class, and the values files (dev and prod) the Growbin processor reads.

usage: gen.py <out-dir> <N> <M>
"""
import os
import sys

out, n, m = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
src = os.path.join(out, "src")
pkg = os.path.join(src, "bench", "gen")
os.makedirs(pkg, exist_ok=True)

def write(name, text):
    with open(os.path.join(pkg, name + ".java"), "w") as f:
        f.write(text)

# Plain classes: a record-free, dependency-light mix (fields, methods, a nested type, generics),
# each using the previous one so that javac attributes real code, not empty shells.
for i in range(m):
    prev = f"Plain{i-1:04d}" if i > 0 else "Object"
    write(f"Plain{i:04d}", f"""package bench.gen;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

public final class Plain{i:04d} {{
    private final List<String> items = new ArrayList<>();
    private final Map<String, Integer> counts = new TreeMap<>();
    private {prev} previous;

    public int add(String item) {{
        items.add(item);
        return counts.merge(item, 1, Integer::sum);
    }}

    public String summary() {{
        StringBuilder b = new StringBuilder("Plain{i:04d}");
        for (Map.Entry<String, Integer> e : counts.entrySet()) {{
            b.append(' ').append(e.getKey()).append('=').append(e.getValue());
        }}
        return b.append(" previous=").append(previous).toString();
    }}

    static final class Node<T extends Comparable<T>> {{
        T value;
        Node<T> next;

        int length() {{
            return next == null ? 1 : 1 + next.length();
        }}
    }}
}}
""")

# Annotated services: what a real @RestService looks like (resources, a node selector, autoscaling).
for i in range(n):
    write(f"Service{i:04d}", f"""package bench.gen;

import app.growbin.annotations.Autoscaling;
import app.growbin.annotations.NodeSelector;
import app.growbin.annotations.Resources;
import app.growbin.annotations.RestService;
import app.growbin.runtime.Response;
import app.growbin.runtime.RestApi;
import app.growbin.runtime.Routes;
import app.growbin.runtime.ServiceContext;

/** Generated benchmark service {i}. */
@RestService(path = "/api/v1/s{i:04d}", replicas = 2)
@Resources(cpu = "100m", memory = "256Mi", cpuLimit = "500m", memoryLimit = "512Mi")
@NodeSelector(key = "workload", value = "application")
@Autoscaling(minReplicas = 2, maxReplicas = 6, targetCpuUtilization = 70)
public final class Service{i:04d} implements RestApi {{
    @Override
    public void routes(Routes routes, ServiceContext context) {{
        routes.get("", request -> Response.ok(new Plain{i % m:04d}().summary()));
    }}
}}
""")

# The one Dekorate entry point (ignored by the Growbin processor and by -proc:none).
write("BenchApplication", """package bench.gen;

import io.dekorate.kubernetes.annotation.KubernetesApplication;

@KubernetesApplication(name = "bench-app")
public final class BenchApplication {
    public static void main(String[] args) {
        System.out.println(new Plain0000().summary());
    }
}
""")

cfg = os.path.join(out, "k8s")
os.makedirs(cfg, exist_ok=True)
with open(os.path.join(cfg, "values.yaml"), "w") as f:
    f.write("""global:
  appName: bench-app
  environment: development
  domain: bench.example
  image:
    registry: ghcr.io
    repository: example/bench-app
    tag: "1.0.0"
    pullPolicy: IfNotPresent
celery:
  brokerSecret:
    name: celery-secrets
    key: broker-url
  backendSecret:
    name: celery-secrets
    key: result-backend
ingress:
  enabled: true
  className: alb
  host: api.bench.example
monitoring:
  interval: 30s
  scrapeTimeout: 10s
gitops:
  repoUrl: https://github.com/example/bench-gitops.git
  targetRevision: main
  path: k8s-out
  namespace: bench
""")
with open(os.path.join(cfg, "values-dev.yaml"), "w") as f:
    f.write("global:\n  environment: development\n")
with open(os.path.join(cfg, "values-prod.yaml"), "w") as f:
    f.write("global:\n  environment: production\n")

# Dekorate finds its project (name, version, build tool) from a build file above the class output.
with open(os.path.join(out, "pom.xml"), "w") as f:
    f.write("""<project xmlns="http://maven.apache.org/POM/4.0.0"><modelVersion>4.0.0</modelVersion>
<groupId>bench</groupId><artifactId>bench-app</artifactId><version>1.0.0</version></project>
""")

with open(os.path.join(out, "sources.txt"), "w") as f:
    for name in sorted(os.listdir(pkg)):
        f.write(os.path.join(pkg, name) + "\n")
