"""A JSON parser that refuses what Python's json module lets through."""

import json
import math
from decimal import Decimal

from rest_framework.exceptions import ParseError
from rest_framework.parsers import BaseParser


class StrictJSONParser(BaseParser):
    """Parse a UTF-8 JSON object; refuse NaN, Infinity, overflow and duplicate keys.

    Numbers with a fraction become Decimal, so 0.72 reaches the ledger exactly
    as sent and 0.72000000000000001 is refused rather than rounded.
    """

    media_type = "application/json"

    def parse(self, stream, media_type=None, parser_context=None):
        try:
            text = stream.read().decode("utf-8")
        except UnicodeDecodeError:
            raise ParseError("The body is not valid UTF-8.") from None
        try:
            data = json.loads(
                text,
                parse_float=_finite_decimal,
                parse_constant=_refuse_constant,
                object_pairs_hook=_unique_keys,
            )
        except (ValueError, RecursionError) as error:
            raise ParseError(f"The body is not valid JSON: {error}") from None
        if not isinstance(data, dict):
            raise ParseError("The body must be a JSON object.")
        _refuse_lone_surrogates(data)
        return data


def _finite_decimal(text: str) -> Decimal:
    # 1e400 is valid JSON but overflows a float to infinity.
    if math.isinf(float(text)):
        raise ValueError(f"number out of range: {text}")
    return Decimal(text)


def _refuse_constant(name: str):
    raise ValueError(f"{name} is not a JSON number")


def _unique_keys(pairs: list) -> dict:
    data = {}
    for key, value in pairs:
        if key in data:
            raise ValueError(f"duplicate key {key!r}")
        data[key] = value
    return data


def _refuse_lone_surrogates(data: dict) -> None:
    # "\ud800" parses, but can be neither stored, hashed nor echoed back.
    try:
        json.dumps(data, ensure_ascii=False, default=str).encode("utf-8")
    except UnicodeEncodeError:
        raise ParseError("The body contains an unpaired surrogate escape.") from None
