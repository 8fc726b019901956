#!/usr/bin/env python3
"""Small RabbitMQ/Redis helper for the benchmarks (loopback only).

  mq.py declare <queue>...          declare durable queues (as Celery declares them)
  mq.py delete <queue>...           delete queues (and their messages)
  mq.py count <queue>               messages ready
  mq.py fill <queue> <task> <n> <ignore_result 0|1> <json args>
                                    publish n Celery protocol v2 messages (built by Celery itself,
                                    one per task id), print the ids' file
  mq.py drain <queue> <total> <warmup> <timeout_s> <pidfile>
                                    wait until <warmup> messages have left the queue, then time
                                    how long the rest takes; sample the RSS/PSS of the process tree
                                    whose root pid is in <pidfile>; print 'tasks_per_s rss_mib pss_mib
                                    cpu_ms_per_task cores_busy infra_cpu_ms_per_task' (worker CPU over the
                                    timed part; infra: RabbitMQ + Redis, pids in $BENCH_INFRA_PIDS)
  mq.py forget <idsfile>            delete the Redis results of those task ids
"""
import json
import os
import socket
import sys
import time
import uuid

import amqp

URL_HOST = "127.0.0.1:5672"


def conn():
    # py-amqp sets TCP_USER_TIMEOUT to 1 s: a fill that RabbitMQ holds back (flow control on a loaded machine)
    # for longer died with ETIMEDOUT; 0 is the kernel's default (no such limit)
    c = amqp.Connection(host=URL_HOST, userid="guest", password="guest", virtual_host="/",
                        socket_settings={socket.TCP_USER_TIMEOUT: 0})
    c.connect()
    return c


def count(ch, q):
    return ch.queue_declare(q, passive=True).message_count


def tree(pid):
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        out.append(p)
        try:
            for t in os.listdir(f"/proc/{p}/task"):
                with open(f"/proc/{p}/task/{t}/children") as f:
                    todo += [int(x) for x in f.read().split()]
        except OSError:
            pass
    return out


def mem(pid):
    rss = pss = 0
    for p in tree(pid):
        try:
            with open(f"/proc/{p}/smaps_rollup") as f:
                for line in f:
                    if line.startswith("Rss:"):
                        rss += int(line.split()[1])
                    elif line.startswith("Pss:"):
                        pss += int(line.split()[1])
        except OSError:
            pass
    return rss / 1024, pss / 1024


def cpu_seconds(pid):
    """user + system CPU time of the process tree (live processes only)."""
    total = 0
    for p in tree(pid):
        try:
            with open(f"/proc/{p}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])
        except OSError:
            pass
    return total / os.sysconf("SC_CLK_TCK")


def main():
    cmd, args = sys.argv[1], sys.argv[2:]
    if cmd == "forget":
        import redis
        r = redis.Redis(host="127.0.0.1", port=6379)
        ids = open(args[0]).read().split()
        for i in range(0, len(ids), 1000):
            r.delete(*[f"celery-task-meta-{x}" for x in ids[i:i + 1000]])
        return
    c = conn()
    ch = c.channel()
    if cmd == "declare":
        for q in args:
            ch.queue_declare(q, durable=True, auto_delete=False)
    elif cmd == "delete":
        # the queue, the Java worker's retry and eta queues, and the direct exchange Celery declares per queue
        for q in args:
            for name, kind in [(q, "queue")] + [(f"{q}.retry.{ms}", "queue") for ms in (1000, 2000, 4000)] + \
                    [(f"{q}.eta.{ms}", "queue") for ms in (1000, 10000, 60000, 600000, 3600000)] + [(q, "exchange")]:
                try:
                    c2 = c.channel()
                    if kind == "queue":
                        c2.queue_delete(name)
                    else:
                        c2.exchange_delete(name)
                    c2.close()
                except amqp.exceptions.NotFound:
                    pass
    elif cmd == "count":
        print(count(ch, args[0]))
    elif cmd == "fill":
        q, task, n, ignore, targs = args[0], args[1], int(args[2]), args[3] == "1", json.loads(args[4])
        sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))
        from celery_app import app
        ch.queue_declare(q, durable=True, auto_delete=False)
        ids = []
        for _ in range(n):
            tid = str(uuid.uuid4())
            m = app.amqp.as_task_v2(tid, task, args=targs, ignore_result=ignore)
            props = {"content_type": "application/json", "content_encoding": "utf-8",
                     "delivery_mode": 2, "priority": 0, "correlation_id": tid, "application_headers": m.headers}
            props.update({k: v for k, v in m.properties.items() if k in ("reply_to",)})
            body = json.dumps(m.body).encode()
            ch.basic_publish(amqp.Message(body, **props), exchange="", routing_key=q)
            ids.append(tid)
        # a round trip, so every message is in the queue before we return
        while count(ch, q) < n:
            time.sleep(0.05)
        print("\n".join(ids))
    elif cmd == "drain":
        q, total, warm, timeout, pidfile = args[0], int(args[1]), int(args[2]), float(args[3]), args[4]
        pid = int(open(pidfile).read())
        end = time.time() + timeout
        t_a = None
        peak = (0.0, 0.0)
        last_mem = 0.0
        while time.time() < end:
            left = count(ch, q)
            now = time.perf_counter()
            if t_a is None and left <= total - warm:
                t_a, n_a, cpu_a = now, left, cpu_seconds(pid)
                infra_a = sum(cpu_seconds(int(x)) for x in os.environ.get("BENCH_INFRA_PIDS", "").split())
            if time.time() - last_mem > 0.25:
                r = mem(pid)
                peak = (max(peak[0], r[0]), max(peak[1], r[1]))
                last_mem = time.time()
            if t_a is not None and left == 0:
                cpu = cpu_seconds(pid) - cpu_a
                infra = sum(cpu_seconds(int(x)) for x in os.environ.get("BENCH_INFRA_PIDS", "").split()) - infra_a
                print(f"{n_a / (now - t_a):.1f} {peak[0]:.1f} {peak[1]:.1f} {cpu * 1000 / n_a:.3f} {cpu / (now - t_a):.2f} "
                      f"{infra * 1000 / n_a:.3f}")
                return
            time.sleep(0.01)
        sys.exit(f"timeout: {count(ch, q)} messages left in {q}")
    c.close()


if __name__ == "__main__":
    main()
