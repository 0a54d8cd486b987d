"""The pages' live updates: one server-sent event stream, shared by the phone, stage and trainer pages."""

from __future__ import annotations

import asyncio
from typing import AsyncIterator, Callable

from starlette.requests import Request
from starlette.responses import StreamingResponse

from roleplay.room.room import Room

KEEPALIVE_SECONDS = 15.0


def change_stream(room: Room, request: Request, still_in: Callable[[], bool] = lambda: True) -> StreamingResponse:
    """Server-sent events for a page: `changed` after each new log event (the page fetches its fragment
    again), a comment every KEEPALIVE_SECONDS, and `gone` once `still_in()` says the reader may see no more."""
    try:
        seen = int(request.query_params.get("v", "-1"))
    except ValueError:
        seen = -1

    async def stream() -> AsyncIterator[str]:
        nonlocal seen
        entry = room.broadcaster.subscribe()
        wake = entry[1]
        try:
            yield "retry: 3000\n\n"
            while not room.closing.is_set():
                if not still_in():
                    yield "event: gone\ndata: -\n\n"
                    return
                version = room.snapshot.version
                if version != seen:
                    seen = version
                    yield f"event: changed\ndata: {version}\n\n"
                try:
                    await asyncio.wait_for(wake.wait(), timeout=KEEPALIVE_SECONDS)
                except asyncio.TimeoutError:
                    yield ": still here\n\n"
                wake.clear()
        finally:
            room.broadcaster.unsubscribe(entry)

    return StreamingResponse(stream(), media_type="text/event-stream", headers={"x-accel-buffering": "no"})
