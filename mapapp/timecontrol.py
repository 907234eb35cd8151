"""The standalone page's time control: a month slider (from, to) and a play button that show an event
iff its EDTF span overlaps the window.

Spans are computed in Python (``mapapp.timespan``) and travel as ``t0``/``t1`` day numbers in each
feature's properties, so the JavaScript (``static/itinera.js``: ``Itinera.TimeControl``) compares
integers only: an event of ``1942-22`` (June-August 1942) shows in any window touching those months.
Undated events cannot be placed on a slider: the control lists them in an "undated: N" box.
folium's TimestampedGeoJson is not used: it treats times as instants and loads four more CDN scripts.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date

from folium.elements import JSCSSMixin
from folium.template import Template

from .assets import RawRender, asset_url, script_json
from .basemap import day_number
from .timespan import month_end, month_steps


def month_table(start: date, end: date) -> list[list[object]]:
    """``[[label, first day, last day], ...]`` for every month from ``start`` to ``end``."""
    return [[m.strftime("%Y-%m"), day_number(m), day_number(month_end(m))] for m in month_steps(start, end)]


class TimeControl(JSCSSMixin, RawRender):
    """Filters the given layers (their sublayers' ``feature.properties.t0/t1``) by a month window.

    After load, ``window.itineraTime`` is the control: ``setWindow(i, j)`` (month indexes) returns the
    number of events shown, which the browser tests and the benchmark use.
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
            var {{ this.get_name() }} = new Itinera.TimeControl({
                months: {{ this.months_json }},
                layers: [{% for name in this.layer_names %}{{ name }}{{ "," if not loop.last }}{% endfor %}],
                counted: [{% for name in this.counted_names %}{{ name }},{% endfor %}],
                undated: {{ this.undated_json }},
                from: {{ this.start_index }},
                to: {{ this.end_index }}
            }).addTo({{ this._parent.get_name() }});
            window.itineraTime = {{ this.get_name() }};
        {% endmacro %}
        """
    )

    def __init__(
        self,
        layers: Sequence[object],
        start: date,
        end: date,
        undated: Iterable[str] = (),
        window: tuple[date, date] | None = None,
        counted: Sequence[object] | None = None,
    ):
        """``layers`` are folium elements whose JS layer is an ``L.GeoJSON`` with ``t0``/``t1``;
        ``counted`` are those of them whose features are events (the count says "N events", as the
        dashboard does, not routes and polities too); ``undated`` are already HTML-escaped labels."""
        super().__init__()
        self._name = "TimeControl"
        self.layer_names = [layer.get_name() for layer in layers]  # type: ignore[attr-defined]
        self.counted_names = [layer.get_name() for layer in (layers if counted is None else counted)]  # type: ignore[attr-defined]
        months = month_table(start, end)
        self.months_json = script_json(months)
        self.undated_json = script_json(list(undated))
        self.start_index, self.end_index = 0, len(months) - 1
        if window is not None:
            labels = [m[0] for m in months]
            a, b = window[0].strftime("%Y-%m"), window[1].strftime("%Y-%m")
            self.start_index = labels.index(a) if a in labels else 0
            self.end_index = labels.index(b) if b in labels else len(months) - 1
        self.default_js = [("itinera_js", asset_url("itinera_js"))]
        self.default_css = [("itinera_css", asset_url("itinera_css"))]
