"""A function app that exercises each devhost semantic and records what it saw.

The host runs it in a subprocess; queue and timer functions record events in memory
and the tests read them back through ``GET /api/_events``.
"""

from __future__ import annotations

import asyncio
import json
import os
import threading
import time
from collections import defaultdict
from typing import Any

import azure.functions as func

app = func.FunctionApp(http_auth_level=func.AuthLevel.ANONYMOUS)
PREFIX = os.environ["DEVHOST_QUEUE_PREFIX"]
CONNECTION = "AzureWebJobsStorage"

_lock = threading.Lock()
_events: dict[str, list[dict[str, Any]]] = defaultdict(list)
_batch = {"running": 0, "max": 0}


def record(kind: str, **event: Any) -> None:
    with _lock:
        _events[kind].append({"at": time.time(), **event})


def reply(data: Any, status: int = 200) -> func.HttpResponse:
    return func.HttpResponse(json.dumps(data), status_code=status, mimetype="application/json")


# --- HTTP: routing ---------------------------------------------------------------------


@app.route(route="items/special", methods=["GET"])
def literal(req: func.HttpRequest) -> func.HttpResponse:
    return reply({"function": "literal"})


@app.route(route="items/{id}", methods=["GET"])
def item(req: func.HttpRequest) -> func.HttpResponse:
    return reply({"function": "item", "route": dict(req.route_params)})


@app.route(route="typed/{id:int}", methods=["GET"])
def typed_int(req: func.HttpRequest) -> func.HttpResponse:
    return reply({"function": "typed_int", "route": dict(req.route_params)})


@app.route(route="typed/{slug}", methods=["GET"])
def typed_slug(req: func.HttpRequest) -> func.HttpResponse:
    return reply({"function": "typed_slug", "route": dict(req.route_params)})


@app.route(route="opt/{name?}", methods=["GET"])
def optional(req: func.HttpRequest) -> func.HttpResponse:
    return reply({"function": "optional", "route": dict(req.route_params)})


@app.route(route="{*path}")
def catch_all(req: func.HttpRequest) -> func.HttpResponse:
    return reply({"function": "catch_all", "method": req.method, "route": dict(req.route_params)}, status=404)


# --- HTTP: requests and responses ------------------------------------------------------


@app.route(route="echo", methods=["POST", "PUT"])
def echo(req: func.HttpRequest) -> func.HttpResponse:
    return reply(
        {
            "method": req.method,
            "url": req.url,
            "params": dict(req.params),
            "headers": {k: v for k, v in req.headers.items() if k.startswith("x-")},
            "content_type": req.headers.get("content-type"),
            "body": req.get_body().decode("utf-8"),
        }
    )


@app.route(route="custom", methods=["GET"])
def custom(req: func.HttpRequest) -> func.HttpResponse:
    return func.HttpResponse(
        b'{"made": true}', status_code=201, mimetype="application/json", headers={"X-Custom": "yes"}
    )


@app.route(route="text", methods=["GET"])
def text(req: func.HttpRequest) -> str:
    return "plain words"


@app.route(route="context", methods=["GET"])
def with_context(req: func.HttpRequest, context: func.Context) -> func.HttpResponse:
    return reply({"function_name": context.function_name, "invocation_id": context.invocation_id})


# Two calls with the same ``key`` wait for each other (up to MEET_TIMEOUT): both report
# ``met`` only if they ran at the same time, which proves concurrency without timing it.
MEET_TIMEOUT = 15.0
_barriers: dict[str, threading.Barrier] = {}
_arrivals: dict[str, asyncio.Event] = {}
_arrived: dict[str, int] = defaultdict(int)


@app.route(route="meet/sync", methods=["GET"])
def meet_sync(req: func.HttpRequest) -> func.HttpResponse:
    with _lock:
        barrier = _barriers.setdefault(req.params["key"], threading.Barrier(2))
    try:
        barrier.wait(timeout=MEET_TIMEOUT)
    except threading.BrokenBarrierError:
        return reply({"met": False, "thread": threading.current_thread().name})
    return reply({"met": True, "thread": threading.current_thread().name})


@app.route(route="meet/async", methods=["GET"])
async def meet_async(req: func.HttpRequest) -> func.HttpResponse:
    key = req.params["key"]
    both_here = _arrivals.setdefault(key, asyncio.Event())
    _arrived[key] += 1
    if _arrived[key] >= 2:
        both_here.set()
    try:
        await asyncio.wait_for(both_here.wait(), timeout=MEET_TIMEOUT)
    except TimeoutError:
        return reply({"met": False, "thread": threading.current_thread().name})
    return reply({"met": True, "thread": threading.current_thread().name})


@app.route(route="boom", methods=["GET"])
def boom(req: func.HttpRequest) -> func.HttpResponse:
    raise RuntimeError("boom on purpose")


@app.route(route="settings", methods=["GET"])
def settings(req: func.HttpRequest) -> func.HttpResponse:
    names = ("SAMPLE_FROM_FILE", "SAMPLE_OVERRIDDEN")
    return reply({name: os.environ.get(name) for name in names})


@app.route(route="_events", methods=["GET"])
def events(req: func.HttpRequest) -> func.HttpResponse:
    with _lock:
        return reply({"events": dict(_events), "batch_max": _batch["max"]})


# --- Queues ----------------------------------------------------------------------------


@app.queue_trigger(arg_name="msg", queue_name="%DEVHOST_QUEUE_PREFIX%-echo", connection=CONNECTION)
def on_echo(msg: func.QueueMessage) -> None:
    record(
        "echo",
        id=msg.id,
        body=msg.get_body().decode("utf-8"),
        dequeue_count=msg.dequeue_count,
        inserted=msg.insertion_time.isoformat() if msg.insertion_time else None,
    )


@app.queue_trigger(arg_name="msg", queue_name=f"{PREFIX}-async", connection=CONNECTION)
async def on_async(msg: func.QueueMessage) -> None:
    await asyncio.sleep(0)
    record("async", body=msg.get_body().decode("utf-8"))


@app.queue_trigger(arg_name="msg", queue_name=f"{PREFIX}-batch", connection=CONNECTION)
def on_batch(msg: func.QueueMessage) -> None:
    body = msg.get_body().decode("utf-8")
    with _lock:
        _batch["running"] += 1
        _batch["max"] = max(_batch["max"], _batch["running"])
    record("batch_start", body=body)
    try:
        time.sleep(3.0 if body.startswith("long") else 0.3)
    finally:
        with _lock:
            _batch["running"] -= 1
        record("batch_end", body=body)


@app.queue_trigger(arg_name="msg", queue_name=f"{PREFIX}-fail", connection=CONNECTION)
def on_fail(msg: func.QueueMessage) -> None:
    record("fail", body=msg.get_body().decode("utf-8"), dequeue_count=msg.dequeue_count)
    raise ValueError("failing on purpose")


@app.queue_trigger(arg_name="msg", queue_name=f"{PREFIX}-idle", connection=CONNECTION)
def on_idle(msg: str) -> None:
    record("idle", body=msg)


# --- Timers ----------------------------------------------------------------------------


@app.timer_trigger(arg_name="timer", schedule="*/1 * * * * *")
def tick(timer: func.TimerRequest) -> None:
    record("tick", past_due=timer.past_due, next=timer.schedule_status["Next"])


@app.timer_trigger(arg_name="timer", schedule="0 0 0 1 1 *", run_on_startup=True)
def on_startup(timer: func.TimerRequest) -> None:
    record("startup", past_due=timer.past_due)
