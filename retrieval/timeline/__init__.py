"""The corpus's dated events for `/timeline`: temporal expressions found, resolved and merged per happening."""
