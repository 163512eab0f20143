"""User-facing wording shared by several handlers."""

FAILURE = "Sorry — something went wrong while answering. It has been logged; please try again in a moment."
BUSY = "I'm answering a lot of questions right now — please try again in a few seconds."
SETTINGS_UNKNOWN = (
    "corpusbot can't read this channel's settings right now, so it stays off here to be safe. "
    "Moderators: /config says why."
)
DISABLED = "The moderators have turned corpusbot off in this channel."


def cooldown_message(seconds: float) -> str:
    """Ask the user to wait, saying how long."""
    return f"You're asking quickly — please wait {seconds:.0f} s before your next question."
