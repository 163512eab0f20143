import asyncio
from bot.discord.app import CorpusBot
from tests.bot.conftest import bot_settings
from tests.fakediscord import running_fake_discord, connected
async def main():
    async with running_fake_discord() as fake:
        bot = CorpusBot(bot_settings())
        async with connected(bot, fake):
            for c in fake.commands():
                print(c["name"], c.get("name_localizations"), c.get("contexts"), c.get("default_member_permissions"))
        fake.assert_clean()
asyncio.run(main())
