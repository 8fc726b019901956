"""A Python Celery application for the Java <-> Python interop tests (CeleryInteropTest).

The broker, result backend and queue come from the environment, like the Java runtime's.
As a worker:  python3 -m celery -A growbin_interop worker -Q <queue> -P solo
As a client:  python3 growbin_interop.py client <queue>   (calls the Java worker's tasks)
"""
import json
import os
import sys

from celery import Celery

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


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "client":
        client(sys.argv[2])
    else:
        sys.exit("usage: growbin_interop.py client <queue>")
