"""Rows → response schemas, shared by the routes."""

from __future__ import annotations

import msgspec
from msgspec import UNSET

from domains.assignments.schemas import AssignmentOut
from domains.groups.people import mask_passport
from domains.groups.schemas import BookingOut, GroupOut, ParticipantOut
from domains.models import Assignment, Booking, Group, Participant, StaffMember, StaffUnavailability
from domains.staff.schemas import Certification, StaffOut, UnavailabilityOut


def group_out(group: Group, *, notes: bool = True) -> GroupOut:
    """The group; `notes=False` leaves the office's notes out (what travelers and partners get)."""
    return GroupOut(
        id=str(group.id),
        number=group.number,
        name=group.name,
        status=group.status,
        start_date=group.start_date,
        end_date=group.end_date,
        timezone=group.timezone,
        cities=group.cities,
        languages=group.languages,
        interests=group.interests,
        notes=group.notes if notes else UNSET,
    )


def participant_out(row: Participant, *, full_passport: bool = False) -> ParticipantOut:
    return ParticipantOut(
        id=str(row.id),
        group_id=str(row.group_id),
        name=row.name,
        email=row.email,
        phone=row.phone,
        nationality=row.nationality,
        date_of_birth=row.date_of_birth,
        passport_number=row.passport_number if full_passport else mask_passport(row.passport_number),
        dietary=row.dietary,
        special_needs=row.special_needs,
        roommate_preference=row.roommate_preference,
        booking_id=str(row.booking_id) if row.booking_id else None,
        user_id=str(row.user_id) if row.user_id else None,
    )


def booking_out(row: Booking) -> BookingOut:
    return BookingOut(id=str(row.id), group_id=str(row.group_id), reference=row.reference, status=row.status)


def staff_out(staff: StaffMember) -> StaffOut:
    return StaffOut(
        id=str(staff.id),
        name=staff.name,
        role=staff.role,
        languages=staff.languages,
        specializations=staff.specializations,
        certifications=msgspec.convert(staff.certifications, list[Certification]),
        email=staff.email,
        phone=staff.phone,
        preferred_contact=staff.preferred_contact,
        home_city=staff.home_city,
        rating=staff.rating,
        user_id=str(staff.user_id) if staff.user_id else None,
    )


def unavailability_out(row: StaffUnavailability) -> UnavailabilityOut:
    return UnavailabilityOut(
        id=str(row.id), staff_id=str(row.staff_id), start_date=row.start_date, end_date=row.end_date, reason=row.reason
    )


def assignment_out(row: Assignment, staff: StaffMember) -> AssignmentOut:
    return AssignmentOut(
        id=str(row.id),
        group_id=str(row.group_id),
        staff_id=str(row.staff_id),
        staff_name=staff.name,
        role=row.role,
        start_date=row.start_date,
        end_date=row.end_date,
        primary=row.is_primary,
        status=row.status,
    )
