"""Streaming multipart uploads: the file part goes straight to storage, chunk by chunk, never whole in memory."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import AsyncIterator
from dataclasses import dataclass

import filetype
from multipart import MultipartSegment, ParserError, PushMultipartParser, parse_options_header

from domains.kernel.errors import Invalid, UnsupportedType

ALLOWED_TYPES = frozenset(
    {
        "image/jpeg", "image/png", "image/gif", "image/webp", "image/heic",
        "application/pdf", "text/plain", "text/csv",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        "application/zip",
    }
)  # fmt: skip
_UNSAFE = re.compile(r"[\x00-\x1f\x7f/\\:*?\"<>|]+")


@dataclass
class FilePart:
    """Filled in while the stream is read: the file field's declared name."""

    filename: str | None = None


def sanitize_filename(raw: str | None) -> str:
    name = unicodedata.normalize("NFC", raw or "").replace("\\", "/").rsplit("/", 1)[-1]
    name = _UNSAFE.sub("_", name).strip(" .")
    return (name or "file")[:200]


def sniff_content_type(head: bytes, filename: str) -> str:
    """The type the bytes say they are; the client's claim is never trusted."""
    kind = filetype.guess(head)
    if kind is not None:
        mime = str(kind.mime)
    else:
        try:
            head.decode("utf-8")
        except UnicodeDecodeError as exc:
            # A multi-byte character may be cut at the end of the sniffed head; only then is it still text.
            if exc.start < len(head) - 4:
                raise UnsupportedType("this kind of file cannot be shared here") from None
        mime = "text/csv" if filename.lower().endswith(".csv") else "text/plain"
    if mime not in ALLOWED_TYPES:
        raise UnsupportedType(f"files of type {mime} cannot be shared here")
    return mime


def boundary_of(content_type: str) -> str:
    kind, options = parse_options_header(content_type)
    if kind != "multipart/form-data" or not options.get("boundary"):
        raise Invalid("send the file as multipart/form-data with a 'file' field")
    return str(options["boundary"])


async def file_chunks(stream: AsyncIterator[bytes], boundary: str, part: FilePart) -> AsyncIterator[bytes]:
    """Yield the body of the first segment that carries a file name; other fields are skipped."""
    in_file = done = False
    try:
        with PushMultipartParser(boundary, max_segment_count=16) as parser:
            async for chunk in stream:
                for event in parser.parse(chunk):
                    if isinstance(event, MultipartSegment):
                        in_file = not done and event.filename is not None
                        if in_file:
                            part.filename = event.filename
                    elif event is None:
                        done = done or in_file
                        in_file = False
                    elif in_file:
                        yield bytes(event)
                if not chunk:
                    break
    except ParserError as exc:
        raise Invalid(f"the multipart body is malformed: {exc}") from None
    if part.filename is None:
        raise Invalid("the form has no file: send it in a field with a file name")
