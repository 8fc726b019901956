"""A Python Celery application for the Java <-> Python interop tests (CeleryInteropTest).

The broker, result backend and queue come from the environment, like the Java runtime's.
As a worker:  python3 -m celery -A growbin_interop worker -Q <queue> -P solo
As a client:  python3 growbin_interop.py client <queue>   (calls the Java worker's tasks)
"""
import json
import os
import sys
import time
import uuid

import celery.exceptions
from celery import Celery, chain, chord, group

app = Celery(
    "growbin_interop",
    broker=os.environ.get("CELERY_BROKER_URL", "amqp://guest:guest@127.0.0.1:5672//"),
    backend=os.environ.get("CELERY_RESULT_BACKEND", "redis://127.0.0.1:6379/0"),
)
app.conf.update(
    task_serializer="json",
    result_serializer="json",
    accept_content=["json"],
    result_expires=600,
    broker_connection_retry_on_startup=True,
    worker_hijack_root_logger=False,
    worker_prefetch_multiplier=1,
    worker_enable_remote_control=False,  # no pidbox queue left on the broker
    # A message that reaches a just-started solo worker can leave the next one unread in py-amqp's
    # buffer until the event loop's next timer (up to 10 s); an AMQP heartbeat check every 0.5 s
    # bounds that wait.
    broker_heartbeat=1,
)


@app.task(name="py.add")
def add(a, b):
    return a + b


@app.task(name="py.describe")
def describe(item):
    return {"label": item["label"].upper(), "python": sys.version_info[:2] >= (3, 0)}


@app.task(name="py.fail")
def fail(why):
    raise ValueError("python says no: " + why)


@app.task(name="py.len")
def length(value):
    return len(value)


@app.task(name="py.big")
def big(n):
    return "p" * n


@app.task(name="py.sleep")
def sleep(seconds):
    """Sleeps; returns "soft" when the soft time limit interrupts it (it catches SoftTimeLimitExceeded)."""
    try:
        time.sleep(seconds)
        return "slept"
    except celery.exceptions.SoftTimeLimitExceeded:
        return "soft"


@app.task(name="py.hard")
def hard(seconds):
    time.sleep(seconds)
    return "slept"


def client(queue):
    """Sends tasks to the Java worker on `queue` and prints what AsyncResult.get() gave, as JSON."""
    out = {"celery": __import__("celery").__version__}
    out["add"] = app.send_task("t.add", args=[2, 3], queue=queue).get(timeout=30)
    out["kwargs"] = app.send_task("t.suffix", args=["abc"], kwargs={"suffix": "!"}, queue=queue).get(timeout=30)
    failing = app.send_task("t.fail", args=[], queue=queue)
    try:
        failing.get(timeout=30)
        out["fail"] = None
    except Exception as e:  # the type Celery rebuilt from exc_type / exc_module
        out["fail"] = {"type": type(e).__name__, "message": str(e), "state": failing.state}
    print("RESULT " + json.dumps(out, sort_keys=True), flush=True)


def caught(call, *types):
    """The name of the first of `types` that `call()` raised, as Python's except sees it."""
    try:
        return {"returned": call()}
    except types as e:
        for t in types:
            if isinstance(e, t):
                return {"caught": t.__module__ + "." + t.__qualname__, "message": str(e)}
    except Exception as e:  # noqa
        return {"uncaught": type(e).__module__ + "." + type(e).__qualname__, "message": str(e)}


def canvas(queue):
    """Celery's canvas and failure semantics against the Java worker on `queue`, printed as JSON."""
    s = lambda name, *args, **opts: app.signature(name, args=args, queue=queue, **opts)
    out = {}
    out["chain"] = chain(s("t.add", 1, 2), s("t.add", 10)).apply_async().get(timeout=30)
    out["group"] = group(s("t.add", 1, 1), s("t.add", 2, 2)).apply_async().get(timeout=30)
    out["chord"] = chord([s("t.add", 1, 1), s("t.add", 2, 2), s("t.add", 3, 3)], s("t.sum"))().get(timeout=30)
    # the body's own result (AsyncResult(id) without its parent, whose error get() would raise first)
    failed_chord = chord([s("t.add", 1, 1), s("t.fail")], s("t.sum"))()
    out["chord_failure"] = caught(lambda: app.AsyncResult(failed_chord.id).get(timeout=30), celery.exceptions.ChordError)
    callback_id, errback_id = str(uuid.uuid4()), str(uuid.uuid4())
    app.send_task("t.add", args=[1, 2], queue=queue, link=s("t.add", 10, task_id=callback_id))
    out["link"] = app.AsyncResult(callback_id).get(timeout=30)
    failing = app.send_task("t.fail", queue=queue, link_error=s("t.echo", task_id=errback_id))
    out["link_error"] = {"errback_got_the_failed_id": app.AsyncResult(errback_id).get(timeout=30) == failing.id}
    out["type_error"] = caught(lambda: app.send_task("t.add", args=[1, 2, 3], queue=queue).get(timeout=30), TypeError)
    out["not_registered"] = caught(lambda: app.send_task("t.nope", queue=queue).get(timeout=30),
                                   celery.exceptions.NotRegistered)
    out["time_limit"] = caught(lambda: app.send_task("t.sleep", args=[8000], queue=queue, time_limit=1).get(timeout=30),
                               celery.exceptions.TimeLimitExceeded)
    out["soft_time_limit"] = caught(
        lambda: app.send_task("t.sleep", args=[8000], queue=queue, soft_time_limit=0.5).get(timeout=30),
        celery.exceptions.SoftTimeLimitExceeded)
    revoked_id = str(uuid.uuid4())
    app.control.revoke(revoked_id)
    time.sleep(1)
    out["revoked"] = caught(lambda: app.send_task("t.add", args=[1, 1], queue=queue, task_id=revoked_id).get(timeout=30),
                            celery.exceptions.TaskRevokedError)
    out["expired"] = caught(lambda: app.send_task("t.add", args=[1, 1], queue=queue, expires=-1).get(timeout=30),
                            celery.exceptions.TaskRevokedError)
    out["gzip"] = app.send_task("t.echo", args=["gz"], queue=queue, compression="gzip").get(timeout=30)
    out["bzip2"] = app.send_task("t.echo", args=["bz"], queue=queue, compression="bzip2").get(timeout=30)
    out["one_mb_argument"] = app.send_task("t.len", args=["x" * (1 << 20)], queue=queue).get(timeout=30)
    out["one_mb_between_steps"] = chain(s("t.echo", "y" * (1 << 20)), s("t.len")).apply_async().get(timeout=30)
    out["one_mb_result"] = len(app.send_task("t.echo", args=["z" * (1 << 20)], queue=queue).get(timeout=30))
    print("RESULT " + json.dumps(out, sort_keys=True), flush=True)


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "client":
        client(sys.argv[2])
    elif len(sys.argv) == 3 and sys.argv[1] == "canvas":
        canvas(sys.argv[2])
    else:
        sys.exit("usage: growbin_interop.py client|canvas <queue>")
