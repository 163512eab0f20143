"""Anonymous voters for channels with logging off: one vote per person per answer, no user id stored.

The votes table needs a voter per answer (a second click replaces the first). Where moderators turned
logging off, the voter is a keyed hash of (answer, user) under a key that lives only in this process's
memory: it is never written anywhere, so the stored value cannot be recomputed from a list of user
ids, cannot be joined across answers, and `/forget-me` has nothing to find. After a restart the key
changes, so a person could vote once more on an old answer; that is the price of not storing them.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

_KEY = secrets.token_bytes(32)


def anonymous_voter(answer_id: str, user_id: int) -> int:
    """A negative 63-bit id (Discord ids are positive, so it can never equal a real one)."""
    digest = hmac.new(_KEY, f"{answer_id}:{user_id}".encode(), hashlib.sha256).digest()
    return -(int.from_bytes(digest[:8], "big") >> 1) - 1
