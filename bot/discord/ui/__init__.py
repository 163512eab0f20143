"""Pieces every feature shares: replies, style, limits (fit), markdown safety, pagination, the question gate."""
