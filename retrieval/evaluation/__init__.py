"""Measuring answer and timeline quality against gold files, for `corpusbot eval`, `timeline-eval` and CI floors."""
