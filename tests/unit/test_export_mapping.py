"""Export mappings on hand-built records: ACLED columns and taxonomy, GeoJSON features, centroids."""

from __future__ import annotations

from datetime import date

import pytest

from crimewire.export import ACLED_COLUMNS, acled_row, centroid, country_name, feature
from crimewire.records import PlaceMatch
from crimewire.storage.records_view import IncidentRecord, SourceRef, locate


def record(**changes: object) -> IncidentRecord:
    base: dict[str, object] = {
        "id": 7, "kind": "event", "type": "killing", "date": date(2024, 5, 10), "date_precision": "day",
        "country": "MX", "count": 6, "count_rule": "exact", "places": ("Celaya",),
        "organizations": ("Cártel Santa Rosa de Lima", "Los Marros"), "agencies": ("Fiscalía de Guanajuato",),
        "n_sources": 2, "first_reported": date(2024, 5, 11), "last_reported": date(2024, 5, 12),
        "location_kind": "point", "lat": 20.52, "lon": -100.81, "region": "MX-GUA",
        "region_name": "Guanajuato", "place": "Celaya",
        "sources": (
            SourceRef("a1", "https://a.example/1", "Diario A", date(2024, 5, 11), "t", "Six were shot dead.", 0, 18),
            SourceRef("a2", "https://b.example/2", "Radio B", date(2024, 5, 12), "t", "Gunmen killed six.", 5, 23),
        ),
    }  # fmt: skip
    base.update(changes)
    return IncidentRecord(**base)  # type: ignore[arg-type]


def test_acled_row_has_every_acled_column_first() -> None:
    row = acled_row(record())
    assert list(row) == list(ACLED_COLUMNS)
    assert ACLED_COLUMNS[:3] == ("event_id_cnty", "event_date", "year")
    assert all(c.startswith("crimewire_") for c in ACLED_COLUMNS[ACLED_COLUMNS.index("timestamp") + 1 :])


def test_killing_maps_to_violence_against_civilians_with_fatalities() -> None:
    row = acled_row(record())
    assert (row["event_type"], row["sub_event_type"]) == ("Violence against civilians", "Attack")
    assert row["fatalities"] == 6
    assert row["actor1"] == "Cártel Santa Rosa de Lima" and row["assoc_actor_1"] == "Los Marros"
    assert row["actor2"] == "Civilians (Mexico)"
    assert row["event_id_cnty"] == "MEX7" and row["iso"] == 484 and row["country"] == "Mexico"
    assert row["admin1"] == "Guanajuato" and row["location"] == "Celaya"
    assert (row["latitude"], row["longitude"], row["geo_precision"]) == (20.52, -100.81, 1)
    assert row["time_precision"] == 1 and row["event_date"] == "2024-05-10" and row["year"] == 2024
    assert row["source"] == "Diario A; Radio B"
    assert row["notes"] == "Six were shot dead. | Gunmen killed six."
    assert row["timestamp"] == 1715472000  # 2024-05-12T00:00:00Z, the last report's day


@pytest.mark.parametrize(
    ("type_", "items", "expected"),
    [
        ("arrest", (), ("Strategic developments", "Arrests")),
        ("kidnapping", (), ("Violence against civilians", "Abduction/forced disappearance")),
        ("seizure", ("48 units firearms",), ("Strategic developments", "Disrupted weapons use")),
        ("seizure", ("2.5 t cocaine",), ("Strategic developments", "Other")),
        ("extradition", (), ("Strategic developments", "Other")),
        ("remains_found", (), ("Strategic developments", "Other")),
    ],
)
def test_type_mapping(type_: str, items: tuple[str, ...], expected: tuple[str, str]) -> None:
    row = acled_row(record(type=type_, items=items))
    assert (row["event_type"], row["sub_event_type"]) == expected
    assert row["fatalities"] == 0


def test_state_actions_put_the_agency_first() -> None:
    row = acled_row(record(type="arrest"))
    assert row["actor1"] == "Fiscalía de Guanajuato" and row["actor2"] == "Cártel Santa Rosa de Lima"
    unnamed = acled_row(record(type="raid", agencies=(), country="PE"))
    assert unnamed["actor1"] == "Police Forces of Peru"


@pytest.mark.parametrize(("precision", "code"), [("day", 1), ("week", 2), ("month", 3), ("year", 3)])
def test_time_precision(precision: str, code: int) -> None:
    assert acled_row(record(date_precision=precision))["time_precision"] == code


def test_undated_record_uses_the_report_date_at_low_precision() -> None:
    row = acled_row(record(date=None, date_precision=None))
    assert row["event_date"] == "2024-05-11" and row["time_precision"] == 3


def test_region_level_record_gets_the_region_centroid() -> None:
    row = acled_row(record(location_kind="region", lat=None, lon=None, place="Guanajuato"))
    assert row["geo_precision"] == 3
    assert 20.0 < row["latitude"] < 21.8 and -102.2 < row["longitude"] < -99.6  # inside Guanajuato


def test_record_without_country_or_place() -> None:
    row = acled_row(record(country=None, location_kind="none", lat=None, lon=None, region=None, region_name=None))
    assert row["event_id_cnty"] == "XXX7" and row["iso"] == "" and row["latitude"] == ""


def test_feature_is_lon_lat_and_areas_are_polygons() -> None:
    point = feature(record())
    assert point["geometry"] == {"type": "Point", "coordinates": [-100.81, 20.52]}
    assert point["properties"]["organizations"] == "Cártel Santa Rosa de Lima; Los Marros"
    area = feature(record(location_kind="country", lat=None, lon=None, region=None))
    assert area["geometry"]["type"] == "MultiPolygon"
    assert feature(record(location_kind="country", lat=None, lon=None), areas=False)["geometry"] is None


def test_centroid_of_a_square_and_the_largest_part() -> None:
    square = [[0, 0], [2, 0], [2, 2], [0, 2], [0, 0]]
    islet = [[10, 10], [10.1, 10], [10.1, 10.1], [10, 10]]
    assert centroid({"type": "MultiPolygon", "coordinates": [[islet], [square]]}) == (1.0, 1.0)


def test_locate_prefers_a_town_with_coordinates() -> None:
    region = PlaceMatch("Jalisco", 0, 7, "Jalisco", kind="region", country="MX", region="MX-JAL")
    town = PlaceMatch("Tlaquepaque", 10, 21, "Tlaquepaque", kind="city", country="MX", lat=20.6, lon=-103.3)
    vague = PlaceMatch("a ranch", 30, 37, "a ranch", kind="locality", country="MX", region="MX-JAL")
    assert locate([region, town], "MX") == ("point", town)
    assert locate([vague], "MX") == ("region", vague)
    assert locate([], "MX") == ("country", None)
    assert locate([], None) == ("none", None)


def test_country_names() -> None:
    assert country_name("VE") == "Venezuela"
    assert country_name("PE") == "Peru"
    assert country_name(None) == ""
