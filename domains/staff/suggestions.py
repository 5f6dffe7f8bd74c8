"""Ranking the people who could work a group, with the reasons for each score."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from domains.models import Assignment, Group, Itinerary, ItineraryItem, StaffMember, StaffUnavailability

# Weights of the score's parts; they add up to 100 for a perfect fit.
LANGUAGE, SPECIALIZATION, CERTIFIED, RATING, FAIRNESS = 35.0, 20.0, 15.0, 15.0, 15.0
WORKLOAD_WINDOW_DAYS = 60
BUSY_DAYS = 30  # this many assigned days in the window count as fully loaded


@dataclass(frozen=True)
class Ranked:
    staff: StaffMember
    score: float
    reasons: list[str]


def _days(start: date, end: date) -> int:
    return (end - start).days + 1


async def rank_staff(session: AsyncSession, group: Group, role: str, limit: int = 10) -> list[Ranked]:
    people = (await session.execute(select(StaffMember).where(StaffMember.role == role))).scalars().all()
    busy = set(
        (
            await session.execute(
                select(Assignment.staff_id).where(
                    Assignment.is_primary.is_(True),
                    Assignment.status.in_(("proposed", "confirmed")),
                    Assignment.start_date <= group.end_date,
                    Assignment.end_date >= group.start_date,
                )
            )
        ).scalars()
    ) | set(
        (
            await session.execute(
                select(StaffUnavailability.staff_id).where(
                    StaffUnavailability.start_date <= group.end_date, StaffUnavailability.end_date >= group.start_date
                )
            )
        ).scalars()
    )
    window_start = group.start_date - timedelta(days=WORKLOAD_WINDOW_DAYS)
    workload: dict[object, int] = {}
    for staff_id, start, end in (
        await session.execute(
            select(Assignment.staff_id, Assignment.start_date, Assignment.end_date).where(
                Assignment.status.in_(("proposed", "confirmed")),
                Assignment.end_date >= window_start,
                Assignment.start_date < group.start_date,
            )
        )
    ).all():
        workload[staff_id] = workload.get(staff_id, 0) + _days(max(start, window_start), min(end, group.start_date))
    # The group's sights: what its itinerary visits, so a "Pena Palace" specialist ranks higher for Sintra.
    sights = {
        name.lower()
        for title, place in (
            await session.execute(
                select(ItineraryItem.title, ItineraryItem.place)
                .join(Itinerary, Itinerary.id == ItineraryItem.itinerary_id)
                .where(Itinerary.group_id == group.id, ItineraryItem.kind == "visit", ItineraryItem.removed.is_(False))
            )
        ).all()
        for name in (title, (place or {}).get("name", ""))
        if name
    }
    ranked = [_score(person, group, workload.get(person.id, 0), sights) for person in people if person.id not in busy]
    ranked.sort(key=lambda item: (-item.score, item.staff.name))
    return ranked[:limit]


def _score(person: StaffMember, group: Group, days_worked: int, sights: set[str]) -> Ranked:
    reasons: list[str] = []
    score = 0.0
    wanted = {language.lower() for language in group.languages}
    spoken = wanted & set(person.languages)
    if wanted:
        score += LANGUAGE * len(spoken) / len(wanted)
        missing = sorted(wanted - spoken)
        reasons.append(
            f"speaks {', '.join(sorted(spoken))}" if spoken else f"speaks none of {', '.join(sorted(wanted))}"
        )
        if spoken and missing:
            reasons.append(f"does not speak {', '.join(missing)}")
    topics = {city.lower() for city in group.cities} | sights
    matches = [
        item
        for item in person.specializations
        if any(topic in item.lower() or item.lower() in topic for topic in topics)
    ]
    if matches:
        score += SPECIALIZATION
        reasons.append(f"specialized in {', '.join(matches)}")
    valid = [
        c
        for c in person.certifications
        if not c.get("expires_on") or date.fromisoformat(c["expires_on"]) >= group.end_date
    ]
    expired = [c for c in person.certifications if c not in valid]
    if valid:
        score += CERTIFIED
        reasons.append(f"certified: {', '.join(c['name'] for c in valid)}")
    for cert in expired:
        reasons.append(f"certification {cert['name']} expires {cert['expires_on']}, before the tour ends")
    score += RATING * person.rating / 5
    reasons.append(f"rated {person.rating:.1f}/5")
    score += FAIRNESS * (1 - min(days_worked, BUSY_DAYS) / BUSY_DAYS)
    reasons.append(f"{days_worked} days assigned in the last {WORKLOAD_WINDOW_DAYS} days")
    return Ranked(staff=person, score=round(score, 1), reasons=reasons)
