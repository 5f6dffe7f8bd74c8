"""What the assistant says, per language. Every reply is a template here, so wording is reviewed in one
place and a new language is one more column; fields are filled with the traveler's own data."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from ai.bot.language import DEFAULT_LANGUAGE

T: dict[str, dict[str, str]] = {
    "no_trip": {
        "en": "I can't find your trip. If you booked with us, please contact the office so they can link it to "
        "your account.",
        "es": "No encuentro tu viaje. Si reservaste con nosotros, contacta con la oficina para que lo vinculen "
        "a tu cuenta.",
    },
    "no_trip_emergency": {
        "en": "If anyone is in danger, call 112 now. I can't find your trip, so please also call the office.",
        "es": "Si alguien está en peligro, llama ya al 112. No encuentro tu viaje: llama también a la oficina.",
    },
    "greeting": {
        "en": "Hello {name}! Ask me about your guide, pickup times, your hotel, your flights or your booking.",
        "es": "¡Hola, {name}! Pregúntame por tu guía, las recogidas, tu hotel, tus vuelos o tu reserva.",
    },
    "goodbye": {"en": "Goodbye, {name}, enjoy {group}!", "es": "¡Hasta luego, {name}! Disfruta de {group}."},
    "thanks": {"en": "You're welcome!", "es": "¡De nada!"},
    "contact": {"en": "Your {role} is {name}{phone}.", "es": "Tu {role} es {name}{phone}."},
    "contact_phone": {"en": ", phone {phone}", "es": ", teléfono {phone}"},
    "no_contact": {
        "en": "No {role} is assigned to your group yet.",
        "es": "Todavía no hay {role} asignado a tu grupo.",
    },
    "plan_day": {"en": "{day}: {items}.", "es": "{day}: {items}."},
    "plan_empty": {"en": "Nothing is planned for {day}.", "es": "No hay nada previsto para el {day}."},
    "outside_trip": {
        "en": "{day} is not part of your trip ({start} to {end}).",
        "es": "El {day} no forma parte de tu viaje (del {start} al {end}).",
    },
    "pickup": {
        "en": "On {day} your day starts at {time} with {title}{place}.",
        "es": "El {day} tu día empieza a las {time} con {title}{place}.",
    },
    "meeting": {
        "en": "On {day} meet at {place} at {time} ({title}).",
        "es": "El {day} el punto de encuentro es {place} a las {time} ({title}).",
    },
    "at_place": {"en": " at {place}", "es": " en {place}"},
    "hotel": {
        "en": "Your hotel is {name}{address}. Check-in {check_in}{check_in_time}, check-out {check_out}.{room}{phone}",
        "es": "Tu hotel es {name}{address}. Entrada el {check_in}{check_in_time}, salida el {check_out}.{room}{phone}",
    },
    "hotel_address": {"en": ", {address}", "es": ", {address}"},
    "hotel_time": {"en": " from {time}", "es": " a partir de las {time}"},
    "hotel_room": {"en": " Your room: {room}.", "es": " Tu habitación: {room}."},
    "hotel_phone": {"en": " Hotel phone: {phone}.", "es": " Teléfono del hotel: {phone}."},
    "no_hotel": {
        "en": "I don't have a hotel for your group yet; your coordinator will share it.",
        "es": "Aún no tengo hotel para tu grupo; tu coordinador lo compartirá.",
    },
    "flight": {
        "en": "{airline} {number} from {origin} to {destination}: departs {departure} from terminal {terminal}"
        "{gate}, arrives {arrival}{arrival_terminal}.{seat}",
        "es": "{airline} {number} de {origin} a {destination}: sale el {departure} desde la terminal {terminal}"
        "{gate} y llega el {arrival}{arrival_terminal}.{seat}",
    },
    "flight_gate": {"en": ", gate {gate}", "es": ", puerta {gate}"},
    "flight_arrival_terminal": {"en": " (terminal {terminal})", "es": " (terminal {terminal})"},
    "flight_seat": {"en": " Seat {seat}.", "es": " Asiento {seat}."},
    "no_flight": {
        "en": "I don't see a flight booked for you with us.",
        "es": "No veo ningún vuelo reservado para ti con nosotros.",
    },
    "only_own": {
        "en": "I can only share details of your own trip. ",
        "es": "Solo puedo darte datos de tu propio viaje. ",
    },
    "booking": {
        "en": "Your booking {reference} is {status}.",
        "es": "Tu reserva {reference} está {status}.",
    },
    "no_booking": {
        "en": "You travel with {group}, but I can't see a booking for you; the office can check it.",
        "es": "Viajas con {group}, pero no veo una reserva a tu nombre; la oficina puede revisarlo.",
    },
    "ask_coordinator": {
        "en": '{what} are handled by your coordinator{coordinator}. Say "talk to a person" and I\'ll pass your '
        "message on.",
        "es": '{what} las gestiona tu coordinador{coordinator}. Escribe "hablar con una persona" y le paso tu mensaje.',
    },
    "vouchers": {"en": "Your group's vouchers: {items}.", "es": "Los bonos de tu grupo: {items}."},
    "no_vouchers": {"en": "Your group has no vouchers yet.", "es": "Tu grupo aún no tiene bonos."},
    "lost_item": {
        "en": "Sorry to hear that! Tell {who} as soon as you can{phone}; they know where the group has been.",
        "es": "¡Lo siento! Avisa a {who} cuanto antes{phone}; saben por dónde ha pasado el grupo.",
    },
    "recommend": {"en": "For {when}{near}: {items}.", "es": "Para {when}{near}: {items}."},
    "recommend_near": {"en": " near {place}", "es": " cerca de {place}"},
    "no_recommendations": {
        "en": "I have no suggestions for that right now; your guide knows the area well.",
        "es": "Ahora mismo no tengo sugerencias para eso; tu guía conoce bien la zona.",
    },
    "dietary_recorded": {
        "en": "Noted: {needs}. I've told your coordinator, so restaurants will know.",
        "es": "Anotado: {needs}. Se lo he dicho a tu coordinador para que los restaurantes lo sepan.",
    },
    "assistance_recorded": {
        "en": 'Noted: "{needs}". I\'ve told your coordinator, who will arrange it.',
        "es": 'Anotado: "{needs}". Se lo he dicho a tu coordinador, que lo organizará.',
    },
    "already_known": {
        "en": "We already have that on file: {needs}.",
        "es": "Ya lo tenemos anotado: {needs}.",
    },
    "handoff": {
        "en": "I've passed your message to {who}, who will answer you here shortly.",
        "es": "He pasado tu mensaje a {who}, que te responderá aquí en breve.",
    },
    "handoff_complaint": {
        "en": "I'm sorry about this. I've passed your message to {who}, who will answer you here shortly.",
        "es": "Lo siento mucho. He pasado tu mensaje a {who}, que te responderá aquí en breve.",
    },
    "handoff_emergency": {
        "en": "If anyone is in danger, call 112 now. {contacts} I've alerted {who} as well.",
        "es": "Si alguien está en peligro, llama ya al 112. {contacts} También he avisado a {who}.",
    },
    "emergency_contact": {"en": "{role} {name}: {phone}.", "es": "{role} {name}: {phone}."},
    "unclear": {
        "en": "Sorry, I didn't get that. I can tell you who your guide or driver is, when and where pickup is, "
        "your hotel, your flights and your booking's status.",
        "es": "Perdona, no te he entendido. Puedo decirte quién es tu guía o conductor, cuándo y dónde es la "
        "recogida, tu hotel, tus vuelos y el estado de tu reserva.",
    },
    "your_coordinator": {"en": "your coordinator", "es": "tu coordinador"},
    "the_team": {"en": "the team looking after your group", "es": "el equipo que atiende a tu grupo"},
    "tonight": {"en": "tonight", "es": "esta noche"},
}

WORDS: dict[str, dict[str, str]] = {
    "guide": {"en": "guide", "es": "guía"},
    "driver": {"en": "driver", "es": "conductor"},
    "coordinator": {"en": "coordinator", "es": "coordinador"},
    "confirmed": {"en": "confirmed", "es": "confirmada"},
    "cancelled": {"en": "cancelled", "es": "cancelada"},
    "pending": {"en": "pending", "es": "pendiente"},
    "booking_change": {"en": "Changes to a booking", "es": "Los cambios de reserva"},
    "cancellation": {"en": "Cancellations", "es": "Las cancelaciones"},
    "payment_question": {"en": "Payments", "es": "Las cuestiones de pago"},
    "hotel": {"en": "hotel", "es": "hotel"},
    "restaurant": {"en": "restaurant", "es": "restaurante"},
    "entrance": {"en": "entrance", "es": "entrada"},
}
_WEEKDAYS = {
    "en": ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"),
    "es": ("lunes", "martes", "miércoles", "jueves", "viernes", "sábado", "domingo"),
}
_MONTHS = {
    "en": ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
           "November", "December"),
    "es": ("enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto", "septiembre", "octubre",
           "noviembre", "diciembre"),
}  # fmt: skip


def say(key: str, language: str, **fields: Any) -> str:
    texts = T[key]
    return texts.get(language, texts[DEFAULT_LANGUAGE]).format(**fields)


def word(key: str, language: str) -> str:
    texts = WORDS.get(key)
    if texts is None:
        return key
    return texts.get(language, texts[DEFAULT_LANGUAGE])


def day_text(day: date, language: str) -> str:
    """'Monday 12 April' / 'lunes 12 de abril'."""
    weekday = _WEEKDAYS.get(language, _WEEKDAYS["en"])[day.weekday()]
    month = _MONTHS.get(language, _MONTHS["en"])[day.month - 1]
    return f"{weekday} {day.day} de {month}" if language == "es" else f"{weekday} {day.day} {month}"


def moment_text(moment: datetime, language: str) -> str:
    return f"{day_text(moment.date(), language)} {moment:%H:%M}"
