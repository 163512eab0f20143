"""Questions: /ask, @mentions, the "Ask corpusbot" message menu, forum posts, /sources, /help, answer buttons."""
