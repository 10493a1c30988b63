"""Values the json module cannot encode are converted or marked, and nothing past the server's limits is sent."""

import dataclasses
import datetime
import decimal
import enum
import json
import math
import uuid
from pathlib import PurePosixPath

import pytest

from runtrail import InvalidArgumentError
from runtrail._checks import check_id, check_tags, check_usage, error_text, fail_info, truncate_text, utf16_length
from runtrail._jsonable import encode_value

MAX = 256 * 1024


def roundtrip(value):
    return json.loads(encode_value(value, MAX))


def depth(value):
    if isinstance(value, dict):
        return 1 + max((depth(v) for v in value.values()), default=0)
    if isinstance(value, list):
        return 1 + max((depth(v) for v in value), default=0)
    return 0


class Colour(enum.Enum):
    RED = "red"


@dataclasses.dataclass
class Point:
    x: int
    when: datetime.date


class Opaque:
    def __repr__(self):
        return "Opaque()"


def test_converts_what_json_does_not_know():
    value = {
        "when": datetime.datetime(2024, 5, 1, 12, 0, tzinfo=datetime.timezone.utc),
        "day": datetime.date(2024, 5, 1),
        "wait": datetime.timedelta(seconds=1.5),
        "price": decimal.Decimal("1.25"),
        "id": uuid.UUID("12345678-1234-5678-1234-567812345678"),
        "path": PurePosixPath("/tmp/x"),
        "colour": Colour.RED,
        "tags": {"b", "a"},
        "blob": b"\x00\x01",
        "point": Point(1, datetime.date(2024, 1, 2)),
        "error": ValueError("bad"),
        "tuple": (1, 2),
    }
    assert roundtrip(value) == {
        "when": "2024-05-01T12:00:00+00:00",
        "day": "2024-05-01",
        "wait": 1.5,
        "price": 1.25,
        "id": "12345678-1234-5678-1234-567812345678",
        "path": "/tmp/x",
        "colour": "red",
        "tags": ["a", "b"],
        "blob": {"$bytes": 2, "base64": "AAE="},
        "point": {"x": 1, "when": "2024-01-02"},
        "error": {"$error": "ValueError", "message": "bad"},
        "tuple": [1, 2],
    }


def test_marks_the_unknown_and_never_raises():
    assert roundtrip({"o": Opaque()}) == {"o": {"$unserializable": f"{__name__}.Opaque", "repr": "Opaque()"}}

    class Broken:
        def __repr__(self):
            raise RuntimeError("no repr")

    assert roundtrip([Broken()])[0]["$unserializable"].endswith("Broken")


def test_nan_keys_and_cycles_take_the_slow_path():
    cyclic = {"a": 1}
    cyclic["self"] = cyclic
    assert roundtrip({"x": math.nan, "y": [math.inf, -math.inf, 1.5]}) == {"x": None, "y": [None, None, 1.5]}
    assert roundtrip({1: "a", None: "b", (1, 2): "c", 2.5: "d"}) == {"1": "a", "null": "b", "(1, 2)": "c", "2.5": "d"}
    assert roundtrip(cyclic) == {"a": 1, "self": {"$circular": True}}
    shared = [1]
    assert roundtrip({"a": shared, "b": shared}) == {"a": [1], "b": [1]}  # shared is not a cycle


def test_caps_nesting_at_64_levels_like_the_typescript_sdk():
    ok = "leaf"
    for _ in range(64):
        ok = [ok]
    assert roundtrip(ok) == ok  # exactly 64 levels pass untouched

    deep = "leaf"
    for i in range(100_000):  # far past the recursion limit
        deep = {"d": deep} if i % 2 else [deep]
    capped = roundtrip({"deep": deep})
    assert depth(capped) == 64
    node = capped
    for _ in range(63):
        node = node["deep"] if "deep" in node else (node["d"] if isinstance(node, dict) else node[0])
    assert node == {"$truncated": True, "nestedDeeperThan": 64}


def test_replaces_values_over_the_size_limit_by_a_marker():
    big = {"blob": "é" * 200_000}  # 400,000 UTF-8 bytes
    compact = json.dumps(big, ensure_ascii=False, separators=(",", ":"))
    marker = roundtrip(big)
    assert marker == {"$truncated": True, "originalBytes": len(compact.encode()), "preview": compact[:2000]}


def test_lone_surrogates_are_encoded_as_json_escapes():
    text = encode_value({"k\ud800": "a\udfffb"}, MAX)
    body = text.encode("utf-8", "backslashreplace")
    assert json.loads(body) == {"k\ud800": "a\udfffb"}


def test_texts_are_cut_in_utf16_units_without_splitting_a_pair():
    assert utf16_length("a😀") == 3
    cut = truncate_text("😀" * 10, 9)
    assert cut.endswith("… [truncated]") and utf16_length(cut) <= 9 + len("… [truncated]")
    assert "\ud83d" not in cut.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "surrogatepass")[-15:-14]
    hard = truncate_text("x" * 70_000, 262_144, 65_536)
    assert len(hard) == 65_536 and hard.endswith("… [truncated]")
    assert truncate_text("short", 10) == "short"


def test_call_site_checks_name_the_argument():
    with pytest.raises(InvalidArgumentError, match="at most 200"):
        check_id("x" * 201, "run(): run id")
    with pytest.raises(InvalidArgumentError, match="NUL"):
        check_id("a\0b", "parent_task_id")
    with pytest.raises(InvalidArgumentError, match=r"tags\[1\]"):
        check_tags(["ok", ""])
    with pytest.raises(InvalidArgumentError, match="at most 50 tags"):
        check_tags([str(i) for i in range(51)])
    with pytest.raises(InvalidArgumentError, match="usage.tokens is not a usage field"):
        check_usage({"tokens": 1}, "complete()")
    with pytest.raises(InvalidArgumentError, match="usage.cost_usd must be a non-negative"):
        check_usage({"cost_usd": -1}, "fail()")
    with pytest.raises(InvalidArgumentError, match="usage.input_tokens"):
        check_usage({"input_tokens": True}, "complete()")
    assert json.loads(check_usage({"input_tokens": 3, "output_tokens": 2.5, "cost_usd": 0.01}, "x")) == {
        "inputTokens": 3, "outputTokens": 2.5, "costUsd": 0.01,
    }


def test_fail_takes_the_exception_and_its_traceback():
    def explode():
        raise KeyError("missing")

    try:
        explode()
    except KeyError as err:
        message, stack = fail_info(err, None, None)
    assert message == "KeyError: 'missing'"
    assert "Traceback (most recent call last)" in stack and "in explode" in stack
    assert fail_info("plain text", None, None) == ("plain text", None)
    assert fail_info(None, "Connection refused", None) == ("Connection refused", None)
    with pytest.raises(InvalidArgumentError):
        fail_info(None, None, None)
    assert error_text(ValueError())[0] == "ValueError"
