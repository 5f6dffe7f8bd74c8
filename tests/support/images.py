"""Image files for upload stories: real photos made with Pillow, and the polyglots an attacker would send."""

from __future__ import annotations

import io
import secrets
import zlib

from PIL import Image


def a_photo(image_format: str = "PNG", size: tuple[int, int] = (4, 3), colour: str = "teal") -> bytes:
    """A small real image that decodes as `image_format` (PNG, JPEG, GIF, WEBP)."""
    return _save(Image.new("RGB", size, colour), image_format)


def a_gif_javascript_polyglot() -> bytes:
    """The classic GIF/JS polyglot: a GIF that still decodes, whose width bytes open a JavaScript comment
    (`GIF89a/*`) and whose bytes after the trailer close it and run code, so `<script src=...>` would run it."""
    gif = bytearray(a_photo("GIF", size=(1, 1)))
    gif[6:8] = b"/*"  # the logical screen width: 10799 pixels
    return bytes(gif) + b"*/=alert(document.domain);//"


def a_png_carrying_html() -> bytes:
    """A real PNG with a page in a text chunk: an image to an image decoder, a web page to a sniffing browser."""
    png = a_photo("PNG")
    text = b"Comment\x00<html><body><script>fetch('/api/v1/me')</script></body></html>"
    chunk = len(text).to_bytes(4, "big") + b"tEXt" + text
    chunk += zlib.crc32(b"tEXt" + text).to_bytes(4, "big")
    end = png.rindex(b"IEND") - 4
    return png[:end] + chunk + png[end:]


def a_png_that_is_not_one() -> bytes:
    """PNG's signature and header, then anything: a file that only pretends to be an image."""
    return a_photo("PNG")[:33] + b"<?php system($_GET['c']); ?>" * 4


def a_detailed_photo(size: tuple[int, int] = (1600, 1200)) -> bytes:
    """A JPEG of pure noise: compressed data as random as a photo's gets, where a loose check would see
    markup by chance."""
    return _save(Image.frombytes("RGB", size, secrets.token_bytes(size[0] * size[1] * 3)), "JPEG", quality=95)


def _save(image: Image.Image, image_format: str, **options: object) -> bytes:
    out = io.BytesIO()
    image.save(out, image_format, **options)
    return out.getvalue()
