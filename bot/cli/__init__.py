"""The `corpusbot` console script: parse, call a service, print (entry point `bot.cli.main:main`)."""
