"""What a received file must be before it is kept: an image decodes as the image it claims to be and carries no
markup or script, so no image/HTML or GIF/JavaScript polyglot is ever stored (and served) from our origin."""

from __future__ import annotations

import re
from pathlib import Path

from PIL import Image, UnidentifiedImageError

from domains.kernel.errors import TooLarge, UnsupportedType

# The types Pillow decodes, by the format name it reports. HEIC is not among them: it is kept after the markup
# check and only ever served as an attachment.
DECODED_IMAGES = {"image/jpeg": "JPEG", "image/png": "PNG", "image/gif": "GIF", "image/webp": "WEBP"}
IMAGE_TYPES = frozenset({*DECODED_IMAGES, "image/heic"})
# Above this many pixels a PNG, GIF or WebP is not decoded in full (memory); a JPEG is decoded at 1/8 scale.
MAX_DECODED_PIXELS = 64_000_000

# Markup a browser would run, and the JavaScript a polyglot needs to do anything. Long enough tokens that
# compressed image data matches them by chance about never.
_ACTIVE_CONTENT = re.compile(
    rb"(?i:<\s{0,8}(?:script|iframe|object|embed|html|body|svg|!doctype|\?php)[\s/>])"
    rb"|(?i:javascript|vbscript):"
    rb"|\b(?:alert|eval|prompt|confirm|fetch|Function|atob)\s{0,8}\("
    rb"|\bdocument\s{0,8}\.\s{0,8}(?:cookie|domain|write|location|body)"
    rb"|\bwindow\s{0,8}\.\s{0,8}(?:location|open|name)"
    rb"|\bString\.fromCharCode"
)
# A GIF read as a script starts with the identifier GIF89a; the classic polyglot opens a comment in its
# "width" bytes (10799 pixels wide): GIF89a/*...*/=alert(1).
_SCRIPT_AFTER_GIF_SIGNATURE = re.compile(rb"GIF8[79]a\s*/[*/]")
# The literal words of `_ACTIVE_CONTENT`: a match contains one of them.
_WORDS_ANY_CASE = (b"script", b"iframe", b"object", b"embed", b"html", b"body", b"svg", b"doctype", b"?php")
_WORDS = (b"alert", b"eval", b"prompt", b"confirm", b"fetch", b"Function", b"atob", b"document", b"window", b"String")
_CHUNK = 1024 * 1024
_OVERLAP = 64


def check_contents(path: Path, content_type: str) -> None:
    """Raise `UnsupportedType` (415) for an image that is not what it claims or that carries active content;
    other types pass (they are only ever served as attachments)."""
    if content_type not in IMAGE_TYPES:
        return
    if content_type in DECODED_IMAGES:
        _check_decodes(path, DECODED_IMAGES[content_type])
    if _carries_active_content(path):
        raise UnsupportedType("this image carries markup or script, so it cannot be shared; save it as a plain image")


def _check_decodes(path: Path, image_format: str) -> None:
    refused = UnsupportedType(f"this file says it is a {image_format} image but does not decode as one")
    try:
        with Image.open(path, formats=[image_format]) as image:
            image.verify()  # structure and checksums, where the format has them
        with Image.open(path, formats=[image_format]) as image:
            if image.format != image_format:
                raise refused
            if image_format == "JPEG":
                image.draft("RGB", (max(1, image.width // 8), max(1, image.height // 8)))
            elif image.width * image.height > MAX_DECODED_PIXELS:
                raise TooLarge(f"the image is larger than {MAX_DECODED_PIXELS // 1_000_000} megapixels")
            image.load()
    except Image.DecompressionBombError:
        raise TooLarge("the image has too many pixels to be shared here") from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError):
        raise refused from None


def _carries_active_content(path: Path) -> bool:
    with path.open("rb") as source:
        tail = b""
        first = True
        while chunk := source.read(_CHUNK):
            window = tail + chunk
            if first and _SCRIPT_AFTER_GIF_SIGNATURE.match(window):
                return True
            if _matches(window):
                return True
            tail, first = window[-_OVERLAP:], False
    return False


def _matches(window: bytes) -> bool:
    """`_ACTIVE_CONTENT` anywhere in `window`. The pattern runs only around its literal words, which `find`
    locates at memory speed: on a whole 14 MB photo the regular expression alone takes seconds."""
    lowered = window.lower()
    for haystack, words in ((lowered, _WORDS_ANY_CASE), (window, _WORDS)):
        for word in words:
            at = haystack.find(word)
            while at != -1:
                if _ACTIVE_CONTENT.search(window, max(0, at - 24), at + len(word) + 48):
                    return True
                at = haystack.find(word, at + 1)
    return False
