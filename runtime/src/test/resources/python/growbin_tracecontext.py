"""Trace context between Python Celery and the Java runtime (TraceContextInteropTest).

opentelemetry-instrumentation-celery is not installable here (not packaged by Debian, no PyPI), so
this module does, with Celery's own signals and request object, exactly what that library does to
carry the W3C trace context (opentelemetry/instrumentation/celery/__init__.py):

  * producer: a `before_task_publish` receiver takes `kwargs["headers"]` -- for protocol v2 the
    message's own headers dict, which Celery publishes right after the signal -- and calls
    `opentelemetry.propagate.inject(headers)`: the W3C propagator sets `traceparent` and, when not
    empty, `tracestate` (the baggage propagator `baggage`, when there is baggage);
  * consumer: `extract(task.request, getter=CeleryGetter())`, where the getter is
    `getattr(request, key)`: Celery copies every message header onto the task request.

As a worker:  python3 -m celery -A growbin_tracecontext worker -Q <queue> -P solo
As a client:  TRACEPARENT=... TRACESTATE=... python3 growbin_tracecontext.py send <queue>
"""
import json
import os
import sys

from celery import Celery, signals

app = Celery(
    "growbin_tracecontext",
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
    worker_enable_remote_control=False,
    broker_heartbeat=1,
)


def inject(headers):
    """What opentelemetry.propagate.inject(headers) writes for the current span (given here by the test)."""
    headers["traceparent"] = os.environ["TRACEPARENT"]
    if os.environ.get("TRACESTATE"):
        headers["tracestate"] = os.environ["TRACESTATE"]


def trace_before_publish(*args, **kwargs):
    """CeleryInstrumentor._trace_before_publish, the propagation part."""
    headers = kwargs.get("headers")
    if headers:
        inject(headers)


@app.task(name="py.tracecontext", bind=True)
def tracecontext(self):
    """What CeleryGetter reads: the request attributes named like the propagator's fields."""
    return {key: getattr(self.request, key, None) for key in ("traceparent", "tracestate")}


def record_headers(*args, **kwargs):
    """Runs after the injection: the headers table as Celery will publish it, in its order."""
    print("HEADERS " + json.dumps(list(kwargs["headers"].items()), default=str), flush=True)


def send(queue):
    """Publishes t.add(20, 22) with the trace context injected; prints the headers and the task id."""
    signals.before_task_publish.connect(trace_before_publish, weak=False)
    signals.before_task_publish.connect(record_headers, weak=False)
    result = app.send_task("t.add", args=[20, 22], queue=queue)
    print("SENT " + result.id, flush=True)


if __name__ == "__main__":
    if sys.argv[1] == "send":
        send(sys.argv[2])
