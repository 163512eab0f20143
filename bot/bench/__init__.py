"""`corpusbot bench`: retrieval speed and memory at scale, next to rank-bm25 and bm25s (tooling, not runtime)."""
