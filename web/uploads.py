"""Streaming multipart uploads: the file part goes straight to storage, chunk by chunk, never whole in memory."""

from __future__ import annotations

import asyncio
import re
import unicodedata
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

import filetype
from multipart import MultipartSegment, ParserError, PushMultipartParser, parse_options_header

from domains.kernel.errors import Invalid, UnsupportedType
from web.file_checks import check_contents

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
# The extensions a name may keep for each type; any other gets the type's own added ("page.html" sent as
# text is kept as "page.html.txt", so a saved copy never opens as a web page).
EXTENSIONS: dict[str, tuple[str, ...]] = {
    "image/jpeg": (".jpg", ".jpeg", ".jfif"),
    "image/png": (".png",),
    "image/gif": (".gif",),
    "image/webp": (".webp",),
    "image/heic": (".heic", ".heif"),
    "application/pdf": (".pdf",),
    "text/plain": (".txt", ".text", ".md", ".log", ".json", ".ics", ".vcf", ".gpx"),
    "text/csv": (".csv",),
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": (".docx",),
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": (".xlsx",),
    "application/vnd.openxmlformats-officedocument.presentationml.presentation": (".pptx",),
    "application/zip": (".zip",),
}
_UNSAFE = re.compile(r"[/\\:*?\"<>|]+")
# Control and format characters: C0/C1 controls (Cc), bidi overrides and isolates, zero-width and other
# invisible format characters (Cf), line and paragraph separators, lone surrogates.
_INVISIBLE = frozenset({"Cc", "Cf", "Cs", "Zl", "Zp"})


@dataclass
class FilePart:
    """Filled in while the stream is read: the file field's declared name; then, once vetted, its type."""

    filename: str | None = None
    content_type: str | None = None

    @property
    def name(self) -> str:
        """The name people see: sanitized, and with an extension that matches the type once it is known."""
        name = sanitize_filename(self.filename)
        return name_for_type(name, self.content_type) if self.content_type else name

    async def vet(self, path: Path, head: bytes) -> None:
        """Refuse what may not be shared (415): a type outside the list, an image that does not decode as the
        image it claims to be, or one that carries markup or script."""
        self.content_type = sniff_content_type(head, sanitize_filename(self.filename))
        await asyncio.to_thread(check_contents, path, self.content_type)


def sanitize_filename(raw: str | None) -> str:
    """A readable name without paths, reserved characters or invisible ones: with U+202E (right-to-left
    override) before "gpj.exe", "photo" + U+202E + "gpj.exe" would read "photoexe.jpg"."""
    name = unicodedata.normalize("NFC", raw or "").replace("\\", "/").rsplit("/", 1)[-1]
    name = " ".join(name.split())  # tabs and line breaks become spaces
    name = "".join(ch for ch in name if unicodedata.category(ch) not in _INVISIBLE)
    name = " ".join(_UNSAFE.sub("_", name).split()).strip(" .")
    return (name or "file")[:200].rstrip(" .") or "file"


def name_for_type(name: str, content_type: str) -> str:
    extensions = EXTENSIONS.get(content_type)
    if not extensions or name.lower().endswith(extensions):
        return name
    return name[: 200 - len(extensions[0])] + extensions[0]


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
