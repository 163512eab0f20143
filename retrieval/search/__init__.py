"""BM25 over passages, its compiled top-k and saved arrays, sentence statistics and vectors."""
