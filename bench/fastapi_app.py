"""The waste API of the sample app (sample-app/.../WasteApi.java) as the seed design's stack would
write it: FastAPI + uvicorn, Celery as the task client, the same RabbitMQ and Redis.

Same routes and JSON shapes:
  GET  /health                 200 "ok\n" (text/plain, as the Growbin runtime answers)
  POST /api/v1/waste           {"imageRef"|"description": ...} -> 202 {"taskId", "state": "PENDING", "statusUrl"}
                               + Location; publishes the chain preprocess -> vision -> rag -> llm with
                               Celery (chain(...).apply_async()), first message to q.preprocess<suffix>,
                               with publisher confirms on, as the Growbin TaskClient does
  GET  /api/v1/waste/{id}      reads celery-task-meta-<stage id> for each stage in order, like WasteApi.status
Stage task ids are derived from the request id exactly as in Java (UUID.nameUUIDFromBytes = MD5, v3).
Handlers are plain `def` (Celery's client is blocking), so FastAPI runs them on its thread pool.
"""
import hashlib
import os
import uuid

from celery import Celery, chain
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, PlainTextResponse

SUFFIX = os.environ.get("BENCH_QUEUE_SUFFIX", ".bench")
BASE = "/api/v1/waste"
STAGES = [("preprocess", "preprocess.normalize", "q.preprocess"),
          ("vision", "vision.classify", "q.vision"),
          ("rag", "rag.retrieve", "q.rag"),
          ("llm", "llm.answer", "q.llm")]

celery = Celery("growbin-fastapi",
                broker=os.environ.get("CELERY_BROKER_URL", "amqp://guest:guest@127.0.0.1:5672//"),
                backend=os.environ.get("CELERY_RESULT_BACKEND", "redis://127.0.0.1:6379/0"))
celery.conf.update(task_serializer="json", accept_content=["json"], result_serializer="json",
                   broker_transport_options={"confirm_publish": True})
app = FastAPI()


def stage_id(task_id, stage):
    if stage == "preprocess":
        return task_id
    return str(uuid.UUID(bytes=hashlib.md5(f"{task_id}:{stage}".encode()).digest(), version=3))


@app.get("/health", response_class=PlainTextResponse)
async def health():
    return "ok\n"


@app.post(BASE)
async def start(request: Request):
    try:
        body = await request.json()
    except ValueError:
        return JSONResponse({"error": "invalid JSON"}, status_code=400)
    text = body.get("imageRef") or body.get("description") or ""
    if not str(text).strip():
        return JSONResponse({"error": 'send {"imageRef": "..."} or {"description": "..."}'}, status_code=400)
    task_id = str(uuid.uuid4())
    sigs = []
    for i, (stage, task, queue) in enumerate(STAGES):
        args = (text,) if i == 0 else ()
        sigs.append(celery.signature(task, args=args, queue=queue + SUFFIX, task_id=stage_id(task_id, stage)))
    from starlette.concurrency import run_in_threadpool
    await run_in_threadpool(lambda: chain(*sigs).apply_async())
    url = f"{BASE}/{task_id}"
    return JSONResponse({"taskId": task_id, "state": "PENDING", "statusUrl": url}, status_code=202,
                        headers={"Location": url})


@app.get(BASE + "/{task_id}")
def status(task_id: str):
    try:
        uuid.UUID(task_id)
    except ValueError:
        return JSONResponse({"error": "no such task"}, status_code=404)
    answer = {"taskId": task_id}
    stage = "queued"
    for name, _, _ in STAGES:
        meta = celery.backend.get_task_meta(stage_id(task_id, name))
        state = meta["status"]
        if state == "PENDING":  # no key stored (Celery reports a missing result as PENDING)
            break
        if state in ("FAILURE", "REVOKED"):
            answer.update(state="FAILURE", stage=name, error=meta.get("result"))
            return answer
        if state != "SUCCESS":
            answer.update(state="RETRY" if state == "RETRY" else "STARTED", stage=name)
            return answer
        stage = name
        if name == "llm":
            answer.update(state="SUCCESS", result=meta.get("result"))
            return answer
    if stage == "queued":
        answer.update(state="PENDING", stage="preprocess")
    else:
        nxt = [s[0] for s in STAGES][[s[0] for s in STAGES].index(stage) + 1]
        answer.update(state="STARTED", stage=nxt)
    return answer
