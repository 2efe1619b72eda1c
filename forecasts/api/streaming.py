"""Answers written while the rows are read: large exports in constant memory.

`streamed` runs a generator of text pieces on a snapshot the database streams
from, and hands the WSGI server blocks of about BLOCK bytes: one write per
block, not per row. On PostgreSQL the pieces are read in a transaction, so
`iterator(chunk_size=…)` fetches from a cursor declared without HOLD; a held
cursor (what Django declares in autocommit) runs the whole query and stores
its result on the server before the first row comes back, so the first byte
would wait for the last row. SQLite streams with fetchmany and takes no
transaction: its IMMEDIATE transactions would hold the write lock, and every
forecast, for the length of a download.
"""

import json
from collections.abc import Callable, Iterable, Iterator

from django.db import connection, transaction
from django.http import StreamingHttpResponse
from rest_framework.compat import LONG_SEPARATORS, SHORT_SEPARATORS
from rest_framework.renderers import JSONRenderer
from rest_framework.utils.encoders import JSONEncoder

BLOCK = 64 * 1024
# Rows fetched per round trip from the database's cursor.
CHUNK = 5000


def streamed(
    pieces: Callable[[], Iterable[str]], content_type: str
) -> StreamingHttpResponse:
    """Return a response that writes what `pieces()` yields, read on one snapshot."""
    return StreamingHttpResponse(_blocks(_read(pieces)), content_type=content_type)


def _read(pieces: Callable[[], Iterable[str]]) -> Iterator[str]:
    if connection.vendor == "postgresql" and not connection.in_atomic_block:
        # A client that hangs up closes the generator: the transaction ends.
        with transaction.atomic():
            yield from pieces()
    else:
        yield from pieces()


def _blocks(pieces: Iterable[str]) -> Iterator[bytes]:
    """Join small pieces into blocks of at least BLOCK bytes (UTF-8)."""
    pending, size = [], 0
    for piece in pieces:
        pending.append(piece)
        size += len(piece)
        if size >= BLOCK:
            yield "".join(pending).encode()
            pending, size = [], 0
    if pending:
        yield "".join(pending).encode()


def items(dumps: Callable[[object], str], records: Iterable) -> Iterator[str]:
    """Yield the records as the items of a JSON array, comma-separated."""
    comma = ""
    for record in records:
        yield comma + dumps(record)
        comma = ","


def drf_dumps() -> Callable[[object], str]:
    """Return a function that writes JSON exactly as DRF's JSONRenderer does.

    The same encoder, options and separators, and U+2028 / U+2029 escaped as
    the renderer escapes them, so a document written in pieces equals the
    renderer's output for the whole document.
    """
    renderer = JSONRenderer()
    encode = JSONEncoder(
        ensure_ascii=renderer.ensure_ascii,
        allow_nan=not renderer.strict,
        separators=SHORT_SEPARATORS if renderer.compact else LONG_SEPARATORS,
    ).encode

    def dumps(value) -> str:
        text = encode(value)
        if "\u2028" in text or "\u2029" in text:
            text = text.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")
        return text

    return dumps


def plain_dumps() -> Callable[[object], str]:
    """Return json.dumps(value, ensure_ascii=False), with one encoder for all."""
    return json.JSONEncoder(ensure_ascii=False).encode
