"""File sharing over HTTP: upload into a room, download as a member of that room."""

from __future__ import annotations

import uuid
from typing import Any, Literal

from litestar import Controller, Request, get, post
from litestar.params import FromPath
from litestar.response import File

from domains.conversations.access import RoomAccess
from domains.conversations.service import ConversationService
from domains.kernel.errors import Forbidden, TooLarge
from domains.models import SharedFile
from web.deps import HubDep, IdentityDep, ServicesDep, StorageDep
from web.file_checks import DECODED_IMAGES
from web.guards import enrolled
from web.uploads import FilePart, boundary_of, file_chunks

# Only images that decoded as what they claim open in the browser (their chat previews); everything else,
# PDFs included, is downloaded.
INLINE_TYPES = frozenset(DECODED_IMAGES)
# Every file response: nothing in it may run, load or be framed, even if a browser rendered it as a page;
# `sandbox` gives it an origin of its own, so it could not reach the app's cookies or storage either.
FILE_HEADERS = {
    "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; sandbox; frame-ancestors 'none'",
    "X-Content-Type-Options": "nosniff",
    "Cross-Origin-Resource-Policy": "same-origin",
    "Cache-Control": "private, max-age=3600",
}


class FileController(Controller):
    tags = ["files"]
    guards = [enrolled]

    @post("/rooms/{room:str}/files", request_max_body_size=None)
    async def upload(
        self,
        room: FromPath[str],
        request: Request[Any, Any, Any],
        identity: IdentityDep,
        hub: HubDep,
        storage: StorageDep,
    ) -> dict[str, object]:
        """Share a file in a room (multipart/form-data, one file field). 413 above the size limit, 415 for a type
        that may not be shared or an image that is not what it claims, 429 (with Retry-After) beyond the
        quota of the person or the room."""
        # Two short units of work instead of the request's one: the bytes are received and stored outside any
        # transaction, so a slow upload never holds the database.
        principal = identity.principal
        async with hub.unit_of_work(principal.org_id) as uow:
            room = str(await RoomAccess(uow.session).check_join(principal, room))
        limit = hub.settings.upload_max_bytes
        declared = request.headers.get("content-length")
        if declared and declared.isdigit() and int(declared) > limit + 64 * 1024:
            raise TooLarge(f"the file is larger than the limit of {limit // (1024 * 1024)} MB")
        boundary = boundary_of(request.headers.get("content-type", ""))
        # The file's place in the quotas is taken before its bytes arrive (at its declared size), so parallel
        # uploads cannot all slip under the limit; it is settled at the real size, or given back on refusal.
        expected = min(int(declared), limit) if declared and declared.isdigit() else limit
        quota = hub.upload_quota.reserve(str(principal.user_id), f"{principal.org_id}/{room}", expected)
        async with quota as reservation:
            part = FilePart()
            blob = await storage.save(file_chunks(request.stream(), boundary, part), limit, vet=part.vet)
            await reservation.settle(blob.size)
            assert part.content_type is not None  # vetted before the file was kept
            file = SharedFile(
                id=uuid.uuid4(), org_id=principal.org_id, room=room, sha256=blob.sha256, name=part.name,
                size=blob.size, content_type=part.content_type, uploaded_by=principal.user_id,
            )  # fmt: skip
            async with hub.unit_of_work(principal.org_id) as uow:
                shared = await ConversationService(uow.session, uow.bus).share_file(
                    principal, identity.user.name, room, file
                )
        return {"file": shared}

    @get("/files/{file_id:uuid}")
    async def download(
        self, file_id: FromPath[uuid.UUID], identity: IdentityDep, services: ServicesDep, storage: StorageDep
    ) -> File:
        """The file's bytes, for members of the room it was shared in: images inline, anything else as an
        attachment, always under a policy that lets nothing in it run."""
        file = await services.conversations.get_file(file_id)
        try:
            await services.room_access.check_join(identity.principal, file.room)
        except Forbidden:
            raise Forbidden("only members of the room can open its files") from None
        disposition: Literal["inline", "attachment"] = "inline" if file.content_type in INLINE_TYPES else "attachment"
        return File(
            path=storage.path(file.sha256),
            media_type=file.content_type,
            content_disposition_type=disposition,
            filename=file.name,
            headers=FILE_HEADERS,
        )
