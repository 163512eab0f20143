"""/logs, /stats and /config for a server's moderators."""
