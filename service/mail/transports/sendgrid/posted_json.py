"""JSON as SendGrid posts it (an event batch; Inbound Parse's envelope, charsets and
attachment info), read defensively: whoever reaches the webhook chose the input."""

from __future__ import annotations

import json

MAX_JSON_DEPTH = 20  # SendGrid's JSON (envelope, charsets, events) is two or three deep


def loads(text: str | bytes):
    """json.loads for what arrives over the network: without NaN/Infinity (PostgreSQL's
    json refuses them), NUL removed from every string (PostgreSQL cannot store it), and
    ValueError, not RecursionError, for a value nested deeper than MAX_JSON_DEPTH."""
    try:
        value = json.loads(text, parse_constant=lambda _: None)
    except RecursionError as exc:
        raise ValueError("JSON nested too deeply") from exc
    if nesting_depth(value) > MAX_JSON_DEPTH:
        raise ValueError(f"JSON nested more than {MAX_JSON_DEPTH} levels deep")
    return without_nul(value)


def nesting_depth(value) -> int:
    """How deep lists and objects nest, without recursion (the input chose the depth)."""
    deepest, stack = 0, [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, (list, dict)):
            deepest = max(deepest, depth)
            if depth > MAX_JSON_DEPTH:
                return depth
            stack.extend((child, depth + 1) for child in _children(item))
    return deepest


def _children(item: list | dict):
    return item.values() if isinstance(item, dict) else item


def without_nul(value):
    """`value` with NUL removed from every string; only for a value of bounded depth."""
    if isinstance(value, str):
        return value.replace("\x00", "")
    if isinstance(value, list):
        return [without_nul(v) for v in value]
    if isinstance(value, dict):
        return {without_nul(k): without_nul(v) for k, v in value.items()}
    return value
