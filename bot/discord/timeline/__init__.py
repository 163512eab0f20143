"""/timeline: the corpus's dated events, paginated."""
