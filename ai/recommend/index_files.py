"""The catalog index on disk: `<org_id>.faiss` (faiss's own format) and `<org_id>.ids.npz` beside it.

The npz holds, per faiss position, the catalog id, the hash of the text that was embedded and whether the
position is live, plus a fingerprint of the live content (model, dimension, every id and text hash). A
file whose fingerprint does not match the catalog is stale: `ai.recommend.index` rebuilds from the catalog, reusing
only the vectors whose text hash still matches. Files are written beside and renamed, so a crash mid-write
never leaves a half file that looks valid.
"""

from __future__ import annotations

import hashlib
import logging
import os
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import faiss
import numpy as np

from ai.encoder import MODEL_PACKAGE
from ai.recommend.catalog_table import ItemRecord

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class SavedIndex:
    fingerprint: str
    ids: list[uuid.UUID]
    text_hashes: list[str]
    alive: np.ndarray
    index: faiss.Index


def fingerprint(records: Sequence[ItemRecord], dim: int) -> str:
    digest = hashlib.sha256(f"{MODEL_PACKAGE}:{dim}".encode())
    for record in sorted(records, key=lambda r: r.id.bytes):
        digest.update(record.id.bytes + record.text_hash.encode())
    return digest.hexdigest()


def save_index(
    paths: tuple[Path, Path],
    index: faiss.Index,
    ids: Sequence[uuid.UUID],
    text_hashes: Sequence[str],
    alive: np.ndarray,
    print_: str,
) -> None:
    index_path, ids_path = paths
    index_path.parent.mkdir(parents=True, exist_ok=True)
    faiss.write_index(index, f"{index_path}.tmp")
    with open(f"{ids_path}.tmp", "wb") as out:
        np.savez(
            out,
            ids=np.array([i.bytes for i in ids], dtype="S16").reshape(-1),
            text_hashes=np.array(text_hashes, dtype="U32").reshape(-1),
            alive=alive,
            fingerprint=np.array(print_),
        )
    os.replace(f"{index_path}.tmp", index_path)
    os.replace(f"{ids_path}.tmp", ids_path)


def load_index(paths: tuple[Path, Path], dim: int) -> SavedIndex | None:
    """The saved index, or None when missing, unreadable or of another shape."""
    index_path, ids_path = paths
    if not (index_path.exists() and ids_path.exists()):
        return None
    try:
        with np.load(ids_path) as meta:
            # numpy drops trailing zero bytes of fixed-width bytes: pad the ids back to 16.
            ids = [uuid.UUID(bytes=bytes(raw).ljust(16, b"\0")) for raw in meta["ids"]]
            hashes = [str(h) for h in meta["text_hashes"]]
            alive, print_ = np.asarray(meta["alive"], bool), str(meta["fingerprint"])
        index = faiss.read_index(str(index_path))
    except (OSError, ValueError, KeyError, RuntimeError) as exc:
        log.warning("ignoring unreadable catalog index %s: %s", index_path, exc)
        return None
    if index.ntotal != len(ids) or index.d != dim or len(alive) != len(ids):
        return None
    return SavedIndex(print_, ids, hashes, alive, index)
