"""itsdangerous' URLSafeTimedSerializer format, signed and checked with keys derived once.

The signup reads two such values on every POST: the Flask session cookie (which holds
the CSRF raw token) and the form's signed CSRF token. itsdangerous derived each key and
built its signer, HMAC and exception plumbing again for every read: 9% of a signup's CPU
in a gunicorn worker (py-spy). Here each key's HMAC is made once and copied per message,
as service/tokens.py does for link tokens, and values stay byte for byte what
itsdangerous makes and reads (tests/test_signed_values.py compares both ways, rotated
keys, tampering and expiry included). Failures raise itsdangerous' own exceptions, so
callers keep their `except` clauses and messages.
"""

from __future__ import annotations

import binascii
import hashlib
import hmac
import json
import time
import zlib
from collections.abc import Sequence

from itsdangerous import BadPayload, BadSignature, BadTimeSignature, SignatureExpired


class TimedSigner:
    """URLSafeTimedSerializer(keys, salt, signer_kwargs={"key_derivation": ...})'s signing
    layer with HMAC-SHA1: `keys` oldest to newest; signs with the newest, reads with any,
    newest first (itsdangerous' rotation order)."""

    def __init__(
        self, keys: Sequence[str | bytes], salt: str, *, key_derivation: str = "django-concat"
    ):
        secrets = [k.encode() if isinstance(k, str) else bytes(k) for k in keys]
        if not secrets:
            raise ValueError("at least one secret key is required")
        salt_bytes = salt.encode()
        if key_derivation == "django-concat":
            derived = [hashlib.sha1(salt_bytes + b"signer" + s).digest() for s in secrets]
        elif key_derivation == "hmac":
            derived = [hmac.new(s, salt_bytes, hashlib.sha1).digest() for s in secrets]
        else:
            raise ValueError(f"key_derivation {key_derivation!r}: use 'django-concat' or 'hmac'")
        # Newest first: the order itsdangerous tries them in, and [0] signs.
        self._macs = [hmac.new(key, digestmod=hashlib.sha1) for key in reversed(derived)]

    def sign(self, value: bytes) -> bytes:
        """TimestampSigner.sign: value.timestamp.signature, stamped now."""
        now = int(time.time())
        value = value + b"." + urlsafe_b64(now.to_bytes((now.bit_length() + 7) // 8, "big"))
        return value + b"." + urlsafe_b64(self._digest(self._macs[0], value))

    def unsign(self, signed: bytes, max_age: int | None) -> bytes:
        """TimestampSigner.unsign: the value, or BadSignature (a BadTimeSignature when
        the signature does not match or the stamp is missing), or SignatureExpired when
        the stamp is more than `max_age` seconds old or in the future."""
        value, sep, signature = signed.rpartition(b".")
        if not sep:
            raise BadSignature("No '.' found in value")
        try:
            wanted = urlsafe_unb64(signature)
        except ValueError:
            wanted = None
        if wanted is None or not any(
            hmac.compare_digest(self._digest(mac, value), wanted) for mac in self._macs
        ):
            raise BadTimeSignature(f"Signature {signature!r} does not match", payload=value)
        body, sep, stamp = value.rpartition(b".")
        if not sep:
            raise BadTimeSignature("timestamp missing", payload=value)
        try:
            signed_at = int.from_bytes(urlsafe_unb64(stamp), "big")
        except ValueError:
            raise BadTimeSignature("Malformed timestamp", payload=body) from None
        if max_age is not None:
            age = int(time.time()) - signed_at
            if age > max_age or age < 0:
                raise SignatureExpired(f"Signature age {age} outside 0..{max_age} seconds")
        return body

    @staticmethod
    def _digest(mac, value: bytes) -> bytes:
        mac = mac.copy()
        mac.update(value)
        return mac.digest()


class TimedSerializer:
    """URLSafeTimedSerializer's dumps and loads over a TimedSigner, with `serializer`
    (an object with text `dumps` and `loads`: json's compact form, or Flask's tagged
    JSON for sessions) for the payload."""

    def __init__(self, signer: TimedSigner, serializer, secret_keys: Sequence[bytes] = ()):
        self.signer, self.serializer = signer, serializer
        self.secret_keys = list(secret_keys)  # as itsdangerous shows them, oldest first

    def dumps(self, obj) -> str:
        return self.signer.sign(dump_payload(self.serializer.dumps(obj))).decode()

    def loads(self, s: str | bytes, max_age: int | None = None):
        """The object, or BadSignature (SignatureExpired past `max_age`), or BadPayload
        for a signed value that does not decode (itsdangerous' order and classes)."""
        text = load_payload(self.signer.unsign(s.encode() if isinstance(s, str) else s, max_age))
        try:
            return self.serializer.loads(text)
        except Exception as exc:  # as itsdangerous: whatever the serializer raises
            raise BadPayload("Could not load the payload", original_error=exc) from exc


class CompactJSON:
    """itsdangerous' default payload serializer."""

    @staticmethod
    def loads(text: str):
        return json.loads(text)

    @staticmethod
    def dumps(obj) -> str:
        return json.dumps(obj, ensure_ascii=False, separators=(",", ":"))


def dump_payload(text: str) -> bytes:
    """URLSafeSerializerMixin.dump_payload of serialized text: zlib-compressed (marked by
    a leading ".") when that is more than a byte shorter, then URL-safe base64."""
    data = text.encode()
    compressed = zlib.compress(data)
    if len(compressed) < len(data) - 1:
        return b"." + urlsafe_b64(compressed)
    return urlsafe_b64(data)


def load_payload(payload: bytes) -> str:
    """The text dump_payload (or itsdangerous) packed; BadPayload if it is not such."""
    compressed = payload[:1] == b"."
    try:
        data = urlsafe_unb64(payload[1:] if compressed else payload)
        if compressed:
            data = zlib.decompress(data)
        return data.decode()
    except (ValueError, zlib.error) as exc:
        raise BadPayload("Could not decode the payload", original_error=exc) from exc


# base64.urlsafe_b64encode and urlsafe_b64decode are these two calls, behind Python
# layers that cost a few microseconds a call: three to five calls a value.
_TO_URLSAFE = bytes.maketrans(b"+/", b"-_")
_FROM_URLSAFE = bytes.maketrans(b"-_", b"+/")


def urlsafe_b64(data: bytes) -> bytes:
    """itsdangerous.encoding.base64_encode: URL-safe base64 without padding."""
    return binascii.b2a_base64(data, newline=False).translate(_TO_URLSAFE).rstrip(b"=")


def urlsafe_unb64(data: bytes) -> bytes:
    """itsdangerous.encoding.base64_decode's result (padded, then decoded leniently:
    characters outside the alphabet are skipped); ValueError where it raises BadData
    (binascii.Error is a ValueError)."""
    padded = data + b"=" * (-len(data) % 4)
    return binascii.a2b_base64(padded.translate(_FROM_URLSAFE))
