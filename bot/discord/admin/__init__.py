"""/reload for the bot's owner and admins."""
