"""corpusbot's application: a Discord bot and a terminal over `retrieval` (see README "Project layout")."""
