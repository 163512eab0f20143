"""Running a terminal command against the services: built once, closed however the command ends."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import TypeVar

from bot.services.container import Services
from bot.settings import Settings

T = TypeVar("T")


def with_services(settings: Settings, command: Callable[[Services], Awaitable[T]], *, database: bool = True) -> T:
    """Start the services (with the database unless told otherwise), run ``command``, close them."""

    async def run() -> T:
        services = await Services.start(settings, with_database=database)
        try:
            return await command(services)
        finally:
            await services.close()

    return asyncio.run(run())
