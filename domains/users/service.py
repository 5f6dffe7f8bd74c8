"""Users: creating them and reading them, always inside one organization."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from domains.kernel.bus import EventBus
from domains.kernel.errors import Conflict
from domains.kernel.lookup import get_scoped
from domains.kernel.rooms import org_room
from domains.kernel.security import Role, hash_password
from domains.models import User
from domains.users.events import UserCreated
from domains.users.schemas import UserCreate, UserOut


def normalize_email(email: str) -> str:
    return email.strip().lower()


def user_out(user: User, totp_enrollment_required: bool = False) -> UserOut:
    return UserOut(
        id=str(user.id),
        email=user.email,
        name=user.name,
        role=user.role,
        org_id=str(user.org_id),
        totp_enabled=user.totp_secret is not None,
        totp_enrollment_required=totp_enrollment_required,
    )


class UserService:
    def __init__(self, session: AsyncSession, bus: EventBus) -> None:
        self.session = session
        self.bus = bus

    async def find_by_email(self, email: str) -> User | None:
        result = await self.session.execute(select(User).where(User.email == normalize_email(email)))
        return result.scalar_one_or_none()

    async def get(self, user_id: uuid.UUID) -> User:
        return await get_scoped(self.session, User, user_id, "user")

    async def list_users(self, role: Role | None = None) -> Sequence[User]:
        query = select(User).order_by(func.lower(User.name))
        if role is not None:
            query = query.where(User.role == role.value)
        return (await self.session.execute(query)).scalars().all()

    async def create_user(self, org_id: uuid.UUID, data: UserCreate) -> User:
        email = normalize_email(data.email)
        if await self.find_by_email(email) is not None:
            raise Conflict(f"a user with email {email} already exists")
        user = User(
            id=uuid.uuid4(),
            org_id=org_id,
            email=email,
            name=data.name.strip(),
            role=Role(data.role).value,
            password_hash=hash_password(data.password),
        )
        self.session.add(user)
        try:
            await self.session.flush()
        except IntegrityError as exc:
            # Another organization's user, invisible from this scope, may hold the address.
            raise Conflict(f"a user with email {email} already exists") from exc
        self.bus.publish(UserCreated(org_id=org_id, audience=(org_room(org_id),), user_id=user.id, role=user.role))
        return user
