"""Answering questions from a fixed corpus with verbatim, cited quotes; pure and synchronous.

No Discord or asyncio import: the bot, the terminal and the tests share this code. `engine.Engine` is the
facade; `models` holds the plain data passed between layers.
"""
