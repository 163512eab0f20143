"""The only door to the corpus and the database: every Discord handler and CLI command calls a service.

No module here imports discord. `Services` (container.py) builds them all once; by concern:
`corpus` (ask, timeline, sources, context, names, reload), `recording` (what a question logs, votes),
`channels` (cached channel settings), `policy` (who gets an answer, privately or not, who may click),
`moderation` (log browsing, export, stats, channel config, purge), `privacy` (forget-me, retention),
`activity` (work in flight), `export` (file formats of log rows), `watching` (loading and reload triggers).
"""
