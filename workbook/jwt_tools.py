"""Read and forge JSON Web Tokens on the trusted side, with the standard library only.

Hidden tests decode a token's claims to check its lifetime, and forge tokens (expired, signed
with another key, ``alg: none``) to check the learner's app refuses them.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time
import uuid
from typing import Any


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def claims(token: str) -> dict[str, Any]:
    """A token's payload, read without checking its signature."""
    try:
        data: dict[str, Any] = json.loads(_unb64(token.split(".")[1]))
    except (IndexError, ValueError):
        raise AssertionError("the token is not a JWT (header.payload.signature)") from None
    return data


def access_claims(subject: str, lifetime: int = 600, **extra: Any) -> dict[str, Any]:
    """The claims Flask-JWT-Extended puts in an access token, for ``subject``."""
    now = int(time.time())
    return {
        "sub": subject,
        "jti": str(uuid.uuid4()),
        "type": "access",
        "fresh": False,
        "iat": now,
        "nbf": now,
        "exp": now + lifetime,
        **extra,
    }


def forge(payload: dict[str, Any], key: str | None, alg: str = "HS256") -> str:
    """A token with ``payload``, signed with HMAC-SHA256 and ``key`` (unsigned for ``none``)."""
    header = _b64(json.dumps({"alg": alg, "typ": "JWT"}).encode())
    body = _b64(json.dumps(payload).encode())
    if alg == "none" or key is None:
        return f"{header}.{body}."
    signature = hmac.new(key.encode(), f"{header}.{body}".encode(), hashlib.sha256).digest()
    return f"{header}.{body}.{_b64(signature)}"
