"""/ask, @mentions, the "Ask corpusbot" message menu, forum posts, /sources and /help, with the buttons under an answer."""
