"""Entity extraction: every type, the tricky phrasings, offsets and overlap rules."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest

from ai.eval.entities import run_entities
from ai.eval.multiwoz import Span, build_catalog, dev_path_for, gold_spans, match_line
from ai.nlu.entities.base import parse_number
from ai.nlu.entities.dates import next_day_of_month
from ai.nlu.entities.extraction import Catalog, CatalogEntry, Entity, extract, local_today

TUESDAY = dt.datetime(2026, 3, 10, 9, 0)  # Tuesday 10 March 2026
MADRID = "Europe/Madrid"
CATALOG = Catalog(
    [
        CatalogEntry("colosseum", "Colosseum", "sight", ("Coliseo",)),
        CatalogEntry("hotel-avenida", "Hotel Avenida", "hotel"),
        CatalogEntry("la-pergola", "La Pergola", "restaurant"),
        CatalogEntry("vatican-museums", "Vatican Museums", "sight", ("Musei Vaticani",)),
        CatalogEntry("rome", "Rome", "city", ("Roma",)),
        CatalogEntry("ely", "Ely", "city"),
        CatalogEntry("the-place", "The Place", "restaurant"),
        CatalogEntry("nice", "Nice", "city"),
    ]
)


def run(text: str, now: dt.datetime | str = TUESDAY, tz: str = MADRID, **kwargs: Any) -> list[Entity]:
    found = extract(text, now, tz, CATALOG, **kwargs)
    for ent in found:
        assert text[ent.start : ent.end] == ent.text, ent
    return found


def pairs(text: str, now: dt.datetime | str = TUESDAY, tz: str = MADRID, **kwargs: Any) -> list[tuple[str, Any]]:
    return [(e.type, e.value) for e in run(text, now, tz, **kwargs)]


def of_type(text: str, kind: str, now: dt.datetime | str = TUESDAY, tz: str = MADRID) -> list[Any]:
    return [e.value for e in run(text, now, tz) if e.type == kind]


# --- dates ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("see you tomorrow", "2026-03-11"),
        ("the day after tomorrow", "2026-03-12"),
        ("today please", "2026-03-10"),
        ("next Friday", "2026-03-13"),
        ("on Friday", "2026-03-13"),
        ("Tuesday", "2026-03-17"),  # the weekday of today means next week's
        ("this Tuesday", "2026-03-10"),
        ("on the 3rd", "2026-04-03"),  # already past this month
        ("the 1st", "2026-04-01"),
        ("the 10th works", "2026-03-10"),
        ("the 31st", "2026-03-31"),
        ("March 20th", "2026-03-20"),
        ("3 March", "2027-03-03"),
        ("the 4th of July", "2026-07-04"),
        ("2026-05-01", "2026-05-01"),
        ("06/04/2026", "2026-04-06"),
        ("Friday the 13th", "2026-03-13"),
        ("Tuesday 24th at noon", "2026-03-24"),
        ("Sunday 22nd March", "2026-03-22"),
        ("arriving on 12/03", "2026-03-12"),
        ("arriving on 03/12", "2026-12-03"),
    ],
)
def test_english_dates(text: str, expected: str) -> None:
    assert of_type(text, "date") == [expected]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("mañana", "2026-03-11"),
        ("manana sin tilde", "2026-03-11"),
        ("pasado mañana", "2026-03-12"),
        ("el viernes", "2026-03-13"),
        ("el próximo lunes", "2026-03-16"),
        ("el lunes que viene", "2026-03-16"),
        ("hoy", "2026-03-10"),
        ("el 3 de abril", "2026-04-03"),
        ("el jueves 2 de julio", "2026-07-02"),
        ("el día 5", "2026-04-05"),
        ("el martes 24 con mi mujer", "2026-03-24"),
        ("llegamos el 29/02", "2028-02-29"),
    ],
)
def test_spanish_dates(text: str, expected: str) -> None:
    assert of_type(text, "date") == [expected]


def test_la_manana_is_the_morning_not_tomorrow() -> None:
    assert of_type("nos vemos por la mañana", "date") == []
    assert of_type("mañana por la mañana", "date") == ["2026-03-11"]


def test_relative_dates_cross_month_and_year_ends() -> None:
    new_years_eve = dt.datetime(2026, 12, 31, 20, 0)
    assert of_type("tomorrow", "date", new_years_eve) == ["2027-01-01"]
    assert of_type("the 2nd", "date", new_years_eve) == ["2027-01-02"]
    assert of_type("next Monday", "date", new_years_eve) == ["2027-01-04"]
    assert of_type("January 15", "date", new_years_eve) == ["2027-01-15"]
    # 30 February does not exist: 'the 30th' on 31 January is 30 March.
    assert of_type("the 30th", "date", dt.datetime(2026, 1, 31, 9)) == ["2026-03-30"]
    assert of_type("day after tomorrow", "date", dt.datetime(2026, 2, 27, 9)) == ["2026-03-01"]


def test_now_is_read_in_the_given_timezone() -> None:
    utc_evening = dt.datetime(2026, 12, 31, 22, 30, tzinfo=dt.UTC)
    assert of_type("tomorrow", "date", utc_evening, "Asia/Tokyo") == ["2027-01-02"]  # already 1 Jan in Tokyo
    assert of_type("tomorrow", "date", utc_evening, "America/New_York") == ["2027-01-01"]
    assert of_type("today", "date", "2026-12-31T22:30:00+00:00", "Asia/Tokyo") == ["2027-01-01"]
    assert local_today(dt.datetime(2026, 3, 1, 23, 30), "Asia/Tokyo") == dt.date(2026, 3, 1)  # naive = local


def test_next_day_of_month_skips_short_months() -> None:
    assert next_day_of_month(dt.date(2026, 1, 31), 31) == dt.date(2026, 1, 31)
    assert next_day_of_month(dt.date(2026, 2, 1), 31) == dt.date(2026, 3, 31)
    assert next_day_of_month(dt.date(2026, 3, 1), 32) is None


def test_ordinals_that_are_not_dates() -> None:
    assert of_type("our room is on the 3rd floor", "date") == []
    assert of_type("this is the 2nd time I ask", "date") == []


# --- times ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("at 7:30pm", "19:30"),
        ("at 7:30 p.m.", "19:30"),
        ("7pm", "19:00"),
        ("12am", "00:00"),
        ("19:45", "19:45"),
        ("19h30", "19:30"),
        ("1300hrs", "13:00"),
        ("10.30am", "10:30"),
        ("24:30", "00:30"),
        ("noon", "12:00"),
        ("midnight", "00:00"),
        ("half past seven", "07:30"),  # no am/pm hint: the literal hour
        ("half past seven in the evening", "19:30"),
        ("quarter to 8", "07:45"),
        ("a quarter past 6 pm", "18:15"),
        ("a quarter to one pm", "12:45"),
        ("eight o'clock", "08:00"),
        ("at seven thirty", "07:30"),
        ("a las siete y media de la tarde", "19:30"),
        ("a las ocho menos cuarto", "07:45"),
        ("a la una", "01:00"),
        ("a las 21h", "21:00"),
        ("a las 20.30 horas", "20:30"),
        ("meet at 0930, please", "09:30"),
        ("al mediodía", "12:00"),
    ],
)
def test_times(text: str, expected: str) -> None:
    assert of_type(text, "time") == [expected]


def test_numbers_that_are_not_times() -> None:
    assert of_type("it costs 12.50 euros", "time") == []
    assert of_type("from five to ten people", "time") == []
    assert of_type("las dos personas", "time") == []
    assert of_type("a ratio of 3:1", "time") == []
    assert of_type("we paid at 1000 euros", "time") == []
    assert of_type("the score was 3/1", "date") == []


# --- counts --------------------------------------------------------------------------------


def test_people_breakdown() -> None:
    [ent] = [e for e in run("two adults and a child") if e.type == "people_count"]
    assert ent.value == 3
    assert ent.extra["breakdown"] == {"adults": 2, "children": 1}
    assert ent.text == "two adults and a child"
    [es] = [e for e in run("dos adultos y dos niños") if e.type == "people_count"]
    assert (es.value, es.extra["breakdown"]) == (4, {"adults": 2, "children": 2})


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("a party of 12", 12),
        ("for 4 people", 4),
        ("a table for 2 at 8pm", 2),
        ("book it for two, please", 2),
        ("There will be 7 of us", 7),
        ("six in my party", 6),
        ("Just one, thanks", 1),
        ("I need 5 tickets", 5),
        ("Somos 5", 5),
        ("mesa para cuatro", 4),
        ("un grupo de 20 personas", 20),
        ("twenty-two guests", 22),
        ("We're 4 adults, 1 teen and 2 seniors", 7),
        ("2 adults 1 child", 3),
        ("The reservation for 4 is confirmed", 4),
    ],
)
def test_people_count(text: str, expected: int) -> None:
    assert of_type(text, "people_count") == [expected]


def test_counts_do_not_steal_other_numbers() -> None:
    assert pairs("a table for 2 at 7:30") == [("people_count", 2), ("time", "07:30")]
    assert of_type("for 3 nights", "people_count") == []
    assert of_type("for 20 euros", "people_count") == []
    assert of_type("two of us are vegetarian", "people_count") == []
    assert of_type("a guest house in the centre", "people_count") == []
    assert of_type("book it for 2026", "people_count") == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [("3 nights", 3), ("for two nights", 2), ("a 4-night stay", 4), ("tres noches", 3), ("stay for 5 days", 5)],
)
def test_nights(text: str, expected: int) -> None:
    assert of_type(text, "duration_nights") == [expected]
    assert of_type(text, "date") == []


# --- identifiers ---------------------------------------------------------------------------


def test_booking_refs_and_group_numbers() -> None:
    assert of_type("ref BK-7Q2X9A", "booking_ref") == ["BK-7Q2X9A"]
    assert of_type("bk 7q2x9a", "booking_ref") == ["BK-7Q2X9A"]
    assert of_type("booking ABC123", "booking_ref") == ["BK-ABC123"]
    assert of_type("localizador: 4X7K9P", "booking_ref") == ["BK-4X7K9P"]
    assert of_type("booking online is easy", "booking_ref") == []
    assert of_type("group G-2026-0042", "group_number") == ["G-2026-0042"]
    assert of_type("grupo g 2026 42", "group_number") == ["G-2026-0042"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("AZ 611", "AZ611"),
        ("az-611", "AZ611"),
        ("flight AZ0611", "AZ611"),
        ("vuelo IB3166", "IB3166"),
        ("U2 8011", "U28011"),
    ],
)
def test_flight_numbers(text: str, expected: str) -> None:
    assert of_type(text, "flight_number") == [expected]


def test_not_flight_numbers() -> None:
    assert of_type("postcode CB21 1AB", "flight_number") == []
    assert of_type("ARRIVING AT 1230", "flight_number") == []
    assert of_type("Order #AB1234 shipped", "flight_number") == []
    assert of_type("llámame al 612 345 678", "flight_number") == []


def test_phone_and_email() -> None:
    assert pairs("call +34 612 345 678 or ana@Example.com") == [
        ("phone", "+34612345678"),
        ("email", "ana@example.com"),
    ]
    assert of_type("my cell is (415) 555-2671", "phone") == ["+14155552671"]
    assert [e.value for e in run("llámame al 612 345 678", phone_region="ES") if e.type == "phone"] == ["+34612345678"]


def test_ids_win_over_phones_and_counts() -> None:
    assert pairs("group G-2026-0042 booking XK4721") == [
        ("group_number", "G-2026-0042"),
        ("booking_ref", "BK-XK4721"),
    ]


# --- places, dietary, language -------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Is the Colosseum open?", "colosseum"),
        ("visit the Colosseo", "colosseum"),
        ("el Coliseo", "colosseum"),
        ("staying at Hotel Aveniada", "hotel-avenida"),
        ("staying at hotel avenida", "hotel-avenida"),
        ("the vatican musems", "vatican-museums"),
        ("back to Roma", "rome"),
        ("a train to ely", "ely"),
    ],
)
def test_places_tolerate_typos(text: str, expected: str) -> None:
    assert of_type(text, "place") == [expected]


def test_place_details_and_common_word_guard() -> None:
    [ent] = [e for e in run("dinner at La Pergola") if e.type == "place"]
    assert ent.extra["kind"] == "restaurant"
    assert ent.extra["name"] == "La Pergola"
    assert of_type("any place is fine", "place") == []
    assert of_type("that would be nice", "place") == []
    assert of_type("a week in Nice", "place") == ["nice"]
    assert of_type("we loved The Place", "place") == ["the-place"]
    assert of_type("we ate at the place last night", "place") == ["the-place"]  # full name with article
    assert extract("Colosseum", TUESDAY, MADRID) == []  # no catalog, no places


def test_dietary_english_and_spanish() -> None:
    text = "I'm vegan, she is celiac, he has a nut allergy; somos vegetarianos, sin lactosa y alérgicos al marisco"
    assert of_type(text, "dietary") == [
        "vegan",
        "gluten-free",
        "nut-allergy",
        "vegetarian",
        "lactose-free",
        "shellfish-allergy",
    ]
    assert of_type("halal or kosher meals, gluten-free bread", "dietary") == ["halal", "kosher", "gluten-free"]


def test_languages_need_a_cue() -> None:
    assert of_type("an English-speaking guide", "language") == ["en"]
    assert of_type("do you speak French?", "language") == ["fr"]
    assert of_type("guía en italiano", "language") == ["it"]
    assert of_type("¿hablan alemán?", "language") == ["de"]
    assert of_type("Italian food tonight", "language") == []
    assert of_type("a Spanish restaurant", "language") == []


# --- whole sentences -----------------------------------------------------------------------


def test_full_english_sentence() -> None:
    text = (
        "Two adults and a child, Hotel Aveniada from next Friday for 3 nights, dinner at 7:30pm, call +34 612 345 678."
    )
    assert pairs(text) == [
        ("people_count", 3),
        ("place", "hotel-avenida"),
        ("date", "2026-03-13"),
        ("duration_nights", 3),
        ("time", "19:30"),
        ("phone", "+34612345678"),
    ]


def test_full_spanish_sentence() -> None:
    text = "Somos 5 personas, el viernes a las ocho y media en La Pergola, dos vegetarianos. Guía en inglés."
    assert pairs(text) == [
        ("people_count", 5),
        ("date", "2026-03-13"),
        ("time", "08:30"),
        ("place", "la-pergola"),
        ("dietary", "vegetarian"),
        ("language", "en"),
    ]


def test_date_and_time_may_share_tonight() -> None:
    assert pairs("at 8 p.m. tonight") == [("time", "20:00"), ("date", "2026-03-10")]


@pytest.mark.parametrize(
    "text",
    [
        "The weather is lovely and the food was great.",
        "Thank you so much for your help!",
        "I booked room 204 last week and paid 150 euros.",
        "Our kids loved the museums and the long walks.",
        "¿Cuál es la mejor época para viajar?",
        "We have two questions about the itinerary.",
    ],
)
def test_no_false_positives_on_plain_sentences(text: str) -> None:
    assert run(text) == []


def test_entity_to_dict() -> None:
    [ent] = run("a party of 12")
    assert ent.to_dict() == {"type": "people_count", "value": 12, "start": 0, "end": 13, "text": "a party of 12"}
    assert parse_number("veintidós") == 22


# --- evaluation plumbing -------------------------------------------------------------------


def test_run_entities_on_a_small_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "mini.jsonl"
    gold = [{"type": "people_count", "value": 4}, {"type": "place", "value": "rome"}]
    rows: list[dict[str, Any]] = [
        {"catalog": [{"id": "rome", "name": "Rome", "kind": "city", "aliases": []}]},
        {"text": "4 people to Rome", "now": "2026-03-10T09:00:00", "tz": MADRID, "entities": gold},
    ]
    path.write_text("\n".join(json.dumps(r) for r in rows), encoding="utf-8")
    result = run_entities(str(path))
    assert result["micro_f1"] == 1.0
    assert result["n"] == 1
    assert json.loads(capsys.readouterr().out.strip().splitlines()[-1])["micro_f1"] == 1.0


def test_multiwoz_matching_rule() -> None:
    assert dev_path_for("/data/multiwoz_slots/test.jsonl") == Path("/data/multiwoz_slots/dev.jsonl")
    dev_row = {"text": "to Ely", "slots": [{"slot": "train-destination", "value": "Ely", "start": 3, "end": 6}]}
    catalog = build_catalog([dev_row])
    row = {
        "text": "for 4 people at 3:45 pm to ely",
        "slots": [
            {"slot": "train-bookpeople", "value": "4", "start": 4, "end": 5},
            {"slot": "train-leaveat", "value": "3:45", "start": 16, "end": 20},
            {"slot": "taxi-leaveat", "value": "3:45", "start": 16, "end": 20},  # same mention, two slots
            {"slot": "train-destination", "value": "ely", "start": 27, "end": 30},
        ],
    }
    gold = gold_spans(row, catalog)
    assert [(g.group, g.value) for g in gold] == [("people", "4"), ("time", "15:45"), ("places", "ely")]
    pred = [
        Span("people", "4", 4, 12, "4 people"),
        Span("time", "15:45", 16, 23, "3:45 pm"),
        Span("day", "monday", 0, 3, "x"),
    ]
    outcomes = sorted((o, g) for o, g, _ in match_line(gold, pred))
    assert outcomes == [("fn", "places"), ("fp", "day"), ("tp", "people"), ("tp", "time")]
