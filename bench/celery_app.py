"""The Celery side of bench/workers.sh: the same two tasks as bench/java/app/growbin/bench/*Worker.java.

Configuration matches the Growbin worker's guarantees: results in Redis (Celery's format, the same
keys), acknowledgement after the task (task_acks_late, Growbin's at-least-once), JSON. Everything else
is Celery's default (prefetch multiplier 4: a larger prefetch than Growbin's, to Celery's advantage).
"""
import os
import time

from celery import Celery

app = Celery("bench",
             broker=os.environ.get("CELERY_BROKER_URL", "amqp://guest:guest@127.0.0.1:5672//"),
             backend=os.environ.get("CELERY_RESULT_BACKEND", "redis://127.0.0.1:6379/0"))
app.conf.update(
    task_serializer="json", accept_content=["json"], result_serializer="json",
    task_acks_late=True,
    result_expires=int(os.environ.get("CELERY_RESULT_EXPIRES", "600")),
    worker_hijack_root_logger=False,
    broker_connection_retry_on_startup=True,
)


@app.task(name="bench.add")
def add(x, y):
    return x + y


@app.task(name="bench.sleep")
def sleep(millis):
    time.sleep(millis / 1000.0)  # gevent's monkey patching makes this cooperative under -P gevent
    return millis
