"""What the case groups of one key type share: chains, staple paths, and the common names.

P and MS are the end-entities most cases use (no TLS Feature; TLS Feature {5}, firefox-policy
§1.3). C is the folder of the key-independent staples; a path under it is used as it is.
"""

from __future__ import annotations

from ..pki import PKI

P = "ee-plain"
MS = "ee-must-staple"
C = "staples/common/"


class Context:
    """One key type's PKI (`ch`: end-entity name -> chain path) and staples (name -> path)."""

    def __init__(self, pki: PKI, staples: dict[str, str]):
        self.kt = pki.kt
        self.ch = pki.chains
        self.staples = staples

    def st(self, name: str) -> str:
        """The path of the staple `name` of this key type."""
        return self.staples[name]

    def resp(self, name: str) -> dict:
        """A responder answer (HTTP 200) with the staple `name`, or with a path under C."""
        return {"response": self.staples[name] if not name.startswith(C) else name}
