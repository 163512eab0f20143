"""The Discord application: one client, shared resources opened once in `setup_hook`, cogs for commands.

`corpusbot run` builds exactly this object; the end-to-end tests start the same class against a fake
Discord.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
import time
import traceback
from collections.abc import Iterator

import discord
from discord import app_commands
from discord.ext import commands

from bot.discord.ask.render import error_embed
from bot.discord.ui.components import DYNAMIC_ITEMS, AnswerCache, reply_privately
from bot.discord.ui.messages import DISABLED, FAILURE, cooldown_message
from bot.services.corpus import CorpusService
from bot.settings import Settings
from retrieval.text.names import complete, corpus_names

logger = logging.getLogger(__name__)

COGS = (
    "bot.discord.ask.cog",
    "bot.discord.timeline.cog",
    "bot.discord.admin.cog",
    "bot.discord.moderation.cog",
    "bot.discord.privacy.cog",
)
SHUTDOWN_GRACE_SECONDS = 5.0
RETENTION_INTERVAL_SECONDS = 24 * 3600


class Cooldowns:
    """Per-user cooldown: a user may ask once every ``seconds``."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self._last: dict[int, float] = {}

    def remaining(self, user_id: int) -> float:
        """Seconds the user must still wait, 0 if they may ask now (and then the clock restarts)."""
        now = time.monotonic()
        last = self._last.get(user_id)
        if last is not None and now - last < self.seconds:
            return self.seconds - (now - last)
        self._last[user_id] = now
        if len(self._last) > 10_000:  # forget users idle for longer than the cooldown
            self._last = {u: t for u, t in self._last.items() if now - t < self.seconds}
        return 0.0


class CorpusTree(app_commands.CommandTree):
    """Every failing command still answers the user, and the traceback goes to the process log."""

    async def on_error(self, interaction: discord.Interaction, error: app_commands.AppCommandError) -> None:
        command = interaction.command.qualified_name if interaction.command else "?"
        if isinstance(error, app_commands.CheckFailure):
            message = str(error) or "You can't use this command here."
        else:
            logger.error(
                "command /%s failed\n%s",
                command,
                "".join(traceback.format_exception(error)),
                extra={"guild_id": interaction.guild_id, "channel_id": interaction.channel_id},
            )
            message = FAILURE
        with contextlib.suppress(discord.HTTPException):
            await reply_privately(interaction, embed=error_embed(message))


class CorpusBot(commands.Bot):
    """corpusbot on Discord: slash commands, mention answers, persistent buttons."""

    def __init__(self, settings: Settings, service: CorpusService | None = None) -> None:
        # Text only: discord.py's start-up warnings about missing voice libraries would only alarm operators.
        discord.VoiceClient.warn_nacl = discord.VoiceClient.warn_dave = False
        super().__init__(
            command_prefix=commands.when_mentioned,  # no text commands; mentions are handled in the ask cog
            intents=discord.Intents.default(),  # no privileged intents: mentions carry their content
            allowed_mentions=discord.AllowedMentions.none(),
            tree_cls=CorpusTree,
            help_command=None,
        )
        self.settings = settings
        self._service = service
        self.answers = AnswerCache()
        self.cooldowns = Cooldowns(settings.cooldown_seconds)
        self.in_flight = 0
        self._names: tuple[str, list[str]] = ("", [])
        self._background: list[asyncio.Task[None]] = []

    @property
    def service(self) -> CorpusService:
        assert self._service is not None, "setup_hook opens the service"
        return self._service

    async def setup_hook(self) -> None:
        """Open the corpus and the log once, register commands and persistent buttons, sync."""
        if self._service is None:
            self._service = await CorpusService.start(self.settings, serving=True)
        for cog in COGS:
            await self.load_extension(cog)
        self.add_dynamic_items(*DYNAMIC_ITEMS)
        await self.sync_commands()
        self._background = [
            asyncio.create_task(self.service.watch(), name="corpus-watch"),
            asyncio.create_task(self._retention(), name="log-retention"),
        ]

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

    async def _retention(self) -> None:
        """Purge old log rows at start-up and then once a day."""
        while True:
            if self.service.log is not None:
                try:
                    removed = await self.service.log.purge_older_than(self.settings.log_retention_days)
                    if removed:
                        logger.info("purged %d log rows older than %d days", removed, self.settings.log_retention_days)
                except Exception:
                    logger.exception("log retention purge failed")
            await asyncio.sleep(RETENTION_INTERVAL_SECONDS)

    @contextlib.contextmanager
    def working(self) -> Iterator[None]:
        """Marks a handler as in flight until its reply is sent, so shutdown waits for it."""
        self.in_flight += 1
        try:
            yield
        finally:
            self.in_flight -= 1

    async def admit(self, interaction: discord.Interaction, private: bool | None) -> bool | None:
        """Gate for question commands: the channel switch, then the cooldown. Replies privately and
        returns None when refused; otherwise returns whether the answer is private."""
        visible = await self.visibility(interaction, private)
        if visible is None:
            await reply_privately(interaction, embed=error_embed(DISABLED))
            return None
        wait = self.cooldowns.remaining(interaction.user.id)
        if wait:
            await reply_privately(interaction, content=cooldown_message(wait))
            return None
        return visible

    async def visibility(self, interaction: discord.Interaction, chosen: bool | None) -> bool | None:
        """Whether an answer is private: the user's choice, else the channel's, else the global default.
        None when moderators turned the bot off in this channel."""
        config = await self.service.channel_config(interaction.guild_id, interaction.channel_id)
        if not config.enabled:
            return None
        if chosen is not None:
            return chosen
        if config.private_by_default is not None:
            return config.private_by_default
        return self.settings.private_by_default

    def name_choices(self, current: str) -> list[app_commands.Choice[str]]:
        """Autocomplete: the text typed so far, its last word extended to names the corpus mentions."""
        engine = self.service.engine
        if self._names[0] != engine.version:
            self._names = (engine.version, corpus_names(engine.corpus))
        return [app_commands.Choice(name=text[:100], value=text[:100]) for text in complete(current, self._names[1])]

    async def is_admin(self, user: discord.abc.User) -> bool:
        """Admins: the application owner (or team members) and CORPUSBOT_ADMIN_IDS."""
        return user.id in self.settings.admin_ids or await self.is_owner(user)

    async def on_ready(self) -> None:
        logger.info("connected as %s to %d guilds", self.user, len(self.guilds))

    async def close(self) -> None:
        """Stop taking work, let answers in flight finish (briefly), close the gateway, flush the log."""
        for task in self._background:
            task.cancel()
        deadline = time.monotonic() + SHUTDOWN_GRACE_SECONDS
        while self.in_flight and time.monotonic() < deadline:
            await asyncio.sleep(0.05)
        if self.in_flight:
            logger.warning("closing with %d answers still in flight", self.in_flight)
        await super().close()
        if self._service is not None:
            await self._service.close()


def run_bot(settings: Settings) -> int:
    """`corpusbot run`: connect, serve until SIGTERM/SIGINT, then shut down cleanly."""
    assert settings.discord_token is not None

    async def main() -> None:
        bot = CorpusBot(settings)
        loop = asyncio.get_running_loop()
        stop = asyncio.Event()
        for signum in (signal.SIGTERM, signal.SIGINT):
            loop.add_signal_handler(signum, stop.set)
        async with bot:
            runner = asyncio.create_task(bot.start(settings.discord_token.get_secret_value()))
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
