"""JSON text of user values (inputs, outputs, metadata, log attributes). Never raises.

Fast path: the standard library's C encoder, with ``_convert`` for the types it
does not know. What it refuses (NaN and infinities, keys of other types than
str/int/float/bool/None, cycles, nesting past the recursion limit, a value
changed by another thread while encoded) goes through ``_plain``, a walk that
converts or marks every part:

- ``datetime``/``date``/``time`` -> ISO-8601 text; ``timedelta`` -> seconds;
  ``Decimal`` -> number; ``UUID``, paths -> text; ``Enum`` -> its value;
  ``set``/``frozenset`` -> array; ``bytes`` -> ``{"$bytes": n, "base64": ...}``;
  dataclasses -> object of their fields; objects with ``model_dump()`` (pydantic)
  -> what it returns; exceptions -> ``{"$error": type, "message": str}``;
- NaN and infinities -> ``null`` (as ``JSON.stringify`` does); other keys -> ``str(key)``;
- a cycle -> ``{"$circular": true}``; anything else -> ``{"$unserializable": type, "repr": ...}``;
- subtrees nested past the server's 64 levels -> ``{"$truncated": true, "nestedDeeperThan": 64}``;
- text over ``max_bytes`` -> ``{"$truncated": true, "originalBytes": n, "preview": first 2,000 characters}``.
"""

from __future__ import annotations

import base64
import dataclasses
import datetime
import decimal
import enum
import json
import math
import re
import uuid
from pathlib import PurePath
from typing import Any, Dict, List

from .protocol import LIMITS

PREVIEW_CHARS = 2000
_REPR_CHARS = 200
_DEPTH = LIMITS.json_depth


def _qualname(value: object) -> str:
    kind = type(value)
    module = getattr(kind, "__module__", "")
    return kind.__qualname__ if module in ("builtins", "") else f"{module}.{kind.__qualname__}"


def _safe_repr(value: object) -> str:
    try:
        text = repr(value)
    except Exception:  # a broken __repr__ must not break recording
        return f"<{_qualname(value)}>"
    return text if len(text) <= _REPR_CHARS else text[:_REPR_CHARS] + "…"


def _convert(value: Any) -> Any:
    """A JSON-ready stand-in for a value the encoder does not know (its ``default`` hook)."""
    if isinstance(value, (datetime.datetime, datetime.date, datetime.time)):
        return value.isoformat()
    if isinstance(value, datetime.timedelta):
        return value.total_seconds()
    if isinstance(value, decimal.Decimal):
        number = float(value)
        return number if math.isfinite(number) else None
    if isinstance(value, (uuid.UUID, PurePath)):
        return str(value)
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, (set, frozenset)):
        items: List[Any] = list(value)  # type: ignore[arg-type]
        try:
            items.sort()
        except TypeError:  # mixed types: keep iteration order
            pass
        return items
    if isinstance(value, (bytes, bytearray, memoryview)):
        raw = bytes(value)
        return {"$bytes": len(raw), "base64": base64.b64encode(raw).decode("ascii")}
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {field.name: getattr(value, field.name, None) for field in dataclasses.fields(value)}
    dump = getattr(value, "model_dump", None)
    if callable(dump) and not isinstance(value, type):
        try:
            return dump(mode="json")
        except Exception:
            pass
    if isinstance(value, BaseException):
        return {"$error": _qualname(value), "message": str(value)}
    return {"$unserializable": _qualname(value), "repr": _safe_repr(value)}


_encode = json.JSONEncoder(ensure_ascii=False, allow_nan=False, separators=(",", ":"), default=_convert).encode
# The C encoder, made once: JSONEncoder.encode makes a new one per call (half the cost of a small
# value). None on interpreters without the C accelerator.
_c_make_encoder: Any = getattr(json.encoder, "c_make_encoder", None)
_encode_str: Any = getattr(json.encoder, "c_encode_basestring", None)
# No cycle bookkeeping (``markers`` None): a cycle ends in RecursionError, and the slow path marks it.
_c_encode = (
    None if _c_make_encoder is None else _c_make_encoder(None, _convert, _encode_str, None, ":", ",", False, False, False)
)


def _dumps(value: Any) -> str:
    if _c_encode is None:
        return _encode(value)
    return "".join(_c_encode(value, 0))
_STRING = re.compile(r'"(?:[^"\\]|\\.)*"')
_BRACKETS = re.compile(r"[\[\]{}]")


def _key(key: Any) -> str:
    """A dict key as text: what ``json`` does for None, bools and numbers, ``str()`` otherwise."""
    if isinstance(key, str):
        return key
    if key is None or isinstance(key, bool):
        return "null" if key is None else ("true" if key else "false")
    if isinstance(key, int):
        return str(key)
    if isinstance(key, float):
        if math.isfinite(key):
            return repr(key)
        return "NaN" if key != key else ("Infinity" if key > 0 else "-Infinity")
    try:
        converted = _convert(key)
        return converted if isinstance(converted, str) else str(key)
    except Exception:
        return _safe_repr(key)


def _plain(value: Any, depth: int, path: set[int]) -> Any:
    """``value`` as plain JSON data: converted, NaN-free, cycle-free, at most 64 levels deep.

    ``depth`` is the level ``value`` would be at if it is a container (the top is 1).
    """
    if value is None or isinstance(value, (str, bool, int)):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if not isinstance(value, (dict, list, tuple)):
        try:
            converted = _convert(value)
        except Exception:
            return {"$unserializable": _qualname(value), "repr": _safe_repr(value)}
        return _plain(converted, depth, path) if converted is not value else None
    marker = id(value)
    if marker in path:
        return {"$circular": True}
    try:
        items = list(value.items()) if isinstance(value, dict) else list(value)  # pyright: ignore
    except Exception:  # changed by another thread while we read it
        return {"$unserializable": _qualname(value), "repr": "changed while being recorded"}
    children = [item for _, item in items] if isinstance(value, dict) else items
    if depth >= _DEPTH and any(_is_container(child) for child in children):
        return {"$truncated": True, "nestedDeeperThan": _DEPTH}
    path.add(marker)
    try:
        if isinstance(value, dict):
            out: Dict[str, Any] = {}
            for key, item in items:
                out[_key(key)] = _plain(item, depth + 1, path)
            return out
        return [_plain(item, depth + 1, path) for item in items]
    finally:
        path.discard(marker)


def _is_container(value: Any) -> bool:
    if isinstance(value, (dict, list, tuple)):
        return True
    if value is None or isinstance(value, (str, int, float)):
        return False
    try:
        return isinstance(_convert(value), (dict, list, tuple))
    except Exception:
        return False


def deeper_than(text: str, limit: int) -> bool:
    """True when the JSON text nests containers more than ``limit`` deep."""
    # Fewer brackets than the limit cannot nest past it: the usual case, at C speed.
    if len(text) <= 2 * limit + 1 or text.count("{") + text.count("[") <= limit:
        return False
    depth = 0
    for bracket in _BRACKETS.findall(_STRING.sub("", text)):
        if bracket in "[{":
            depth += 1
            if depth > limit:
                return True
        else:
            depth -= 1
    return False


def encode_value(value: Any, max_bytes: int) -> str:
    """JSON text of a user value; see the module docstring for what is converted or marked."""
    try:
        text = _dumps(value)
    except Exception:  # RecursionError included: a cycle, or nesting past the interpreter's limit
        text = None
    if text is None or (len(text) > 2 * _DEPTH + 1 and deeper_than(text, _DEPTH)):
        try:
            text = _encode(_plain(value, 1, set()))
        except Exception as err:  # unreachable: _plain makes plain data; never fail the caller
            text = _encode({"$unserializable": _qualname(value), "repr": str(err)[:_REPR_CHARS]})
    # A code point is at most 4 UTF-8 bytes: only long texts need counting.
    if len(text) * 4 > max_bytes:
        size = utf8_length(text)
        if size > max_bytes:
            return _encode({"$truncated": True, "originalBytes": size, "preview": text[:PREVIEW_CHARS]})
    return text


def utf8_length(text: str) -> int:
    try:
        return len(text.encode("utf-8"))
    except UnicodeEncodeError:  # lone surrogates: sent as \\uXXXX escapes (6 bytes each)
        return len(text.encode("utf-8", "backslashreplace"))


def encode_text(text: str) -> str:
    """A JSON string literal for a str (non-ASCII kept; lone surrogates fixed when the body is encoded)."""
    return _encode(text) if _encode_str is None else _encode_str(text)

