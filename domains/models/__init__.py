"""Every SQLAlchemy table, one module per aggregate; importing this package registers them all."""

from domains.models.alerts import Alert, AlertDelivery
from domains.models.auth_sessions import AuthSession, RefreshToken
from domains.models.catalog import CatalogItem
from domains.models.conversations import ChatMessage, RoomEvent, RoomRead, RoomSequence, SharedFile
from domains.models.flights import Flight, FlightPassenger
from domains.models.groups import Group
from domains.models.itineraries import Itinerary, ItineraryItem, ItineraryOp
from domains.models.notifications import Notification, NotificationPreference, SenderIdentity, SentReminder
from domains.models.organizations import Organization
from domains.models.participants import Booking, Participant
from domains.models.rooming import HotelRoom, RoomingList, RoomOccupant
from domains.models.sequences import NumberSequence
from domains.models.staff import Assignment, StaffMember, StaffUnavailability
from domains.models.users import User
from domains.models.vouchers import Partner, Voucher, VoucherTransition

__all__ = [
    "Alert",
    "AlertDelivery",
    "Assignment",
    "AuthSession",
    "Booking",
    "CatalogItem",
    "ChatMessage",
    "Flight",
    "FlightPassenger",
    "Group",
    "HotelRoom",
    "Itinerary",
    "ItineraryItem",
    "ItineraryOp",
    "Notification",
    "NotificationPreference",
    "NumberSequence",
    "Organization",
    "Participant",
    "Partner",
    "RefreshToken",
    "RoomEvent",
    "RoomOccupant",
    "RoomRead",
    "RoomSequence",
    "RoomingList",
    "SenderIdentity",
    "SentReminder",
    "SharedFile",
    "StaffMember",
    "StaffUnavailability",
    "User",
    "Voucher",
    "VoucherTransition",
]
