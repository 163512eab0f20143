"""User-facing wording shared by several handlers."""

FAILURE = "Sorry — something went wrong while answering. It has been logged; please try again in a moment."
