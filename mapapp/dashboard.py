"""The dashboard's logic, apart from its widgets, gathered under one name for ``app.py``.

Each job has its module: ``index`` (events indexed, filters, the time window), ``tables`` (the events
table, timeline, comparison of sources), ``passages`` (an event read in full), ``uploads`` (what the
reader brings), ``workspace`` (corpus, places, the reader's saved work), ``mapview`` (the map's steady
base and changing layers), ``review`` (automatic events accepted, rejected, edited).
"""

from __future__ import annotations

from .index import (  # noqa: F401
    MONTH_FORMAT,
    EventIndex,
    Filters,
    apply_filters,
    default_window,
    facet_values,
    filter_mask,
    fit_window,
    month_options,
    span_label,
    step_window,
    undated_events,
    widest_range,
    window_from_months,
)
from .mapview import (  # noqa: F401
    DEFAULT_MAP_LAYERS,
    MAP_LAYERS,
    MAP_LIMIT,
    base_key,
    base_map,
    base_sample,
    build_layers,
    events_near,
    fit_view,
    home_view,
    map_events,
    overlay_group,
)
from .passages import (  # noqa: F401
    EventDetail,
    event_detail,
    known_texts,
    name_pattern,
    passage_html,
    text_for,
)
from .tables import (  # noqa: F401
    TABLE_COLUMNS,
    TIMELINE_MAX_ROWS,
    compare_sources,
    disagreements,
    events_frame,
    kind_colours,
    md_escape,
    place_label,
    places_summary,
    problems_frame,
    source_label,
    source_short,
    span_start,
    table_view,
    timeline_chart,
    timeline_counts,
    timeline_frame,
    undated_view,
    window_caption,
)
from .uploads import (  # noqa: F401
    MAX_DATA_BYTES,
    MAX_TEXT_BYTES,
    UPLOAD_KEYS,
    UPLOAD_LIMIT_MB,
    UploadError,
    add_mention_key,
    decode_upload,
    forget_upload,
    geoparse,
    map_mentions,
    mentions_frame,
    parse_json_upload,
    places_from_upload,
    take_events_upload,
    take_places_upload,
    take_text_upload,
    with_mention_fixes,
)
from .workspace import (  # noqa: F401
    PlaceLookup,
    Workspace,
    load_workspace,
    place_choices,
    places_for,
)
