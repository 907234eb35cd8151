"""The one map builder, shared by the dashboard and the standalone HTML export.

Speed at scale decides the shape: a folium ``Marker`` per event costs milliseconds (folium issue
1814), so every layer of points or lines is ONE ``L.geoJSON`` built in the browser from compact rows
(rounded coordinates, strings looked up in small tables) by our ``static/itinera.js``; popups are
built on click from the feature's properties. Every string from data or a user's file is
HTML-escaped here, in Python, before it reaches the page (a summary ``<script>`` shows as text).
More than ``CANVAS_ABOVE`` points switch Leaflet to its canvas renderer (SVG paths per marker stall
the browser at 100,000).
"""

from __future__ import annotations

import itertools
import json
import zlib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import folium
from branca.element import MacroElement
from folium.elements import JSCSSMixin
from folium.map import Layer
from folium.plugins import FastMarkerCluster
from folium.template import Template

from gazetteer.distance import distance_km, great_circle_points

from .assets import Mode, RawRender, asset_url, escape, localize, script_json
from .basemap import (
    EAST_ASIA,
    SEA_COLOUR,
    STYLE_LAKE,
    STYLE_LAND,
    STYLE_RIVER,
    STYLE_WORLD,
    day_number,
    physical_layers,
    polity_layer,
    tolerance_for,
)
from .models import Event, Source
from .timecontrol import TimeControl
from .timespan import OPEN_END, OPEN_START, EDTFError, corpus_range, span

LAYER_KEYS: tuple[str, ...] = (
    "bases",  # bases and stays
    "events",  # every other kind
    "contested",  # contested claims, in a style of their own
    "undated",
    "routes",
    "mentions",  # all place mentions of the texts, clustered
    "uncertainty",
    "polities",
)
DEFAULT_LAYERS: frozenset[str] = frozenset(LAYER_KEYS) - {"uncertainty"}
LAYER_NAMES = {
    "bases": "Bases and stays",
    "events": "Other events",
    "contested": "Contested claims",
    "undated": "Undated events",
    "routes": "Routes",
    "mentions": "All place mentions",
    "uncertainty": "Uncertainty",
    "polities": "Polities of the period",
}
CANVAS_ABOVE = 3000
MAX_ZOOM_OFFLINE = 10
OSM_URL = "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
OSM_ATTR = '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a> contributors'
ROUTE_COLOURS = ("#e41a1c", "#377eb8", "#4daf4a", "#984ea3", "#ff7f00", "#a65628", "#f781bf", "#666666")
KIND_COLOURS = {  # mirrors Itinera.KIND_STYLE in static/itinera.js, for the legend
    "base": ("#7f0000", "#d7301f"),
    "stay": ("#8c4a00", "#fd8d3c"),
    "move": ("#08306b", "#4292c6"),
    "meeting": ("#00441b", "#41ab5d"),
    "founding": ("#3f007d", "#807dba"),
    "exercise": ("#252525", "#969696"),
    "battle": ("#67000d", "#000000"),
    "claim": ("#c51b7d", "#f1b6da"),
    "death": ("#000000", "#ffffff"),
    "appointment": ("#014636", "#67a9cf"),
    "context": ("#525252", "#d9d9d9"),
}


@dataclass
class MapSummary:
    """What ``build_map`` drew (attached to the map as ``m.itinera``), for callers and tests."""

    shown: dict[str, int] = field(default_factory=dict)  # layer key -> features
    undated: list[str] = field(default_factory=list)  # event ids
    missing_place: list[str] = field(default_factory=list)  # event ids whose place is unknown
    time_range: tuple[date, date] | None = None


# --- elements -----------------------------------------------------------------------------------------


class _ItineraAssets(JSCSSMixin):
    def _use_itinera_assets(self) -> None:
        self.default_js = [("itinera_js", asset_url("itinera_js"))]
        self.default_css = [("itinera_css", asset_url("itinera_css"))]


class JsLayer(_ItineraAssets, Layer, RawRender):
    """A layer made in the browser by ``factory(payload, options)`` from ``static/itinera.js``."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
            var {{ this.get_name() }} = {{ this.factory }}({{ this.payload }}, {{ this.options_json }});
        {% endmacro %}
        """
    )

    def __init__(
        self,
        factory: str,
        payload: Any,
        *,
        name: str,
        options: Mapping[str, Any] | None = None,
        overlay: bool = True,
        control: bool = True,
        show: bool = True,
    ):
        super().__init__(name=name, overlay=overlay, control=control, show=show)
        self._name = "ItineraLayer"
        self.factory = factory
        self.payload = script_json(payload)
        self.options_json = script_json(dict(options or {}))
        self._use_itinera_assets()


class BaseMapLayer(_ItineraAssets, Layer, RawRender):
    """The offline physical basemap (a base layer: land with its coast, lakes, rivers)."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
            var {{ this.get_name() }} = L.layerGroup([
                Itinera.areaLayer({{ this.world }}, {interactive: false, style: {{ this.world_style }}}),
                Itinera.areaLayer({{ this.land }}, {interactive: false, style: {{ this.land_style }}}),
                Itinera.areaLayer({{ this.lakes }}, {interactive: false, style: {{ this.lake_style }}}),
                Itinera.areaLayer({{ this.rivers }}, {interactive: false, style: {{ this.river_style }}})
            ]);
            {{ this._parent.get_name() }}.getContainer().style.background = {{ this.sea|tojson }};
        {% endmacro %}
        """
    )

    def __init__(self, layers: Mapping[str, Any], *, name: str = "Offline physical map", show: bool = True):
        super().__init__(name=name, overlay=False, control=True, show=show)
        self._name = "ItineraBaseMap"
        self.world = script_json(layers["world"])
        self.world_style = script_json(STYLE_WORLD)
        self.land = script_json(layers["land"])
        self.lakes = script_json(layers["lakes"])
        self.rivers = script_json(layers["rivers"])
        self.land_style = script_json(STYLE_LAND)
        self.lake_style = script_json(STYLE_LAKE)
        self.river_style = script_json(STYLE_RIVER)
        self.sea = SEA_COLOUR
        self._use_itinera_assets()


class Legend(_ItineraAssets):
    """A small legend control; ``html`` is our own static markup (no data in it)."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
            Itinera.legend({{ this._parent.get_name() }}, {{ this.html|tojson }}, "bottomright");
        {% endmacro %}
        """
    )

    def __init__(self, html: str):
        super().__init__()
        self._name = "Legend"
        self.html = html
        self._use_itinera_assets()


# --- helpers ------------------------------------------------------------------------------------------


def _as_mapping(items: Mapping[str, Any] | Iterable[Any] | None) -> dict[str, Any]:
    if items is None:
        return {}
    if isinstance(items, Mapping):
        return dict(items)
    return {item.id: item for item in items}


def _window_dates(window: Any) -> tuple[date, date] | None:
    """``(start, end)`` of dates or EDTF strings (``("1942", "1942")`` is all of 1942)."""
    if window is None:
        return None
    lo, hi = window
    if isinstance(lo, str):
        lo = span(lo).start if lo else OPEN_START
    if isinstance(hi, str):
        hi = span(hi).end if hi else OPEN_END
    return (lo or OPEN_START, hi or OPEN_END)


def event_days(edtf: str) -> tuple[int | None, int | None] | None:
    """``(t0, t1)`` day numbers of an EDTF date (``None`` ends for open ones); ``None`` if undated."""
    if not edtf or not edtf.strip():
        return None
    try:
        s = span(edtf)
    except EDTFError:
        return None
    return (
        None if s.start == OPEN_START else day_number(s.start),
        None if s.end == OPEN_END else day_number(s.end),
    )


def _overlaps(days: tuple[int | None, int | None], lo: int | None, hi: int | None) -> bool:
    a, b = days
    return (a is None or hi is None or a <= hi) and (b is None or lo is None or b >= lo)


class _Table:
    """Strings deduplicated into a list; rows hold indexes (keeps 100,000 events compact)."""

    def __init__(self) -> None:
        self.items: list[Any] = []
        self._index: dict[Any, int] = {}

    def __call__(self, value: Any) -> int:
        key = json.dumps(value) if isinstance(value, list) else value
        i = self._index.get(key)
        if i is None:
            i = self._index[key] = len(self.items)
            self.items.append(value)
        return i


def source_html(source: Source | None, source_id: str, sources: Mapping[str, Source]) -> str:
    """One escaped line naming a source, its reliability and the text quoting it."""
    if source is None:
        return escape(source_id)
    parts = [f"<i>{escape(source.title)}</i>"]
    if source.author:
        parts.append(escape(source.author))
    meta = ", ".join(escape(x) for x in (source.kind, source.publisher, source.date) if x)
    if meta:
        parts.append(f"({meta})")
    text = " ".join(parts)
    if source.quoted_in:
        outer = sources.get(source.quoted_in)
        text += f"; quoted in {escape(outer.title if outer else source.quoted_in)}"
    if source.reliability:
        text += f'<br><span class="itinera-note">{escape(source.reliability)}</span>'
    if source.text_file:
        text += f' <span class="itinera-note">[{escape(source.text_file)}]</span>'
    return text


def passage_html(text: str, start: int, end: int, names: Sequence[str] = ()) -> str:
    """The passage ``text[start:end]``, escaped, with the place's names marked where they occur."""
    from .highlight import find_names, mark

    return mark(text, find_names(text, names, start, end), start, end, escape)


def verified_texts(texts: Mapping[str, Any] | None) -> dict[str, str]:
    """source id -> text, from plain strings or ``corpus.SourceText`` (only verified ones: offsets into
    a text whose checksum differs would mark the wrong words)."""
    out: dict[str, str] = {}
    for sid, value in (texts or {}).items():
        if isinstance(value, str):
            out[sid] = value
        elif getattr(value, "verified", False) and getattr(value, "text", None) is not None:
            out[sid] = value.text
    return out


def _text_for(source_id: str, sources: Mapping[str, Source], texts: Mapping[str, str]) -> str | None:
    """A quoted report's offsets count in the text that quotes it, when it has none of its own."""
    if source_id in texts:
        return texts[source_id]
    src = sources.get(source_id)
    if src is not None and src.quoted_in and not src.text_file:
        return texts.get(src.quoted_in)
    return None


def _is_contested(event: Event) -> bool:
    return bool(event.contested_by) or event.kind == "claim"


def _layer_key(event: Event) -> str:
    if _is_contested(event):
        return "contested"
    return "bases" if event.kind in ("base", "stay") else "events"


# --- event rows ---------------------------------------------------------------------------------------


class _EventRows:
    """Rows for ``Itinera.eventLayer`` (see the column list in static/itinera.js)."""

    def __init__(self, sources: Mapping[str, Source], texts: Mapping[str, str]):
        self.sources, self.texts = sources, texts
        self.kinds, self.places, self.srcs = _Table(), _Table(), _Table()
        self.attrs, self.actors, self.certs = _Table(), _Table(), _Table()
        self._src_index: dict[str, int] = {}
        self._place_index: dict[str, int] = {}

    def row(self, e: Event, place: Any, days: tuple[int | None, int | None] | None) -> list[Any]:
        pi = self._place_index.get(place.id)
        if pi is None:
            pi = self._place_index[place.id] = self.places(
                [escape(place.name), escape(place.citation or ""), escape(place.note or "")]
            )
        si = self._src_index.get(e.source_id)
        if si is None:
            src = self.sources.get(e.source_id)
            si = self._src_index[e.source_id] = self.srcs(source_html(src, e.source_id, self.sources))
        passage = ""
        if e.passage_start is not None and e.passage_end is not None:
            text = _text_for(e.source_id, self.sources, self.texts)
            if text is not None and e.passage_end <= len(text):
                names = [place.name, *(a.name for a in getattr(place, "alternate_names", ()))]
                passage = passage_html(text, e.passage_start, e.passage_end, names)
        flags = (1 if e.implied else 0) | (2 if _is_contested(e) else 0)
        t0, t1 = days if days else (None, None)
        row = [
            round(float(place.lon), 3),  # ~100 m: finer than any place's uncertainty
            round(float(place.lat), 3),
            self.kinds(e.kind),
            t0,
            t1,
            pi,
            si,
            self.attrs(escape(e.attribution)),
            self.actors(escape(", ".join(e.actors))),
            self.certs(e.certainty),
            flags,
            escape(e.id),
            escape(e.summary),
            escape(e.edtf),
            escape(e.date_phrase),
            escape(e.contest_note),
            escape(", ".join(e.contested_by)),
            passage,
        ]
        while row[-1] == "":  # trailing empty texts cost 3 bytes a row; the page reads them as ""
            row.pop()
        return row

    def payload(self, rows: list[list[Any]]) -> dict[str, Any]:
        return {
            "rows": rows,
            "kinds": self.kinds.items,
            "places": self.places.items,
            "sources": self.srcs.items,
            "attributions": self.attrs.items,
            "actors": self.actors.items,
            "certainties": self.certs.items,
        }


# --- routes -------------------------------------------------------------------------------------------


def great_circle(
    lon1: float, lat1: float, lon2: float, lat2: float, step_km: float = 300.0, straight_below_km: float = 800
):
    """Points along the great circle between two places, longitudes unwrapped so a line never jumps
    across the map at the antimeridian. Hops under ``straight_below_km`` stay straight (on a Mercator
    map the difference is under a pixel or two at the zoom that shows them whole)."""
    d = distance_km(lat1, lon1, lat2, lon2)
    if d < straight_below_km:
        pts = [(lon1, lat1), (lon2, lat2)]
    else:
        n = min(48, max(2, int(d / step_km)))
        pts = great_circle_points(lon1, lat1, lon2, lat2, n - 1)
    out = [pts[0]]
    for lon, lat in pts[1:]:
        prev = out[-1][0]
        while lon - prev > 180:
            lon -= 360
        while lon - prev < -180:
            lon += 360
        out.append((lon, lat))
    return out


def _route_colour(actor: str) -> str:
    return ROUTE_COLOURS[zlib.crc32(actor.encode("utf-8")) % len(ROUTE_COLOURS)]


def route_payload(segments: Iterable[Any]) -> dict[str, Any]:
    """Data for ``Itinera.lineLayer``: rows ``[flat lon/lat path, t0, t1, actor, from, to, edtf,
    uncertain, reasons]`` with names in tables; the browser adds each arrow head and tooltip."""
    actors, places, reasons = _Table(), _Table(), _Table()
    colours: list[str] = []
    rows = []
    for seg in segments:
        ends = [seg.from_place, *([seg.via_place] if getattr(seg, "via_place", None) else []), seg.to_place]
        path: list[tuple[float, float]] = []
        for a, b in itertools.pairwise(ends):
            pts = great_circle(float(a.lon), float(a.lat), float(b.lon), float(b.lat))
            if path:
                shift = round((path[-1][0] - pts[0][0]) / 360) * 360
                pts = [(x + shift, y) for x, y in pts]
            path.extend(pts if not path else pts[1:])
        flat = [round(v, 2) for point in path for v in point]  # ~1 km: plenty for a line
        days = event_days(getattr(seg, "edtf", "") or "") or (None, None)
        ai = actors(escape(seg.actor))
        if ai == len(colours):
            colours.append(_route_colour(seg.actor))
        uncertain = bool(getattr(seg, "uncertain", False))
        why = "; ".join(escape(r) for r in getattr(seg, "reasons", ()) or ()) if uncertain else ""
        rows.append(
            [
                flat,
                days[0],
                days[1],
                ai,
                places(escape(seg.from_place.name)),
                places(escape(seg.to_place.name)),
                escape(getattr(seg, "edtf", "") or ""),
                1 if uncertain else 0,
                reasons(why),
            ]
        )
    return {
        "rows": rows,
        "actors": actors.items,
        "colours": colours,
        "places": places.items,
        "reasons": reasons.items,
    }


def _segments(events: Sequence[Event], places: Mapping[str, Any]) -> list[Any]:
    try:
        from .routes import build_routes
    except ImportError:  # the routes module lands with the events issue
        return []
    result = build_routes(events, places)
    if isinstance(result, Mapping):  # per actor
        return [seg for segs in result.values() for seg in segs]
    return list(result)


# --- mentions, uncertainty ----------------------------------------------------------------------------


def mention_rows(mentions: Iterable[Any]) -> list[list[Any]]:
    """``[lat, lon, tooltip]`` of every resolved mention (objects with ``.place`` or ``lat``/``lon``,
    or mappings as ``itinera parse --json`` prints them); unresolved ones are skipped."""
    rows = []
    for m in mentions:
        if isinstance(m, Mapping):
            lat, lon = m.get("lat"), m.get("lon")
            label, name = m.get("text") or m.get("name") or "", m.get("name") or ""
        else:
            place = getattr(m, "place", None)
            src = place if place is not None else m
            lat, lon = getattr(src, "lat", None), getattr(src, "lon", None)
            label = getattr(m, "text", "") or getattr(src, "name", "")
            name = getattr(m, "place_name", None) or getattr(src, "name", "") or ""
        if lat is None or lon is None:
            continue
        tip = escape(str(label)) + (f" &rarr; {escape(str(name))}" if name and name != label else "")
        rows.append([round(float(lat), 4), round(float(lon), 4), tip])
    return rows


class MentionCluster(FastMarkerCluster, RawRender):
    """folium's FastMarkerCluster adds itself to the map even with ``show=False``; this one leaves
    that to ``Layer.render``, so the layer can start unticked."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
            var {{ this.get_name() }} = (function(){
                {{ this.callback }}
                var data = {{ this.data|tojson }};
                var cluster = L.markerClusterGroup({{ this.options|tojavascript }});
                for (var i = 0; i < data.length; i++) {
                    cluster.addLayer(callback(data[i]));
                }
                return cluster;
            })();
        {% endmacro %}"""
    )


class ClusterAssets(JSCSSMixin, MacroElement):
    """Leaflet.markercluster's script and styles alone, for a map whose mention cluster comes later.

    The dashboard's base map is drawn once and its layers are swapped in afterwards; a cluster swapped
    in needs ``L.markerClusterGroup`` already on the page ("L.markerClusterGroup is not a function")."""

    default_js = FastMarkerCluster.default_js
    default_css = FastMarkerCluster.default_css

    def __init__(self) -> None:
        super().__init__()
        self._name = "ClusterAssets"


MENTION_CALLBACK = """
function (row) {
    var m = L.circleMarker(new L.LatLng(row[0], row[1]), {radius: 4, color: "#444", weight: 1,
        fillColor: "#ffffff", fillOpacity: 0.9, className: "itinera-mention"});
    m.bindTooltip(row[2]);
    return m;
}
"""


def uncertainty_collection(
    place_days: Mapping[str, list[tuple[int | None, int | None]]], places: Mapping[str, Any]
) -> dict[str, Any]:
    """Each place's polygon (simplified) or a circle of its radius, spanning its events' days."""
    from shapely.geometry import mapping, shape

    features = []
    for pid, spans in place_days.items():
        place = places[pid]
        lows = [a for a, _ in spans]
        highs = [b for _, b in spans]
        t0 = None if any(a is None for a in lows) else min(lows)  # type: ignore[type-var]
        t1 = None if any(b is None for b in highs) else max(highs)  # type: ignore[type-var]
        tip = f"{escape(place.name)}: within ~{place.uncertainty_km:g} km"
        if place.note:
            tip += f"<br>{escape(place.note)}"
        geom = place.geometry
        props: dict[str, Any] = {"t0": t0, "t1": t1, "tooltip": tip}
        if geom and geom.get("type") in ("Polygon", "MultiPolygon"):
            g = shape(geom)
            w, s, e, n = g.bounds
            g = g.simplify(tolerance_for((w, s, e, n)) / 2, preserve_topology=True)
            geometry = json.loads(json.dumps(mapping(g)), parse_float=lambda x: round(float(x), 3))
        else:
            geometry = {"type": "Point", "coordinates": [round(place.lon, 4), round(place.lat, 4)]}
            props["radius_m"] = float(place.uncertainty_km) * 1000.0
        features.append({"type": "Feature", "geometry": geometry, "properties": props})
    return {"type": "FeatureCollection", "features": features}


# --- legend -------------------------------------------------------------------------------------------


def _swatch(css: str, label: str, cls: str = "sw") -> str:
    return f'<div><span class="{cls}" style="{css}"></span>{label}</div>'


def legend_html(
    kinds: Iterable[str],
    with_routes: bool,
    with_uncertainty: bool,
    route_colours: Mapping[str, str] | None = None,
    polities: Mapping[str, str] | None = None,
    most: int = 10,
) -> str:
    """The legend: point kinds (names from ``EVENT_KINDS``), contested and implied marks, each actor's
    route colour, the polities' fills. Actor and polity names are escaped; ``most`` of each are listed."""
    rows = ["<details open><summary><b>Legend</b></summary>"]
    for kind in kinds:
        stroke, fill = KIND_COLOURS.get(kind, KIND_COLOURS["context"])
        rows.append(_swatch(f"border-color:{stroke};background:{fill}", escape(kind)))
    rows.append(_swatch("border-color:#c51b7d;border-style:dashed;background:#fff", "contested claim"))
    rows.append(_swatch("border-color:#999;opacity:.6", "place or date implied"))
    if with_routes:
        colours = dict(route_colours or {})
        who = [
            _swatch(f"border-color:{c}", f"{escape(a)} &rarr;", "ln") for a, c in list(colours.items())[:most]
        ]
        if len(colours) > most:
            who.append(f"<div>… {len(colours) - most} more</div>")
        if who:  # folded: the legend stays small over the map; a click shows whose route is which colour
            rows.append(
                f"<details><summary>routes &rarr; by actor ({len(colours)})</summary>{''.join(who)}</details>"
            )
        else:
            rows.append(_swatch("border-color:#377eb8", "route &rarr; (colour per actor)", "ln"))
        rows.append(_swatch("border-color:#777;border-top-style:dashed", "uncertain route", "ln"))
    fills = [
        _swatch(f"border-color:{c};border-style:dashed;background:{c}33", escape(name))
        for name, c in list((polities or {}).items())[:most]
    ]
    if fills:
        rows.append(f"<details><summary>polities ({len(polities or {})})</summary>{''.join(fills)}</details>")
    if with_uncertainty:
        rows.append(_swatch("border-color:#555;background:#ddd", "uncertainty"))
    return "".join(rows) + "</details>"


# --- the builder --------------------------------------------------------------------------------------


def _bbox_of(points: Sequence[tuple[float, float]]) -> tuple[float, float, float, float]:
    """The detailed basemap's box: the core of the events, padded (East Asia when there are none)."""
    if not points:
        return EAST_ASIA
    xs = [p[0] for p in points]
    ys = [p[1] for p in points]
    w, e, s, n = min(xs), max(xs), min(ys), max(ys)
    pad = max(8.0, 0.3 * max(e - w, n - s))
    return (max(-180.0, w - pad), max(-85.0, s - pad), min(180.0, e + pad), min(85.0, n + pad))


def build_map(
    events: Iterable[Event],
    places: Mapping[str, Any] | Iterable[Any],
    *,
    window: tuple[date | str | None, date | str | None] | None = None,
    layers: Iterable[str] = DEFAULT_LAYERS,
    hidden_layers: Iterable[str] = (),
    sources: Mapping[str, Source] | Iterable[Source] | None = None,
    texts: Mapping[str, Any] | None = None,
    mentions: Iterable[Any] | None = None,
    tiles: str | None = None,
    time_control: bool = False,
    asset_mode: Mode = "data",
    height: str | int = "100%",
    open_event: str | None = None,
    overlays_into: folium.FeatureGroup | None = None,
) -> folium.Map:
    """A folium map of ``events`` at their ``places`` (a mapping id -> Place, or Places).

    ``window`` keeps events whose EDTF span overlaps it (undated ones go to their own layer);
    ``layers`` (keys of ``LAYER_KEYS``) are drawn and shown, ``hidden_layers`` drawn but off at
    first; ``texts`` maps source id -> verified text, for the passages in popups; ``tiles="osm"``
    adds OpenStreetMap (online only) as the first base layer; ``time_control`` adds the month
    slider of the standalone page; ``open_event`` (an event id) opens that event's popup once drawn.
    The offline basemap is always there (no request leaves the machine unless ``tiles`` is set).
    ``overlays_into`` composes: the overlay layers (events, routes, polities, mentions, uncertainty)
    go into that group instead of the map, which then holds only its base (basemap, legend, view);
    the dashboard swaps the group in and out while the base stays. ``m.itinera`` is a ``MapSummary``.
    """
    places_by_id = _as_mapping(places)
    sources_by_id = _as_mapping(sources)
    texts = verified_texts(texts)
    shown_layers = set(layers)
    drawn = shown_layers | set(hidden_layers)
    unknown = drawn - set(LAYER_KEYS)
    if unknown:
        raise ValueError(f"unknown layers: {sorted(unknown)} (choose from {', '.join(LAYER_KEYS)})")
    win = _window_dates(window)
    lo = None if win is None or win[0] == OPEN_START else day_number(win[0])
    hi = None if win is None or win[1] == OPEN_END else day_number(win[1])

    summary = MapSummary()
    rows_by_layer: dict[str, list[list[Any]]] = {k: [] for k in ("bases", "events", "contested", "undated")}
    builder = _EventRows(sources_by_id, texts)
    kept: list[Event] = []
    place_days: dict[str, list[tuple[int | None, int | None]]] = {}
    points: list[tuple[float, float]] = []
    kinds_seen: dict[str, None] = {}
    for e in events:
        days = event_days(e.edtf)
        if days is not None and win is not None and not _overlaps(days, lo, hi):
            continue
        place = places_by_id.get(e.place_id)
        if place is None:
            summary.missing_place.append(e.id)
            continue
        kept.append(e)
        if days is None:
            summary.undated.append(e.id)
            key = "undated"
        else:
            key = _layer_key(e)
        if key not in drawn:
            continue
        rows_by_layer[key].append(builder.row(e, place, days))
        kinds_seen[e.kind] = None
        points.append((float(place.lon), float(place.lat)))
        place_days.setdefault(place.id, []).append(days or (None, None))

    n_points = sum(len(r) for r in rows_by_layer.values())
    bbox = _bbox_of(_core_bounds(points) if points else [])
    w, s, e_, n = bbox
    m = folium.Map(
        location=[(s + n) / 2, (w + e_) / 2],
        zoom_start=4,
        tiles=None,
        control_scale=True,
        prefer_canvas=n_points > CANVAS_ABOVE,
        height=height,
    )
    m.options["maxZoom"] = 18 if tiles else MAX_ZOOM_OFFLINE
    m.options["minZoom"] = 2

    if tiles == "osm":
        folium.TileLayer(OSM_URL, attr=OSM_ATTR, name="OpenStreetMap (online)", max_zoom=18).add_to(m)
    elif tiles:
        raise ValueError(f"unknown tiles {tiles!r} (None for the offline basemap, or 'osm')")
    BaseMapLayer(physical_layers(_snap(bbox)), show=not tiles).add_to(m)

    target = m if overlays_into is None else overlays_into
    time_layers: list[Any] = []
    event_layers: list[Any] = []  # what the time control counts: events, not routes or polities
    if "polities" in drawn:
        poly = polity_layer(places_by_id, _snap(bbox), win[0] if win else None, win[1] if win else None)
        if poly["features"]:
            layer = JsLayer(
                "Itinera.areaLayer",
                poly,
                name=LAYER_NAMES["polities"],
                show="polities" in shown_layers,
            ).add_to(target)
            time_layers.append(layer)
            summary.shown["polities"] = len(poly["features"])

    if "uncertainty" in drawn and place_days:
        unc = uncertainty_collection(place_days, places_by_id)
        style = {"color": "#555", "weight": 1, "fillColor": "#888", "fillOpacity": 0.12, "dashArray": "2 4"}
        layer = JsLayer(
            "Itinera.areaLayer",
            unc,
            name=LAYER_NAMES["uncertainty"],
            options={"style": style},
            show="uncertainty" in shown_layers,
        ).add_to(target)
        time_layers.append(layer)
        summary.shown["uncertainty"] = len(unc["features"])

    if "routes" in drawn:
        segs = [seg for seg in _segments(kept, places_by_id) if _segment_in(seg, lo, hi)]
        if segs:
            layer = JsLayer(
                "Itinera.lineLayer",
                route_payload(segs),
                name=LAYER_NAMES["routes"],
                options={"className": "itinera-route"},
                show="routes" in shown_layers,
            ).add_to(target)
            time_layers.append(layer)
            summary.shown["routes"] = len(segs)

    if "mentions" in drawn and mentions is not None:
        rows = mention_rows(mentions)
        if not rows:
            ClusterAssets().add_to(m)
        else:
            MentionCluster(
                rows,
                callback=MENTION_CALLBACK,
                name=LAYER_NAMES["mentions"],
                show="mentions" in shown_layers,
                options={"maxClusterRadius": 40},
            ).add_to(target)
            summary.shown["mentions"] = len(rows)

    for key in ("bases", "events", "contested", "undated"):
        rows = rows_by_layer[key]
        if not rows:
            continue
        layer = JsLayer(
            "Itinera.eventLayer",
            builder.payload(rows),
            name=f"{LAYER_NAMES[key]} ({len(rows)})",
            options={"open": open_event} if open_event else None,
            show=key in shown_layers,
        ).add_to(target)
        if key != "undated":
            time_layers.append(layer)
            event_layers.append(layer)
        summary.shown[key] = len(rows)

    route_colours = {seg.actor: _route_colour(seg.actor) for seg in segs} if "routes" in summary.shown else {}
    polity_fills = (
        {
            places_by_id[f["properties"]["id"]].name: f["properties"]["style"]["color"]
            for f in poly["features"]
        }
        if "polities" in summary.shown
        else {}
    )
    Legend(
        legend_html(
            kinds_seen, "routes" in summary.shown, "uncertainty" in summary.shown, route_colours, polity_fills
        )
    ).add_to(m)
    if overlays_into is None:  # with the overlays elsewhere, the control would list none of them
        folium.LayerControl(collapsed=False, position="topleft").add_to(m)

    undated_ids = set(summary.undated)
    dated = [e for e in kept if e.id not in undated_ids]
    summary.time_range = corpus_range(dated)
    if time_control and summary.time_range is not None:
        start, end = summary.time_range
        if win is not None:
            start, end = max(start, win[0]), min(end, win[1])
        undated_labels = [
            f"{escape(e.summary or e.id)} ({escape(places_by_id[e.place_id].name)})"
            for e in kept
            if e.id in undated_ids
        ]
        TimeControl(time_layers, start, end, undated_labels, counted=event_layers).add_to(m)

    if points:
        (w, s), (e_, n) = _core_bounds(points)
        m.fit_bounds([[s, w], [n, e_]], padding=(20, 20), max_zoom=7)
    m.itinera = summary  # type: ignore[attr-defined]
    return localize(m, asset_mode)


def _core_bounds(points: Sequence[tuple[float, float]]) -> tuple[tuple[float, float], tuple[float, float]]:
    """Where most events are: the 10th-90th percentiles once there are 20 points, so a claim about
    Berlin or Pearl Harbor does not zoom a Manchurian story out to the whole world."""
    xs = sorted(p[0] for p in points)
    ys = sorted(p[1] for p in points)
    if len(points) < 20:
        return (xs[0], ys[0]), (xs[-1], ys[-1])
    lo, hi = len(points) // 10, len(points) - 1 - len(points) // 10
    return (xs[lo], ys[lo]), (xs[hi], ys[hi])


def _snap(bbox: tuple[float, float, float, float]) -> tuple[float, float, float, float]:
    from .basemap import snap_bbox

    return snap_bbox(bbox)


def _segment_in(seg: Any, lo: int | None, hi: int | None) -> bool:
    days = event_days(getattr(seg, "edtf", "") or "")
    return days is None or _overlaps(days, lo, hi)
