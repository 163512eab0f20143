"""Knowing when a discord.py client has finished reacting: no event unread, no handler running, no request open.

Replaces "sleep a while, then assert nothing (more) happened": the fake knows what it dispatched and
which requests it is still serving, and discord.py runs every handler in a task with a recognisable
name (event listeners, application commands and autocomplete, view and dynamic-item callbacks, view
timeouts), so the client's in-flight work is visible from the shared event loop.
"""

from __future__ import annotations

import asyncio
import time

import discord

from tests.fakediscord.gateway import Gateway

HANDLER_TASK_PREFIXES = (
    "discord.py: on_",  # Client._schedule_event: listeners and on_* methods
    "CommandTree-invoker",  # application commands and autocomplete
    "discord-ui-view-dispatch-",  # buttons and selects of live views
    "discord-ui-dynamic-item-",  # persistent (dynamic) buttons
    "discord-ui-view-timeout-",  # on_timeout callbacks
)
QUIET_CHECKS = 3  # consecutive idle observations, a loop tick apart, before calling it idle


class PendingCounter:
    """REST requests the fake has received and not yet answered."""

    def __init__(self) -> None:
        self.count = 0


def running_handlers() -> list[str]:
    """Names of the discord.py handler tasks still running on this event loop."""
    current = asyncio.current_task()
    return [
        task.get_name()
        for task in asyncio.all_tasks()
        if task is not current and not task.done() and task.get_name().startswith(HANDLER_TASK_PREFIXES)
    ]


def busy_reason(client: discord.Client, gateway: Gateway, pending_requests: int) -> str | None:
    """Why the client is not idle yet, or None when it is."""
    dispatched = max((s.sequence for s in gateway.sessions if s.identify is not None), default=0)
    seen = client.ws.sequence if client.ws is not None else None
    if dispatched and (seen or 0) < dispatched:
        return f"client has read gateway event {seen} of {dispatched}"
    if pending_requests:
        return f"{pending_requests} REST request(s) still being served"
    handlers = running_handlers()
    if handlers:
        return f"handlers still running: {handlers}"
    return None


async def wait_until_idle(
    client: discord.Client, gateway: Gateway, pending: PendingCounter, timeout: float = 5.0
) -> None:
    """Return once the client has read every dispatched event, finished its handlers and got its replies."""
    deadline = time.monotonic() + timeout
    quiet = 0
    while quiet < QUIET_CHECKS:
        reason = busy_reason(client, gateway, pending.count)
        quiet = 0 if reason else quiet + 1
        if reason and time.monotonic() > deadline:
            raise TimeoutError(f"client not idle within {timeout}s: {reason}")
        await asyncio.sleep(0 if not reason else 0.01)
