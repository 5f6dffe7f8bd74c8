"""Realistic itineraries for the demo week, written through the same ops editors send live."""

from __future__ import annotations

import uuid
from datetime import date, timedelta

import msgspec

from domains.itineraries.schemas import Op
from domains.itineraries.service import ItineraryService
from domains.kernel.security import Principal
from domains.kernel.unit_of_work import UnitOfWork
from domains.models import Group

# (kind, title, start, end, place name, address, lat, lon) per city; days cycle through them.
PLACES: dict[str, list[list[tuple[str, str, str, str, str, str, float, float]]]] = {
    "Lisbon": [
        [
            (
                "transfer",
                "Airport pickup",
                "12:30",
                "13:30",
                "Lisbon Airport",
                "Alameda das Comunidades Portuguesas",
                38.7742,
                -9.1342,
            ),
            ("hotel", "Check-in", "14:00", "15:00", "Hotel Avenida Lisboa", "Av. da Liberdade 100", 38.7197, -9.1444),
            ("meal", "Welcome dinner", "20:00", "22:00", "Restaurante O Pátio", "Rua da Rosa 12", 38.7129, -9.1446),
        ],
        [
            (
                "visit",
                "Jerónimos Monastery",
                "09:30",
                "11:30",
                "Mosteiro dos Jerónimos",
                "Praça do Império",
                38.6979,
                -9.2068,
            ),
            ("visit", "Belém Tower", "11:45", "12:30", "Torre de Belém", "Av. Brasília", 38.6916, -9.2160),
            ("meal", "Pastéis de Belém", "12:40", "13:30", "Pastéis de Belém", "Rua de Belém 84", 38.6975, -9.2032),
            (
                "visit",
                "Alfama walking tour",
                "15:30",
                "18:00",
                "Miradouro de Santa Luzia",
                "Largo Santa Luzia",
                38.7118,
                -9.1302,
            ),
        ],
    ],
    "Sintra": [
        [
            (
                "transfer",
                "Coach to Sintra",
                "08:30",
                "09:15",
                "Sintra station",
                "Av. Dr. Miguel Bombarda",
                38.7992,
                -9.3853,
            ),
            ("visit", "Pena Palace", "09:30", "12:00", "Palácio da Pena", "Estrada da Pena", 38.7876, -9.3906),
            (
                "meal",
                "Lunch in the old town",
                "12:30",
                "14:00",
                "Tascantiga",
                "Escadinhas da Fonte da Pipa 2",
                38.7979,
                -9.3881,
            ),
            (
                "visit",
                "Quinta da Regaleira",
                "14:30",
                "16:30",
                "Quinta da Regaleira",
                "R. Barbosa du Bocage 5",
                38.7963,
                -9.3960,
            ),
        ],
    ],
    "Porto": [
        [
            (
                "visit",
                "Ribeira and Dom Luís I bridge",
                "10:00",
                "12:00",
                "Ribeira",
                "Cais da Ribeira",
                41.1407,
                -8.6132,
            ),
            (
                "visit",
                "Port wine cellar tasting",
                "15:00",
                "16:30",
                "Caves Graham's",
                "Rua do Agro 141, Gaia",
                41.1316,
                -8.6176,
            ),
        ],
        [
            ("transfer", "Douro valley by coach", "08:30", "10:30", "Pinhão", "Pinhão", 41.1917, -7.5445),
            ("meal", "Quinta lunch", "13:00", "15:00", "Quinta do Bomfim", "Pinhão", 41.1903, -7.5490),
        ],
    ],
    "Faro": [
        [
            ("visit", "Old town walk", "10:00", "12:00", "Cidade Velha", "Largo da Sé", 37.0135, -7.9352),
            ("free", "Beach afternoon", "14:00", "18:00", "Praia de Faro", "Praia de Faro", 37.0075, -7.9898),
        ],
    ],
    "Lagos": [
        [("visit", "Ponta da Piedade boat trip", "10:00", "11:30", "Ponta da Piedade", "Lagos", 37.0806, -8.6690)],
    ],
    "Madrid": [
        [
            (
                "visit",
                "Prado Museum",
                "10:00",
                "13:00",
                "Museo del Prado",
                "Calle de Ruiz de Alarcón 23",
                40.4138,
                -3.6921,
            ),
            ("meal", "Tapas lunch", "13:30", "15:00", "Mercado de San Miguel", "Plaza de San Miguel", 40.4154, -3.7090),
            (
                "visit",
                "Reina Sofía",
                "16:00",
                "18:00",
                "Museo Reina Sofía",
                "Calle de Santa Isabel 52",
                40.4086,
                -3.6945,
            ),
        ],
    ],
}


async def seed_itinerary(uow: UnitOfWork, group: Group, author: Principal, author_name: str) -> int:
    """Add the group's days of activities; returns how many items were written."""
    service = ItineraryService(uow.session, uow.bus)
    plans = [day for city in group.cities for day in PLACES.get(city, [])]
    written = 0
    day_count = (group.end_date - group.start_date).days + 1
    for offset in range(min(day_count, len(plans))):
        day: date = group.start_date + timedelta(days=offset)
        after: uuid.UUID | None = None
        for kind, title, start, end, name, address, lat, lon in plans[offset]:
            item_id = uuid.uuid5(group.id, f"{day}:{title}")
            op = {
                "type": "add_item",
                "item_id": str(item_id),
                "day": day.isoformat(),
                "after": str(after) if after else None,
                "fields": {
                    "kind": kind,
                    "title": title,
                    "start": start,
                    "end": end,
                    "place": {"name": name, "address": address, "lat": lat, "lon": lon},
                },
            }
            await service.apply(author, author_name, group.id, f"demo:{item_id}", 0, msgspec.convert(op, Op))
            after, written = item_id, written + 1
    return written
