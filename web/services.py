"""The domain services one request works with, all on the request's unit of work.

A route handler asks for `services` (see `web.deps`) and calls one verb: `await services.flights.add_flight(...)`.
Each service is built on first use, so a handler pays only for what it calls.
"""

from __future__ import annotations

from functools import cached_property

from sqlalchemy.ext.asyncio import AsyncSession

from domains.alerts.service import AlertService
from domains.assignments.service import AssignmentService
from domains.auth.service import AuthService
from domains.catalog.service import CatalogService
from domains.conversations.access import RoomAccess
from domains.conversations.service import ConversationService
from domains.flights.service import FlightService
from domains.groups.service import GroupService
from domains.groups.span import DEFAULT_MAX_GROUP_DAYS
from domains.itineraries.service import ItineraryService
from domains.kernel.security import TokenSettings
from domains.kernel.unit_of_work import UnitOfWork
from domains.notifications.preferences import PreferenceService
from domains.notifications.senders import SenderDirectory
from domains.organizations.service import OrganizationService
from domains.rooming.service import RoomingService
from domains.staff.service import StaffService
from domains.users.service import UserService
from domains.vouchers.codes import VoucherCodes
from domains.vouchers.service import VoucherService


class Services:
    def __init__(
        self,
        uow: UnitOfWork,
        tokens: TokenSettings,
        voucher_codes: VoucherCodes,
        mail_domain: str,
        max_group_days: int = DEFAULT_MAX_GROUP_DAYS,
    ) -> None:
        self._uow = uow
        self._tokens = tokens
        self._voucher_codes = voucher_codes
        self._mail_domain = mail_domain
        self._max_group_days = max_group_days

    @property
    def session(self) -> AsyncSession:
        """For the read models that query the session directly (the board, the team, staff ranking)."""
        return self._uow.session

    @cached_property
    def alerts(self) -> AlertService:
        return AlertService(self._uow.session, self._uow.bus)

    @cached_property
    def assignments(self) -> AssignmentService:
        return AssignmentService(self._uow.session, self._uow.bus)

    @cached_property
    def auth(self) -> AuthService:
        return AuthService(self._uow.session, self._uow.bus, self._tokens)

    @cached_property
    def catalog(self) -> CatalogService:
        return CatalogService(self._uow.session, self._uow.bus)

    @cached_property
    def conversations(self) -> ConversationService:
        return ConversationService(self._uow.session, self._uow.bus)

    @cached_property
    def flights(self) -> FlightService:
        return FlightService(self._uow.session, self._uow.bus)

    @cached_property
    def groups(self) -> GroupService:
        return GroupService(self._uow.session, self._uow.bus, self._max_group_days)

    @cached_property
    def itineraries(self) -> ItineraryService:
        return ItineraryService(self._uow.session, self._uow.bus, self._max_group_days)

    @cached_property
    def organizations(self) -> OrganizationService:
        return OrganizationService(self._uow.session, self._uow.bus)

    @cached_property
    def preferences(self) -> PreferenceService:
        return PreferenceService(self._uow.session)

    @cached_property
    def room_access(self) -> RoomAccess:
        return RoomAccess(self._uow.session)

    @cached_property
    def rooming(self) -> RoomingService:
        return RoomingService(self._uow.session, self._uow.bus)

    @cached_property
    def senders(self) -> SenderDirectory:
        return SenderDirectory(self._uow.session, self._mail_domain)

    @cached_property
    def staff(self) -> StaffService:
        return StaffService(self._uow.session, self._uow.bus)

    @cached_property
    def users(self) -> UserService:
        return UserService(self._uow.session, self._uow.bus)

    @cached_property
    def vouchers(self) -> VoucherService:
        return VoucherService(self._uow.session, self._uow.bus, self._voucher_codes)
