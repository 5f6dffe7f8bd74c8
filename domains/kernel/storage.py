"""File storage behind one interface; the embedded default keeps files content-addressed on local disk."""

from __future__ import annotations

import hashlib
import os
import tempfile
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path

from domains.kernel.errors import NotFound, TooLarge

SNIFF_BYTES = 8192


@dataclass(frozen=True, slots=True)
class StoredBlob:
    sha256: str
    size: int
    head: bytes  # the first bytes, for sniffing the content type


# Looks at a received file (its temporary path and first bytes) before it is kept; raises to refuse it.
Vet = Callable[[Path, bytes], Awaitable[None]]


class LocalStorage:
    """Files under `root/ab/cd/<sha256>`: the same bytes uploaded twice are stored once."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def path(self, sha256: str) -> Path:
        if len(sha256) != 64 or not all(c in "0123456789abcdef" for c in sha256):
            raise NotFound("file not found")
        return self.root / sha256[:2] / sha256[2:4] / sha256

    async def save(self, chunks: AsyncIterator[bytes], max_bytes: int, vet: Vet | None = None) -> StoredBlob:
        """Stream the chunks to disk and keep them under their hash; `vet` may refuse the whole file first, in
        which case nothing is kept (and a stored file with the same bytes is left untouched)."""
        self.root.mkdir(parents=True, exist_ok=True)
        digest, size, head = hashlib.sha256(), 0, bytearray()
        handle, temp_name = tempfile.mkstemp(dir=self.root, prefix=".upload-")
        try:
            with os.fdopen(handle, "wb") as out:
                async for chunk in chunks:
                    size += len(chunk)
                    if size > max_bytes:
                        raise TooLarge(f"the file is larger than the limit of {max_bytes // (1024 * 1024)} MB")
                    if len(head) < SNIFF_BYTES:
                        head.extend(chunk[: SNIFF_BYTES - len(head)])
                    digest.update(chunk)
                    out.write(chunk)
            if vet is not None:
                await vet(Path(temp_name), bytes(head))
            target = self.path(digest.hexdigest())
            target.parent.mkdir(parents=True, exist_ok=True)
            os.replace(temp_name, target)
        except BaseException:
            os.unlink(temp_name)
            raise
        return StoredBlob(sha256=digest.hexdigest(), size=size, head=bytes(head))
