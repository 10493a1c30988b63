"""Options, defaults and the SDK's only reader of environment variables.

Times are in seconds (Python's idiom); the wire's ``heartbeatTimeoutMs`` is made here.
"""

from __future__ import annotations

import math
import os
import re
from dataclasses import dataclass
from typing import Callable, Mapping, Optional

from .errors import DeliveryError, InvalidArgumentError

SDK_VERSION = "0.1.0"
USER_AGENT = f"py/{SDK_VERSION}"


class DEFAULTS:
    """Every default in one place (the TypeScript SDK's, in seconds)."""

    base_url = "http://127.0.0.1:3000"
    flush_interval = 0.5
    max_batch_size = 200
    max_batch_bytes = 1024 * 1024
    max_queue_size = 10_000
    max_queue_bytes = 16 * 1024 * 1024
    max_value_bytes = 256 * 1024
    request_timeout = 10.0
    flush_timeout = 30.0
    retry_base = 0.1
    # A long cap leaves a recovered server idle (the TypeScript fault test saw it at 30 s).
    retry_max = 5.0
    heartbeat_interval = 10.0
    heartbeat_timeout = 60.0
    exit_flush_timeout = 5.0
    backpressure_timeout = 5.0


#: Bounds the server accepts for ``heartbeatTimeoutMs`` on ``run.start``, in ms.
HEARTBEAT_TIMEOUT_RANGE_MS = (1_000, 604_800_000)

OnError = Callable[[DeliveryError], None]


@dataclass(frozen=True)
class Config:
    enabled: bool
    base_url: str
    api_key: str
    flush_interval: float
    max_batch_size: int
    max_batch_bytes: int
    max_queue_size: int
    max_queue_bytes: int
    max_value_bytes: int
    request_timeout: float
    #: 0 when heartbeats are off.
    heartbeat_interval: float
    #: What ``run.start`` declares, in ms; None sends nothing.
    heartbeat_timeout_ms: Optional[int]
    exit_flush_timeout: float
    backpressure_timeout: float
    gzip: bool
    on_error: Optional[OnError]


def _positive(name: str, value: object, integer: bool = False) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value) or value <= 0:
        raise InvalidArgumentError(f"Option {name} must be a positive number, got {value!r}.")
    if integer and int(value) != value:
        raise InvalidArgumentError(f"Option {name} must be a whole number, got {value!r}.")
    return value


def _non_negative(name: str, value: object) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value) or value < 0:
        raise InvalidArgumentError(f"Option {name} must be a number >= 0, got {value!r}.")
    return float(value)


def _heartbeat(interval: object, timeout: object) -> tuple[float, Optional[int]]:
    every = _non_negative("heartbeat_interval", interval)
    # Without heartbeats, declaring the default 60 s would time out every quiet run.
    if timeout is None and every == 0:
        return 0.0, None
    seconds = DEFAULTS.heartbeat_timeout if timeout is None else timeout
    low, high = HEARTBEAT_TIMEOUT_RANGE_MS
    if isinstance(seconds, bool) or not isinstance(seconds, (int, float)) or not math.isfinite(seconds):
        raise InvalidArgumentError(f"Option heartbeat_timeout must be a number of seconds, got {seconds!r}.")
    ms = round(seconds * 1000)
    if ms < low or ms > high:
        raise InvalidArgumentError(f"Option heartbeat_timeout must be {low / 1000:g} .. {high / 1000:g} s, got {seconds!r}.")
    if every > 0 and ms <= every * 1000:
        raise InvalidArgumentError(
            f"Option heartbeat_timeout ({seconds!r} s) must be longer than heartbeat_interval ({every!r} s), "
            "or every quiet run would time out between two heartbeats."
        )
    return every, ms


def env_disabled(env: Mapping[str, str]) -> bool:
    return re.fullmatch(r"(?i)1|true|yes", env.get("RUNTRAIL_DISABLED", "").strip()) is not None


def resolve_config(
    *,
    base_url: Optional[str] = None,
    api_key: Optional[str] = None,
    enabled: Optional[bool] = None,
    flush_interval: float = DEFAULTS.flush_interval,
    max_batch_size: int = DEFAULTS.max_batch_size,
    max_batch_bytes: int = DEFAULTS.max_batch_bytes,
    max_queue_size: int = DEFAULTS.max_queue_size,
    max_queue_bytes: int = DEFAULTS.max_queue_bytes,
    max_value_bytes: int = DEFAULTS.max_value_bytes,
    request_timeout: float = DEFAULTS.request_timeout,
    heartbeat_interval: float = DEFAULTS.heartbeat_interval,
    heartbeat_timeout: Optional[float] = None,
    exit_flush_timeout: float = DEFAULTS.exit_flush_timeout,
    backpressure_timeout: float = DEFAULTS.backpressure_timeout,
    gzip: bool = False,
    on_error: Optional[OnError] = None,
    env: Optional[Mapping[str, str]] = None,
) -> Config:
    """Merges options, environment and defaults; raises InvalidArgumentError on bad values."""
    environ: Mapping[str, str] = os.environ if env is None else env
    is_enabled = enabled is not False and not env_disabled(environ)
    url = (base_url if base_url is not None else environ.get("RUNTRAIL_URL") or DEFAULTS.base_url).rstrip("/")
    key = api_key if api_key is not None else environ.get("RUNTRAIL_API_KEY", "")
    if is_enabled:
        if not key:
            raise InvalidArgumentError(
                "Runtrail needs an API key: pass api_key= or set RUNTRAIL_API_KEY "
                "(or disable the SDK with enabled=False / RUNTRAIL_DISABLED=1)."
            )
        if re.match(r"(?i)https?://", url) is None:
            raise InvalidArgumentError(f'base_url must start with http:// or https://, got "{url}" (RUNTRAIL_URL).')
    if on_error is not None and not callable(on_error):
        raise InvalidArgumentError("Option on_error must be a function taking a DeliveryError.")
    interval, timeout_ms = _heartbeat(heartbeat_interval, heartbeat_timeout)
    return Config(
        enabled=is_enabled,
        base_url=url,
        api_key=key,
        flush_interval=_positive("flush_interval", flush_interval),
        max_batch_size=int(_positive("max_batch_size", max_batch_size, integer=True)),
        max_batch_bytes=int(_positive("max_batch_bytes", max_batch_bytes, integer=True)),
        max_queue_size=int(_positive("max_queue_size", max_queue_size, integer=True)),
        max_queue_bytes=int(_positive("max_queue_bytes", max_queue_bytes, integer=True)),
        max_value_bytes=int(_positive("max_value_bytes", max_value_bytes, integer=True)),
        request_timeout=_positive("request_timeout", request_timeout),
        heartbeat_interval=interval,
        heartbeat_timeout_ms=timeout_ms,
        exit_flush_timeout=_non_negative("exit_flush_timeout", exit_flush_timeout),
        backpressure_timeout=_non_negative("backpressure_timeout", backpressure_timeout),
        gzip=bool(gzip),
        on_error=on_error,
    )
