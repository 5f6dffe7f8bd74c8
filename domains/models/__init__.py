"""Every SQLAlchemy table, one module per aggregate; importing this package registers them all."""

from domains.models.auth_sessions import AuthSession, RefreshToken
from domains.models.conversations import ChatMessage, RoomEvent, RoomRead, RoomSequence, SharedFile
from domains.models.groups import Group
from domains.models.organizations import Organization
from domains.models.participants import Booking, Participant
from domains.models.sequences import NumberSequence
from domains.models.staff import Assignment, StaffMember, StaffUnavailability
from domains.models.users import User

__all__ = [
    "Assignment",
    "AuthSession",
    "Booking",
    "ChatMessage",
    "Group",
    "NumberSequence",
    "Organization",
    "Participant",
    "RefreshToken",
    "RoomEvent",
    "RoomRead",
    "RoomSequence",
    "SharedFile",
    "StaffMember",
    "StaffUnavailability",
    "User",
]
