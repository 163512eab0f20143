"""/ask, @mentions, /sources and /help, with the buttons under an answer."""
