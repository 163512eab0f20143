"""The Discord application: one client, shared resources opened once in `setup_hook`, cogs for commands.

`corpusbot run` builds exactly this object; the end-to-end tests start the same class against a fake
Discord.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
import sys
import traceback
from typing import Any

import aiohttp
import discord
from discord import app_commands
from discord.ext import commands

from bot.discord.admin.cog import AdminCog
from bot.discord.ask.buttons import AnswerButtons
from bot.discord.ask.cog import AskCog
from bot.discord.ask.community import CommunityCog
from bot.discord.moderation.cog import ModerationCog
from bot.discord.overload import ExpiredInteractions, Load, LoopWatch, is_expired, yield_between_gateway_events
from bot.discord.privacy.cog import PrivacyCog
from bot.discord.timeline.cog import TimelineCog
from bot.discord.ui.replies import reply_privately
from bot.discord.ui.style import error_embed
from bot.discord.ui.translator import CatalogueTranslator
from bot.errors import CorpusbotError
from bot.health import HEARTBEAT_INTERVAL_SECONDS, Pulse, heartbeat_path, remove_heartbeat, write_heartbeat
from bot.i18n import language, say, say_error
from bot.services.container import Services
from bot.settings import Settings

logger = logging.getLogger(__name__)

SHUTDOWN_GRACE_SECONDS = 5.0
HTTP_CONNECTIONS = 64
# The retrieval thread holds the GIL for up to this long before the event loop gets it back (Python's
# default is 5 ms, which under sustained load makes every loop iteration wait behind retrieval).
GIL_SWITCH_SECONDS = 0.001


class CorpusTree(app_commands.CommandTree):
    """Every failing command still answers the user, and the traceback goes to the process log."""

    def __init__(self, client: discord.Client) -> None:
        super().__init__(client)
        self.expired = ExpiredInteractions()

    async def on_error(self, interaction: discord.Interaction, error: app_commands.AppCommandError) -> None:
        """Reply privately (the service's message, or a generic one) and log what is unexpected.

        An interaction that expired before we acknowledged it gets neither: a second reply would fail
        the same way, so it is only counted (and reported once a minute).
        """
        command = interaction.command.qualified_name if interaction.command else "?"
        original = getattr(error, "original", None)
        if is_expired(error):
            self.expired.add()
            return
        lang = language(interaction.locale)
        if isinstance(error, app_commands.CheckFailure):
            message = str(error) or say("not_here", lang)
        elif isinstance(original, CorpusbotError):  # a service said what went wrong, for the user to read
            logger.warning("command /%s: %s", command, original)
            message = say_error(original, lang)
        else:
            logger.error(
                "command /%s failed\n%s",
                command,
                "".join(traceback.format_exception(error)),
                extra={"guild_id": interaction.guild_id, "channel_id": interaction.channel_id},
            )
            message = say("failure", lang)
        with contextlib.suppress(discord.HTTPException):
            await reply_privately(interaction, embed=error_embed(message, lang=lang))


class CorpusBot(commands.Bot):
    """corpusbot on Discord: slash commands, mention answers, persistent buttons.

    The services are built once (in `setup_hook`, unless given) and handed to every cog and button
    explicitly; nothing reaches them through ``interaction.client``.
    """

    def __init__(self, settings: Settings, services: Services | None = None, **options: Any) -> None:
        # Text only: discord.py's start-up warnings about missing voice libraries would only alarm operators.
        discord.VoiceClient.warn_nacl = discord.VoiceClient.warn_dave = False
        super().__init__(
            command_prefix=commands.when_mentioned,  # no text commands; mentions are handled in the ask cog
            intents=discord.Intents.default(),  # no privileged intents: mentions carry their content
            allowed_mentions=discord.AllowedMentions.none(),
            tree_cls=CorpusTree,
            help_command=None,
            **options,  # shard_count and shard_ids for the sharded bot
        )
        self.settings = settings
        self._services = services
        self._background: list[asyncio.Task[None]] = []
        assert isinstance(self.tree, CorpusTree)
        self.load = Load(settings.answers_in_flight, settings.answer_queue, self.tree.expired)
        self.loop_watch = LoopWatch()
        self.pulse = Pulse()  # gateway state for the heartbeat file `corpusbot check --health` reads

    async def login(self, token: str) -> None:
        """Bound the HTTP connections (discord.py's default is unbounded).

        Under a burst, thousands of simultaneous connections cost a handshake each and overflow accept
        queues, which delays every acknowledgement past Discord's deadline; a few kept-alive connections
        serve requests in turn.
        """
        if self.http.connector is discord.utils.MISSING:
            self.http.connector = aiohttp.TCPConnector(limit=HTTP_CONNECTIONS)
        await super().login(token)

    async def on_message(self, message: discord.Message, /) -> None:
        """Ignore messages here: mentions are questions for the ask cog, never text commands.

        discord.py's command parser would log ``CommandNotFound: Command "<first word>"``, copying
        users' words into the process log.
        """

    @property
    def services(self) -> Services:
        """The services container (open once `setup_hook` ran)."""
        assert self._services is not None, "setup_hook opens the services"
        return self._services

    async def setup_hook(self) -> None:
        """Open the corpus and the database once, register commands and persistent buttons, sync."""
        if self._services is None:
            self._services = await Services.start(self.settings, serving=True)
        services = self._services
        buttons = AnswerButtons(services, self.is_owner)
        self.add_dynamic_items(*buttons.items)
        await self.tree.set_translator(CatalogueTranslator())
        for cog in (
            AskCog(self, services, buttons, self.load),
            CommunityCog(self, services, buttons, self.load),
            TimelineCog(services, self.load),
            AdminCog(self, services),
            ModerationCog(self, services),
            PrivacyCog(services),
        ):
            await self.add_cog(cog)
        await self.sync_commands()
        self.loop_watch.start()
        self._background = [asyncio.create_task(loop, name=name) for name, loop in services.background().items()]
        self._background.append(asyncio.create_task(self._heartbeat(), name="heartbeat"))

    async def sync_commands(self) -> None:
        """Guild sync is instant (for the configured guilds); global sync can take up to an hour to show."""
        if self.settings.guild_ids:
            for guild_id in self.settings.guild_ids:
                guild = discord.Object(id=guild_id)
                self.tree.copy_global_to(guild=guild)
                synced = await self.tree.sync(guild=guild)
                logger.info("synced %d commands to guild %s", len(synced), guild_id)
        else:
            synced = await self.tree.sync()
            logger.info("synced %d global commands", len(synced))

    async def _heartbeat(self) -> None:
        """Write the heartbeat file now and then every HEARTBEAT_INTERVAL_SECONDS (and on gateway changes)."""
        while True:
            await self._write_heartbeat()
            await asyncio.sleep(HEARTBEAT_INTERVAL_SECONDS)

    async def _write_heartbeat(self) -> None:
        if self.pulse.stopped:  # closing: the file is removed, and must not come back
            return
        path = heartbeat_path(self.settings.database_path)
        try:
            beat = self.pulse.beat(self.latency, self.services.corpus.version)
            await asyncio.to_thread(write_heartbeat, path, beat)
        except OSError as error:
            logger.warning("could not write the heartbeat file %s: %s", path, error)

    async def on_connect(self) -> None:
        """The gateway is up: say so in the heartbeat file."""
        self.pulse.connect()
        await self._write_heartbeat()

    async def on_resumed(self) -> None:
        """The gateway resumed: say so in the heartbeat file."""
        self.pulse.connect()
        await self._write_heartbeat()

    async def on_disconnect(self) -> None:
        """The gateway dropped: the heartbeat file says since when."""
        self.pulse.disconnect()
        await self._write_heartbeat()

    async def on_socket_event_type(self, event_type: str) -> None:
        """Any gateway event: the heartbeat file reports the age of the last one."""
        self.pulse.event()

    async def on_ready(self) -> None:
        """Say where the bot is connected (the operator's first sign of life)."""
        logger.info("connected as %s to %d guilds", self.user, len(self.guilds))

    async def close(self) -> None:
        """Stop taking work, let answers in flight finish (briefly), close the gateway, flush the log."""
        for task in self._background:
            task.cancel()
        if self._services is not None and not await self._services.activity.settle(SHUTDOWN_GRACE_SECONDS):
            logger.warning("closing with %d answers still in flight", self._services.activity.count)
        self.pulse.stopped = True
        await super().close()
        self.load.expired.report()
        self.loop_watch.stop()
        remove_heartbeat(heartbeat_path(self.settings.database_path))
        if self._services is not None:
            await self._services.close()


class ShardedCorpusBot(CorpusBot, commands.AutoShardedBot):
    """The same bot on several gateway connections (CORPUSBOT_SHARD_COUNT, CORPUSBOT_SHARD_IDS)."""

    async def on_ready(self) -> None:
        """Say which shards this process runs."""
        logger.info("connected as %s to %d guilds on shards %s", self.user, len(self.guilds), sorted(self.shards))


def make_bot(settings: Settings, services: Services | None = None) -> CorpusBot:
    """One connection (the default) or an AutoShardedBot for the configured shards of ``shard_count``."""
    if settings.shard_count is None:
        return CorpusBot(settings, services)
    return ShardedCorpusBot(settings, services, shard_count=settings.shard_count, shard_ids=settings.shard_ids or None)


def run_bot(settings: Settings) -> int:
    """`corpusbot run`: connect, serve until SIGTERM/SIGINT, then shut down cleanly."""
    assert settings.discord_token is not None
    token = settings.discord_token.get_secret_value()

    async def main() -> None:
        yield_between_gateway_events()
        sys.setswitchinterval(GIL_SWITCH_SECONDS)
        bot = make_bot(settings)
        loop = asyncio.get_running_loop()
        stop = asyncio.Event()
        for signum in (signal.SIGTERM, signal.SIGINT):
            loop.add_signal_handler(signum, stop.set)
        async with bot:
            runner = asyncio.create_task(bot.start(token))
            stopper = asyncio.create_task(stop.wait())
            done, _ = await asyncio.wait({runner, stopper}, return_when=asyncio.FIRST_COMPLETED)
            if stopper in done:
                logger.info("signal received; shutting down")
            await bot.close()
            stopper.cancel()
            runner.cancel()  # a corpus still loading at start-up stops now (it runs in a worker process)
            with contextlib.suppress(asyncio.CancelledError):
                await runner

    try:
        asyncio.run(main())
    except discord.LoginFailure:
        logger.error("Discord rejected the token (CORPUSBOT_DISCORD_TOKEN); see README 'Deploy'")
        return 1
    return 0
