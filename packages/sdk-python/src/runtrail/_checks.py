"""Call-site checks (misuse raises InvalidArgumentError naming the argument) and text cuts.

The server counts lengths in UTF-16 code units, as JavaScript does; so do these.
"""

from __future__ import annotations

import math
import re
import traceback
from typing import Any, Dict, List, Mapping, Optional, Sequence, Tuple

from .errors import InvalidArgumentError
from .protocol import LIMITS, LOG_LEVELS

#: Ends a text the SDK cut short.
TRUNCATED_MARKER = "… [truncated]"
_SURROGATE = re.compile("[\ud800-\udfff]")
_USAGE_KEYS = {"input_tokens": "inputTokens", "output_tokens": "outputTokens", "cost_usd": "costUsd"}


def utf16_length(text: str) -> int:
    if text.isascii():
        return len(text)
    return len(text.encode("utf-16-le", "surrogatepass")) // 2


def truncate_text(text: str, limit: int, hard_max: Optional[int] = None) -> str:
    """``text``, or when longer than ``limit`` UTF-16 units, its start followed by
    :data:`TRUNCATED_MARKER`, never past ``hard_max`` (marker included), never
    splitting a surrogate pair."""
    bound = limit if hard_max is None else min(limit, hard_max)
    # A code point is at most 2 UTF-16 units: short texts need no counting.
    if len(text) * 2 <= bound or utf16_length(text) <= bound:
        return text
    keep = max(0, min(limit, (limit if hard_max is None else hard_max) - len(TRUNCATED_MARKER)))
    units = text.encode("utf-16-le", "surrogatepass")[: keep * 2]
    if units and 0xD8 <= units[-1] <= 0xDB:  # a high surrogate whose pair was cut off
        units = units[:-2]
    return units.decode("utf-16-le", "surrogatepass") + TRUNCATED_MARKER


def check_name(name: object, what: str) -> str:
    if not isinstance(name, str) or not name or name.isspace():
        got = repr(name) if isinstance(name, str) else type(name).__name__
        raise InvalidArgumentError(f"{what} name must be a non-empty string, got {got}.")
    return name


def check_id(value: object, what: str) -> str:
    """An id given by the caller: 1 .. 200 characters, without NUL or surrogates (the server refuses them)."""
    if not isinstance(value, str) or not value:
        raise InvalidArgumentError(f"{what} must be a non-empty string.")
    length = utf16_length(value)
    if length > LIMITS.id_chars:
        raise InvalidArgumentError(f"{what} must be at most {LIMITS.id_chars} characters, got {length}.")
    if "\0" in value or _SURROGATE.search(value):
        raise InvalidArgumentError(f"{what} must not contain NUL characters or lone UTF-16 surrogates.")
    return value


def check_tags(tags: object) -> List[str]:
    if isinstance(tags, (str, bytes)) or not isinstance(tags, Sequence):
        raise InvalidArgumentError("start_run(): tags must be a list of strings.")
    copy = list(tags)  # pyright: ignore[reportUnknownArgumentType]
    if len(copy) > LIMITS.tags:
        raise InvalidArgumentError(f"start_run(): at most {LIMITS.tags} tags, got {len(copy)}.")
    for index, tag in enumerate(copy):
        if not isinstance(tag, str):
            raise InvalidArgumentError(f"start_run(): tags[{index}] must be a string, got {type(tag).__name__}.")
        length = utf16_length(tag)
        if length == 0 or length > LIMITS.tag_chars:
            raise InvalidArgumentError(f"start_run(): tags[{index}] must be 1..{LIMITS.tag_chars} characters, got {length}.")
    return copy  # pyright: ignore[reportUnknownVariableType]


def _number(value: object) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def check_usage(usage: object, where: str) -> Optional[str]:
    """The wire JSON of a usage mapping (``input_tokens``, ``output_tokens``, ``cost_usd``), or None."""
    if usage is None:
        return None
    if not isinstance(usage, Mapping):
        raise InvalidArgumentError(f"{where}: usage must be a dict like {{input_tokens, output_tokens, cost_usd}}.")
    parts: List[str] = []
    for key, value in usage.items():  # pyright: ignore[reportUnknownVariableType]
        wire = _USAGE_KEYS.get(key) if isinstance(key, str) else None
        if wire is None:
            raise InvalidArgumentError(f"{where}: usage.{key} is not a usage field ({', '.join(_USAGE_KEYS)}).")
        if value is None:
            continue
        if not _number(value) or not math.isfinite(value) or value < 0:  # pyright: ignore
            raise InvalidArgumentError(f"{where}: usage.{key} must be a non-negative finite number, got {value!r}.")
        if value > LIMITS.usage_max:  # pyright: ignore
            raise InvalidArgumentError(f"{where}: usage.{key} must be at most {LIMITS.usage_max:g}, got {value!r}.")
        parts.append(f'"{wire}":{float(value) if isinstance(value, float) else int(value)!r}')  # pyright: ignore
    return "{" + ",".join(parts) + "}"


def error_text(error: BaseException) -> Tuple[str, str]:
    """Message (``"ValueError: bad input"``, as the traceback's last line) and stack of an exception."""
    message = "".join(traceback.format_exception_only(type(error), error)).strip() or type(error).__name__
    stack = "".join(traceback.format_exception(type(error), error, error.__traceback__))
    return message, stack


def fail_info(
    error: object, error_message: Optional[str], error_stack: Optional[str]
) -> Tuple[str, Optional[str]]:
    """Message and stack of a ``fail()`` call: from ``error`` (an exception or a text) or the explicit fields."""
    message = error_message
    stack = error_stack
    if isinstance(error, BaseException):
        own_message, own_stack = error_text(error)
        message = own_message if message is None else message
        stack = own_stack if stack is None else stack
    elif error is not None and message is None:
        message = error if isinstance(error, str) else str(error)
    if not isinstance(message, str) or message == "":
        raise InvalidArgumentError("fail() needs an exception, a message, or a non-empty error_message=.")
    if stack is not None and not isinstance(stack, str):
        raise InvalidArgumentError("fail(): error_stack must be a string.")
    return message, stack


def check_log(message: object, level: object, attributes: object) -> Optional[str]:
    """Checks a log call; returns the wire level ("warning" is read as "warn")."""
    if not isinstance(message, str) or message == "":
        got = '""' if isinstance(message, str) else type(message).__name__
        raise InvalidArgumentError(f"log(): message must be a non-empty string, got {got}.")
    if level is not None:
        wire = "warn" if level == "warning" else level
        if wire not in LOG_LEVELS:
            raise InvalidArgumentError(f"log(): level must be one of {', '.join(LOG_LEVELS)}, got {level!r}.")
        level = wire
    if attributes is not None and not isinstance(attributes, Mapping):
        raise InvalidArgumentError("log(): attributes must be a dict.")
    return level  # pyright: ignore[reportReturnType]


def check_update(status_message: object, progress: object) -> None:
    if status_message is None and progress is None:
        raise InvalidArgumentError("update(): give status_message, progress, or both.")
    if status_message is not None and not isinstance(status_message, str):
        raise InvalidArgumentError(f"update(): status_message must be a string, got {type(status_message).__name__}.")
    if progress is not None and (not _number(progress) or not 0 <= progress <= 1):  # pyright: ignore
        raise InvalidArgumentError(f"update(): progress must be a number from 0 to 1, got {progress!r}.")


def check_metadata(metadata: object) -> Dict[str, Any]:
    if not isinstance(metadata, Mapping):
        raise InvalidArgumentError("start_run(): metadata must be a dict.")
    return metadata  # pyright: ignore[reportReturnType]
