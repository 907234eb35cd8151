"""The one place type, and its Linked Places Format (LPF) form.

Every source (curated, GeoNames, online) answers with ``Place``. On disk the curated gazetteer is an
LPF FeatureCollection (the World Historical Gazetteer's GeoJSON-LD with ``when`` spans); what LPF has no
slot for (feature type, uncertainty radius, representative point, the coordinate's citation, the
identification note) travels in the feature's ``properties``, which the WHG schema leaves open.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import GazetteerDataError

FEATURE_TYPES: dict[str, tuple[str, str]] = {
    # our type: (Getty AAT identifier, GeoNames feature class) -- AAT ids are what WHG expects.
    "settlement": ("aat:300008347", "P"),
    "river": ("aat:300008707", "H"),
    "lake": ("aat:300008680", "H"),
    "sea": ("aat:300008694", "H"),
    "ocean": ("aat:300008687", "H"),
    "island": ("aat:300008791", "T"),
    "mountain": ("aat:300008795", "T"),
    "region": ("aat:300182722", "L"),
    "continent": ("aat:300128176", "L"),
    "province": ("aat:300000774", "A"),
    "county": ("aat:300000771", "A"),
    "country": ("aat:300128207", "A"),
    "military base": ("aat:300006837", "S"),
    "building": ("aat:300004792", "S"),
}

LPF_CONTEXT = (
    "https://raw.githubusercontent.com/LinkedPasts/linked-places/master/linkedplaces-context-v1.1.jsonld"
)
CURATED_PREFIX = "itinera:"
PART_OF = "gvp:broaderPartitive"  # the only LPF relation that maps to Place.part_of


@dataclass(frozen=True, slots=True)
class AlternateName:
    """A name a place went by: a variant spelling, a transliteration or a historical name.

    ``when`` is an EDTF interval (``1925/1961`` for Stalingrad) limiting the years the name was in use;
    ``None`` means the name is not tied to a period.
    """

    name: str
    lang: str | None = None
    when: str | None = None
    kind: str = "variant"  # variant | historical | transliteration | abbreviation | official


@dataclass(frozen=True, slots=True)
class Place:
    """A place with the evidence for where it is.

    ``lat``/``lon`` is the representative point (a river's is a point on its course near the events,
    not its centroid, which may fall off the river). ``uncertainty_km`` is the radius within which we
    believe the place referred to lies: a few km for a city, hundreds for a region or a guessed camp.
    """

    id: str
    name: str
    feature_type: str
    lat: float
    lon: float
    uncertainty_km: float = 1.0
    geometry: dict[str, Any] | None = None
    when: str | None = None
    alternate_names: tuple[AlternateName, ...] = ()
    links: tuple[str, ...] = ()
    citation: str = ""
    note: str = ""
    country_codes: tuple[str, ...] = ()
    population: int = 0
    source: str = "curated"
    description: str = ""
    part_of: tuple[str, ...] = field(default=())

    @property
    def point(self) -> dict[str, Any]:
        return {"type": "Point", "coordinates": [self.lon, self.lat]}

    @property
    def shape(self):
        """The geometry as a shapely object (the point when no other geometry is known)."""
        from shapely.geometry import shape

        return shape(self.geometry or self.point)

    def all_names(self) -> Iterator[AlternateName]:
        yield AlternateName(self.name, kind="preferred")
        yield from self.alternate_names


# --- EDTF interval <-> LPF timespans -------------------------------------------------------------


def edtf_to_timespans(when: str | None) -> dict[str, Any] | None:
    """``1925/1961`` -> LPF ``when``; open ends (``1932/..``) leave that bound out."""
    if not when:
        return None
    start, _, end = when.partition("/")
    span: dict[str, Any] = {"start": {"in": start} if start not in ("", "..") else {}}
    if end and end != "..":
        span["end"] = {"in": end}
    return {"timespans": [span]}


def timespans_to_edtf(when: dict[str, Any] | None) -> str | None:
    """The first timespan of an LPF ``when`` as an EDTF interval (``earliest``/``latest`` widen it)."""
    if not when or not when.get("timespans"):
        return None
    span = when["timespans"][0]

    def bound(b: dict[str, Any] | None, key: str) -> str:
        if not b:
            return ".."
        return str(b.get("in") or b.get(key) or "..")

    start = bound(span.get("start"), "earliest")
    end = bound(span.get("end"), "latest")
    if start == end:
        return start
    return f"{start}/{end}"


# --- LPF reading and writing -----------------------------------------------------------------------


def place_to_lpf(place: Place) -> dict[str, Any]:
    """One LPF Feature that validates against the WHG schema v1.2.2."""
    aat, fclass = FEATURE_TYPES.get(place.feature_type, ("", ""))
    names = []
    for alt in place.all_names():
        entry: dict[str, Any] = {"toponym": alt.name, "lang": alt.lang}
        when = edtf_to_timespans(alt.when)
        if when:
            entry["when"] = when
        if alt.kind != "preferred":
            entry["itinera_kind"] = alt.kind
        names.append(entry)
    props: dict[str, Any] = {
        "title": place.name,
        "ccodes": list(place.country_codes),
        "fclasses": [fclass] if fclass else [],
        "feature_type": place.feature_type,
        "uncertainty_km": place.uncertainty_km,
        "representative_point": [place.lon, place.lat],
        "citation": place.citation,
        "source": place.source,
    }
    if place.note:
        props["identification_note"] = place.note
    if place.population:
        props["population"] = place.population
    feature: dict[str, Any] = {
        "@id": place.id,
        "type": "Feature",
        "properties": props,
        "names": names,
        "types": [{"identifier": aat, "label": place.feature_type}] if aat else [],
        "geometry": place.geometry or place.point,
        "links": [{"type": "closeMatch", "identifier": link} for link in place.links],
        "relations": [
            {"relationType": PART_OF, "relationTo": parent, "label": "part of"} for parent in place.part_of
        ],
    }
    when = edtf_to_timespans(place.when)
    if when:
        feature["when"] = when
    if place.description:
        feature["descriptions"] = [{"value": place.description, "lang": "en"}]
    return feature


def places_to_lpf(places: Iterable[Place]) -> dict[str, Any]:
    return {
        "type": "FeatureCollection",
        "@context": LPF_CONTEXT,
        "features": [place_to_lpf(p) for p in places],
    }


def write_lpf(places: Iterable[Place], path: str | Path) -> None:
    Path(path).write_text(
        json.dumps(places_to_lpf(places), ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
    )


def _representative_point(geometry: dict[str, Any] | None, where: str) -> tuple[float, float]:
    if not geometry:
        raise GazetteerDataError(f"{where}: no geometry and no representative_point")
    from shapely.geometry import shape

    try:
        geom = shape(geometry)
        pt = geom if geom.geom_type == "Point" else geom.representative_point()
    except Exception as exc:  # shapely raises several types for bad GeoJSON
        raise GazetteerDataError(f"{where}: invalid geometry ({exc})") from exc
    return pt.x, pt.y


def place_from_lpf(feature: dict[str, Any], *, where: str = "feature", source: str = "") -> Place:
    """Read one LPF Feature, ours or anyone's (missing itinera fields get honest defaults)."""
    if not isinstance(feature, dict):
        raise GazetteerDataError(f"{where}: not a JSON object")
    props = feature.get("properties") or {}
    names_raw = feature.get("names") or []
    title = props.get("title") or next((n.get("toponym") for n in names_raw if n.get("toponym")), None)
    if not title:
        raise GazetteerDataError(f"{where}: no properties.title and no toponym")
    pid = feature.get("@id") or feature.get("id")
    if not pid:
        raise GazetteerDataError(f"{where} ({title}): no @id")
    geometry = feature.get("geometry")
    if geometry and geometry.get("type") == "GeometryCollection" and not geometry.get("geometries"):
        geometry = None
    rep = props.get("representative_point")
    if rep:
        lon, lat = float(rep[0]), float(rep[1])
    else:
        lon, lat = _representative_point(geometry, f"{where} ({title})")
    if not (-180 <= lon <= 180 and -90 <= lat <= 90):
        raise GazetteerDataError(f"{where} ({title}): coordinates out of range ({lon}, {lat})")
    ftype = props.get("feature_type")
    if not ftype:
        labels = [t.get("label", "") for t in feature.get("types") or []]
        ftype = _guess_type(labels, props.get("fclasses") or [])
    alts = []
    for n in names_raw:
        top = n.get("toponym")
        if not top or (top == title and not n.get("when")):
            continue
        alts.append(
            AlternateName(
                name=top,
                lang=n.get("lang"),
                when=timespans_to_edtf(n.get("when")),
                kind=n.get("itinera_kind") or ("historical" if n.get("when") else "variant"),
            )
        )
    descriptions = feature.get("descriptions") or []
    return Place(
        id=str(pid),
        name=title,
        feature_type=ftype,
        lat=lat,
        lon=lon,
        uncertainty_km=float(props.get("uncertainty_km") or _default_radius(ftype)),
        geometry=geometry,
        when=timespans_to_edtf(feature.get("when")),
        alternate_names=tuple(alts),
        links=tuple(link.get("identifier", "") for link in feature.get("links") or []),
        citation=props.get("citation") or _geometry_citation(geometry),
        note=props.get("identification_note") or "",
        country_codes=tuple(props.get("ccodes") or ()),
        population=int(props.get("population") or 0),
        source=source or props.get("source") or "lpf",
        description=descriptions[0].get("value", "") if descriptions else "",
        part_of=tuple(
            r["relationTo"]
            for r in feature.get("relations") or []
            if r.get("relationTo") and r.get("relationType", PART_OF) == PART_OF
        ),
    )


def _geometry_citation(geometry: dict[str, Any] | None) -> str:
    """Other gazetteers cite per geometry (LPF ``geometries[].citations``); keep those labels."""
    parts = (geometry or {}).get("geometries") or [geometry or {}]
    labels = [c.get("label") or c.get("@id") or "" for g in parts for c in g.get("citations") or []]
    return "; ".join(dict.fromkeys(label for label in labels if label))


def _guess_type(labels: list[str], fclasses: list[str]) -> str:
    text = " ".join(labels).lower()
    for ftype in FEATURE_TYPES:
        if ftype in text:
            return ftype
    by_class = {"P": "settlement", "H": "river", "T": "mountain", "A": "province", "L": "region"}
    return by_class.get(fclasses[0] if fclasses else "", "settlement")


def _default_radius(ftype: str) -> float:
    return {"settlement": 5.0, "military base": 10.0, "country": 500.0, "region": 300.0}.get(ftype, 50.0)


def read_lpf(path_or_data: str | Path | dict[str, Any], *, source: str = "") -> list[Place]:
    """Load an LPF FeatureCollection (or a single Feature) from a file or a parsed object."""
    where = "LPF data"
    if isinstance(path_or_data, dict):
        data = path_or_data
    else:
        where = str(path_or_data)
        try:
            data = json.loads(Path(path_or_data).read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise GazetteerDataError(f"{where}: cannot read as LPF JSON ({exc})") from exc
    if not isinstance(data, dict):
        raise GazetteerDataError(f"{where}: expected a FeatureCollection object")
    features = data.get("features") if data.get("type") == "FeatureCollection" else [data]
    if not isinstance(features, list):
        raise GazetteerDataError(f"{where}: 'features' is not a list")
    return [
        place_from_lpf(f, where=f"{where}, feature {i + 1}", source=source) for i, f in enumerate(features)
    ]


def user_place_id(file_name: str, feature: dict[str, Any], index: int) -> str:
    """The id of a place in a user's LPF or GeoJSON file: the feature's own ``@id`` or ``id``, else
    ``user:<file stem>:<feature number from 1>``. Never made from the name: names in other scripts
    and names shared by two places would give colliding ids, one place silently replacing another."""
    own = feature.get("@id") or feature.get("id")
    if own not in (None, ""):
        return str(own)
    return f"user:{Path(file_name).stem}:{index + 1}"
