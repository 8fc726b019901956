"""Records Celery 5.2.6 protocol samples for the Java runtime's wire tests."""
import base64, json, time, uuid
from celery import Celery, chain, chord, group
from celery.utils.saferepr import saferepr
import amqp, kombu, celery
app = Celery("rec", broker="amqp://guest:guest@127.0.0.1:5672//", backend="redis://127.0.0.1:6379/0")
q = "rec." + uuid.uuid4().hex[:8]
conn = amqp.Connection("127.0.0.1:5672"); conn.connect(); ch = conn.channel()
ch.queue_declare(q, durable=True, auto_delete=False)
pid_q = "rec-pidbox-" + uuid.uuid4().hex[:6]
ch.exchange_declare("celery.pidbox", "fanout", durable=False, auto_delete=False)
ch.queue_declare(pid_q, auto_delete=True); ch.queue_bind(pid_q, "celery.pidbox")
def get(queue):
    for i in range(100):
        m = ch.basic_get(queue, no_ack=True)
        if m: return m
        time.sleep(0.05)
    raise SystemExit("nothing in " + queue)
def sample(m):
    b = m.body if isinstance(m.body, bytes) else m.body.encode()
    return {"headers": m.properties.get("application_headers"), "content_type": m.properties.get("content_type"),
            "body_base64": base64.b64encode(b).decode()}
out = {"_comment": "Celery %s / kombu %s messages as fetched from RabbitMQ (recorded for CeleryWireFormatTest)" % (celery.__version__, kombu.__version__)}
s = lambda name, *a, **o: app.signature(name, args=a, queue=q, **o)
app.send_task("t.a", args=[1], queue=q, link=s("t.cb", 10), link_error=s("t.err")); out["link"] = sample(get(q))
chain(s("t.a", 1), s("t.b", 2), s("t.c")).apply_async(); out["chain"] = sample(get(q))
chord([s("t.a", 1), s("t.a", 2)], s("t.sum")).apply_async(); out["chord_part0"] = sample(get(q)); out["chord_part1"] = sample(get(q))
app.send_task("t.a", args=["é" * 3, "x" * 100], kwargs={"k": [1, 2, {"a": None}]}, queue=q, compression="gzip"); out["gzip"] = sample(get(q))
app.send_task("t.a", args=["é" * 3, "x" * 100], kwargs={"k": [1, 2, {"a": None}]}, queue=q, compression="bzip2"); out["bzip2"] = sample(get(q))
app.send_task("t.a", args=[1], queue=q, countdown=10, expires=60, time_limit=5, soft_time_limit=3); out["limits"] = sample(get(q))
app.control.revoke(["id1", "id2"], terminate=True, signal="SIGKILL"); m = get(pid_q); out["revoke"] = {"body": json.loads(m.body)}
ch.queue_delete(q); ch.queue_delete(pid_q)
inputs = [["x" * 3000], ["a" * 1000, "b" * 100, {"k": "v" * 50}], [1, [2, [3, [4, [5]]]]], {"a": {"b": {"c": {"d": 1}}}},
          list(range(600)), ["it's", 'a"b', "x\\y", "é\n"], [1.5, True, None, 10 ** 20, 1e300, 1e-5, 0.0001, 1e16, 123456.789],
          {"k" * 2000: 1}, ["word " * 300]]
out["saferepr"] = [{"value": v, "repr": saferepr(v, 1024)} for v in inputs]
print(json.dumps(out, indent=1, ensure_ascii=False))
