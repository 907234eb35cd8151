"""The Streamlit dashboard: widgets and layout only; the logic lives in ``mapapp.dashboard``.

Every section is guarded: an exception becomes a message in the page, never a traceback.
"""

from __future__ import annotations

import copy
import hashlib
import os
import time
from contextlib import contextmanager

import streamlit as st

from mapapp import dashboard as db
from mapapp import export
from mapapp import review as rv
from mapapp.build import build_map
from mapapp.corrections import CorrectionsError, CorrectionStore, parse_corrections
from mapapp.models import CERTAINTIES, EVENT_KINDS

st.set_page_config(page_title="Itinera", layout="wide", page_icon="🗺️")
PLAY_SECONDS = 1.5  # one month of the window per tick of the play button


@contextmanager
def guarded(what: str):
    """Show a failure of one section as a message; the rest of the page still works."""
    try:
        yield
    except Exception as exc:  # the page shows a message, never a traceback
        st.error(f"{what} could not be shown: {db.md_escape(str(exc))}")


# --- loading (cached: once per process, or once per change) ------------------------------------------


@st.cache_resource(show_spinner="Loading the gazetteer…")
def gazetteer():
    from gazetteer.geocoder import Gazetteer

    return Gazetteer(online=False)


@st.cache_resource(show_spinner="Loading the events…")
def workspace(events_path: str | None, texts_dir: str | None, batch_dir: str | None) -> db.Workspace:
    """Cached by every input it reads, so a process that opened the app on other data never sees it."""
    ws = db.load_workspace(events_path, texts_dir, gazetteer=gazetteer())
    if batch_dir:  # itinera app --batch DIR
        from mapapp.batchdir import with_batch

        ws = with_batch(ws, batch_dir)
    return ws


@st.cache_resource
def corrections_store(path: str) -> CorrectionStore:
    return CorrectionStore(path)


@st.cache_resource
def review_store(path: str) -> rv.ReviewStore:
    return rv.ReviewStore(path)


@st.cache_resource(max_entries=8)
def event_index(
    _ws: db.Workspace, _user_events: list, ws_key: str, fixes_key: str, user_key: str
) -> db.EventIndex:
    """The corpus and the reader's uploaded events, corrections applied (keyed by what they hang on)."""
    return db.EventIndex.build(corrections_store(fixes_path()).apply(_ws.events + _user_events))


@st.cache_resource(show_spinner="Finding the places the texts name…")
def corpus_mentions(key: str, _ws: db.Workspace) -> list[dict]:
    rows: list[dict] = list(getattr(_ws, "batch_mentions", ()))  # a batch folder's, parsed already
    seen: set[str] = set()
    for found in _ws.texts.values():
        if found.source_id in getattr(_ws, "batch_sources", ()):
            continue
        if found.verified and found.text_file not in seen:
            seen.add(found.text_file)
            rows += db.map_mentions(db.geoparse(found.text_file, found.text, gazetteer())["mentions"])
    return rows


@st.cache_resource(max_entries=4, show_spinner="Drawing the base map (once per extent)…")
def base_map(_index: db.EventIndex, _places, _sources, key: str, tiles: str | None):
    return db.base_map(_index.events, _places, _sources, tiles=tiles)


@st.cache_resource(max_entries=8)
def base_key(_index: db.EventIndex, _places, key: str) -> str:
    return db.base_key(_index.events, _places)


@st.cache_resource(max_entries=8)
def review_months(_review: rv.ReviewStore | None, key: str) -> tuple[str, str] | None:
    """The months of every event found in the reader's texts, pending ones too: the slider reaches them."""
    if _review is None:
        return None
    return rv.months_of(item.event for item in _review.items.values())


@st.cache_resource(max_entries=8)
def facets_of(_index: db.EventIndex, key: str) -> dict[str, list[str]]:
    return db.facet_values(_index)


@st.cache_resource(max_entries=4)
def home(_index: db.EventIndex, _places, key: str):
    return db.home_view(_index.events, _places)


@st.cache_resource(max_entries=8)
def events_frame(_index: db.EventIndex, _places, _sources, key: str):
    return db.events_frame(_index, _places, _sources)


def fixes_path() -> str:
    from mapapp.corrections import default_path

    return str(default_path())


def work_path() -> str:
    return str(rv.default_folder())


ws_key = "|".join(os.environ.get(k, "") for k in ("ITINERA_EVENTS", "ITINERA_TEXTS", "ITINERA_BATCH"))

st.title("Itinera")
st.caption(
    "Who was where, when, and on whose word: the places, bases and routes the texts describe. "
    "Narrow the **time window** and the filters on the left; the map, the timeline and the table follow. "
    "Click a point or a row to read the event and the passage that supports it."
)

ws = None
with guarded("The events"):
    ws = workspace(
        os.environ.get("ITINERA_EVENTS") or None,
        os.environ.get("ITINERA_TEXTS") or None,
        os.environ.get("ITINERA_BATCH") or None,
    )
    if ws.problems:
        with st.expander(f"{len(ws.problems)} problem(s) in {ws.events_label}", expanded=False):
            st.write("\n".join(f"- {p}" for p in ws.problems[:200]))

if ws is None:
    st.stop()

store = None
with guarded("Your corrections"):
    store = corrections_store(fixes_path())
    for problem in store.problems:
        st.warning(db.md_escape(problem))

review = None
with guarded("Your saved work"):
    review = review_store(work_path())
    for problem in review.problems:
        st.warning(db.md_escape(problem))

# Uploads are taken before anything is drawn, so the map and table of this very run include them.
with guarded("Your material"):
    ss = st.session_state
    if ss.get("places_upload") is not None:
        db.take_places_upload(ss, ss.places_upload.name, ss.places_upload.getvalue())
    else:
        db.forget_upload(ss, "places")
    places = ws.places.with_extra(ss.get("user_places", []))
    if ss.get("events_upload") is not None:
        db.take_events_upload(ss, ss.events_upload.name, ss.events_upload.getvalue(), places, ws)
    else:
        db.forget_upload(ss, "events")
    about = {
        "review": review,
        "narrator": (ss.get("text_narrator") or "").strip(),
        "document_date": (ss.get("text_date") or "").strip(),
    }
    if ss.get("text_upload") is not None:
        db.take_text_upload(
            ss, ss.text_upload.name, ss.text_upload.getvalue(), ws.sources, gazetteer(), **about
        )
    elif (ss.get("pasted_text") or "").strip():
        db.take_text_upload(
            ss, "pasted text", ss.pasted_text.encode("utf-8"), ws.sources, gazetteer(), **about
        )
    else:
        db.forget_upload(ss, "text")

index = None
with guarded("The events"):
    places = ws.places.with_extra(st.session_state.get("user_places", []))
    fixes_key = hashlib.sha1(store.to_json_bytes()).hexdigest() if store is not None else ""
    mention_fixes = store.for_target("mention") if store is not None else {}
    user_key = (
        f"{st.session_state.get('user_events_key', '')}|{st.session_state.get('upload_places_key', '')}"
        f"|{review.revision if review is not None else ''}"
    )
    reviewed = review.accepted(mention_fixes) if review is not None else []
    index = event_index(ws, st.session_state.get("user_events", []) + reviewed, ws_key, fixes_key, user_key)
    data_key = f"{ws_key}|{fixes_key}|{user_key}"  # what the index, the table and the base map hang on
    facets = facets_of(index, data_key)
    # the reader's own texts are sources too, their texts known by checksum (saved ones after a restart)
    all_sources = {**ws.sources, **(review.sources if review is not None else {})}
    all_texts = {**(review.texts() if review is not None else {}), **st.session_state.get("user_texts", {})}
    date_range = db.widest_range(index.date_range(), review_months(review, user_key))
if index is None:
    st.stop()

# --- the sidebar: one time window and the filters ------------------------------------------------------

with st.sidebar:
    st.header("Time window")
    if date_range is None:
        st.info("No dated events to place in time. Upload an events file under **Your material**.")
        months = ["0001-01"]
    else:
        months = db.month_options(*date_range)
    # The slider is keyed by a generation number: the step and play buttons set the window and start a
    # new generation, so the widget takes its value from ``value`` and no widget state is overwritten.
    if any(m not in months for m in st.session_state.get("window", ())):
        st.session_state.window = db.default_window(months)  # another events file: its own months
    st.session_state.setdefault("window", db.default_window(months))
    st.session_state.setdefault("window_gen", 0)
    fit = st.session_state.pop("fit_months", None)
    if fit:  # a text just read: the window follows its events (the map's view too, below)
        st.session_state.window = db.fit_window(months, fit)
        st.session_state.window_gen += 1

    def step(n: int) -> None:
        st.session_state.window = db.step_window(months, st.session_state.window, n)
        st.session_state.window_gen += 1

    st.session_state.window = st.select_slider(
        "Months shown",
        options=months,
        value=st.session_state.window,
        key=f"window-{st.session_state.window_gen}",
        help="Events whose dates overlap this window are shown. An event dated only by season or "
        "year counts in every month it may cover.",
    )
    c0, c1, c2, c4 = st.columns(4)  # four steps on one row, Play below: the sidebar is narrow
    c0.button("◀◀", on_click=step, args=(-12,), help="Move the window one year earlier", key="back_year")
    c1.button("◀", on_click=step, args=(-1,), help="Move the window one month earlier", key="back")
    c2.button("▶", on_click=step, args=(1,), help="Move the window one month later", key="forward")
    c4.button("▶▶", on_click=step, args=(12,), help="Move the window one year later", key="forward_year")
    playing = st.toggle("Play", key="playing", help="Step through time a month at a time")

    st.header("Filters")
    st.caption("Leave a filter empty to keep everything.")
    for key, options in (
        ("actors", facets["actors"]),
        ("sources", facets["sources"]),
        ("attributions", facets["attributions"]),
        ("kinds", facets["kinds"]),
        ("certainties", facets["certainties"]),
    ):  # a choice that an upload brought and took away again is dropped, not an error
        if key in st.session_state:
            st.session_state[key] = [v for v in st.session_state[key] if v in options]
    actors = st.multiselect("Actors", facets["actors"], key="actors", placeholder="all actors")
    sources_chosen = st.multiselect(
        "Sources",
        facets["sources"],
        key="sources",
        format_func=lambda s: db.source_label(s, all_sources),
        placeholder="all sources",
        help="The text that reports the event (a police report quoted in the memoir is its own source).",
    )
    attributions = st.multiselect(
        "Attribution",
        facets["attributions"],
        key="attributions",
        placeholder="anyone",
        help="Who asserts it: the narrator, the article, a quoted report…",
    )
    kinds = st.multiselect("Event kind", facets["kinds"], key="kinds", placeholder="all kinds")
    certainties = st.multiselect(
        "Certainty", facets["certainties"], key="certainties", placeholder="any certainty"
    )
    show_contested = st.toggle(
        "Show contested claims",
        value=True,
        key="show_contested",
        help="Claims another source (or the narrator) contradicts; drawn in their own style.",
    )
    st.header("Map layers")
    layer_help = {
        "bases": "Bases, camps and stays.",
        "events": "Meetings, moves, exercises, claims and the rest.",
        "routes": "Each actor's movements, in time order, as arrows; dashed where an end is uncertain.",
        "mentions": "Every place the texts you gave name, whether or not an event happened there.",
        "uncertainty": "How far each place may be from its point: its outline or a circle of its radius.",
        "polities": "Manchukuo, Korea under Japanese rule, the Soviet Union… as they were in the window.",
    }
    chosen_layers = [
        key
        for key, label in db.MAP_LAYERS.items()
        if st.checkbox(label, value=key in db.DEFAULT_MAP_LAYERS, key=f"layer_{key}", help=layer_help[key])
    ]
    online_tiles = st.toggle(
        "OpenStreetMap tiles (online)",
        value=False,
        key="osm_tiles",
        help="Today's streets and borders from openstreetmap.org, under the period map. Needs the "
        "internet; off by default, so the map works offline.",
    )

window = db.window_from_months(*st.session_state.window)
filters = db.Filters(
    start=window[0],
    end=window[1],
    actors=frozenset(actors) or None,
    sources=frozenset(sources_chosen) or None,
    attributions=frozenset(attributions) or None,
    kinds=frozenset(kinds) or None,
    certainties=frozenset(certainties) or None,
    show_contested=show_contested,
)
mask = db.filter_mask(index, filters)
shown = [index.events[i] for i in mask.nonzero()[0]]
n_undated = int((~index.dated).sum())

if playing:
    # The fragment's timer steps the window; a full run (the one the step itself causes) only re-arms
    # it, so the window moves one month per tick, not once per run.
    st.session_state.setdefault("_play_next", time.monotonic() + PLAY_SECONDS)

    @st.fragment(run_every=PLAY_SECONDS / 3)
    def _play() -> None:
        if time.monotonic() >= st.session_state._play_next:
            st.session_state._play_next = time.monotonic() + PLAY_SECONDS
            step(1)
            st.rerun()

    _play()
else:
    st.session_state.pop("_play_next", None)

st.markdown(f"**{db.window_caption(window, len(shown), len(index), n_undated)}**")
if not shown:
    st.info("No event matches this window and these filters. Widen the time window or clear a filter.")

# --- map and the event read in full ---------------------------------------------------------------------

map_col, detail_col = st.columns([2, 1], gap="medium")


def mentions_on_map() -> list[dict]:
    """The corpus texts' mentions and those of the reader's text, corrections applied."""
    rows = list(corpus_mentions(ws_key, ws))
    parsed = st.session_state.get("user_parse")
    if parsed:
        rows += db.map_mentions(
            db.with_mention_fixes(parsed["mentions"], mention_fixes, places, parsed.get("text_id", ""))
        )
    return rows


with map_col, guarded("The map"):
    from streamlit_folium import st_folium

    steady = f"{ws_key}|{base_key(index, places, data_key)}"  # not every change of the events redraws it
    m = copy.deepcopy(base_map(index, places, all_sources, steady, "osm" if online_tiles else None))
    on_map = db.map_events(index, mask) if len(shown) > db.MAP_LIMIT else shown
    if len(on_map) < len(shown):
        st.warning(
            f"{len(shown):,} events in this window: the map draws the earliest {len(on_map):,}. "
            "Narrow the window or filter to see the rest; the downloads hold them all."
        )
    group = db.overlay_group()
    overlay = build_map(
        on_map,
        db.places_for(on_map, places),
        window=window,
        layers=db.build_layers(chosen_layers, show_contested),
        sources=all_sources,
        texts=db.known_texts(all_sources, ws.texts, all_texts),
        mentions=mentions_on_map() if "mentions" in chosen_layers else None,
        open_event=st.session_state.get("event_id"),  # the event read in the side panel
        overlays_into=group,
    )
    missing = overlay.itinera.missing_place
    fit_events = st.session_state.pop("fit_events", None)
    if fit_events:
        st.session_state.map_view = db.fit_view(fit_events, places)
    view = st.session_state.get("map_view") or home(index, places, data_key)
    out = st_folium(
        m,
        center=view[0] if view else None,
        zoom=view[1] if view else None,
        key="map",
        feature_group_to_add=group,
        returned_objects=["last_object_clicked"],
        height=560,
        use_container_width=True,
    )
    clicked = (out or {}).get("last_object_clicked")
    if clicked and clicked != st.session_state.get("_last_click"):
        st.session_state._last_click = clicked
        near = db.events_near(clicked["lat"], clicked["lng"], shown, places)
        if near:
            st.session_state.event_id = near[0].id
            st.session_state.here_ids = [e.id for e in near]
    if missing:
        st.caption(
            f"{len(missing)} event(s) not drawn, their place unknown: {db.md_escape(', '.join(missing[:5]))}."
        )

with detail_col, guarded("The event"):
    st.subheader("Read an event")
    options = [e.id for e in shown]
    if st.session_state.get("event_id") not in options:
        st.session_state.event_id = None
    st.selectbox(
        "Event",
        options,
        key="event_id",
        format_func=lambda i: f"{index.event(i).edtf or 'undated'} · {index.event(i).summary or i}",
        index=None,
        placeholder="click a point, a row, or pick one here",
        label_visibility="collapsed",
    )
    here = [i for i in st.session_state.get("here_ids", []) if i in options]
    if len(here) > 1 and st.session_state.event_id in here:

        def _pick_here() -> None:
            st.session_state.event_id = st.session_state.here_pick

        st.session_state.here_pick = st.session_state.event_id
        st.radio(
            f"{len(here)} events at this point",
            here,
            key="here_pick",
            format_func=lambda i: f"{index.event(i).edtf or 'undated'} · {index.event(i).summary or i}",
            on_change=_pick_here,
        )
    chosen = index.event(st.session_state.event_id) if st.session_state.event_id else None
    if chosen is None:
        st.caption("Nothing chosen yet: click a point on the map or a row of the table.")
    else:
        detail = db.event_detail(
            chosen,
            index,
            all_sources,
            places,
            **db.text_for(chosen, all_sources, ws.texts, all_texts),
        )
        st.markdown(f"#### {db.md_escape(detail.title)}")
        st.markdown(f"**When:** {db.md_escape(detail.dates)}  \n**Where:** {db.md_escape(detail.place)}")
        st.markdown("**Who says so:** " + db.md_escape("; ".join(detail.says_so)))
        if detail.reliability:
            with st.expander("About this source"):
                st.caption(db.md_escape(detail.reliability))
        if detail.contradicted_by:
            st.warning(
                "**Contradicted by:** "
                + db.md_escape("; ".join(f"{s} ({i})" for i, s in detail.contradicted_by))
                + (f"  \n{db.md_escape(detail.contest_note)}" if detail.contest_note else "")
            )
        if detail.contradicts:
            st.info(
                "**Contradicts:** " + db.md_escape("; ".join(f"{s} ({i})" for i, s in detail.contradicts))
            )
        if detail.passage_html:
            st.html(detail.passage_html)
        elif detail.passage_problem:
            st.caption(f"Passage not shown: {db.md_escape(detail.passage_problem)}")

# --- tabs: table, timeline, sources, material, corrections, downloads --------------------------------------

tab_table, tab_time, tab_compare, tab_yours, tab_review, tab_fix, tab_dl = st.tabs(
    ["Events", "Timeline", "Compare sources", "Your material", "Review", "Corrections", "Download"]
)

with tab_table, guarded("The events table"):
    frame = events_frame(index, places, all_sources, data_key)
    view, total = db.table_view(frame, mask)
    st.session_state.table_ids = view["event_id"].tolist()

    def _row_picked() -> None:
        rows = st.session_state.get("table", {}).get("selection", {}).get("rows", [])
        ids = st.session_state.get("table_ids", [])
        if rows and rows[0] < len(ids):
            st.session_state.event_id = ids[rows[0]]

    st.dataframe(
        view,
        key="table",
        on_select=_row_picked,
        selection_mode="single-row",
        hide_index=True,
        width="stretch",
        column_config={
            "date": st.column_config.TextColumn("date (EDTF)", help="1942-21 = spring 1942; ~ = about"),
            "contested": st.column_config.CheckboxColumn("contested"),
        },
    )
    if total > len(view):
        st.caption(f"Showing the first {len(view):,} of {total:,} events; the downloads hold them all.")
    if n_undated:
        with st.expander(f"Undated events ({n_undated}): in no time window, so not on the map"):
            st.dataframe(db.undated_view(frame), hide_index=True, width="stretch")

with tab_time, guarded("The timeline"):
    if shown:
        if len(shown) > db.TIMELINE_MAX_ROWS:
            tl = db.timeline_counts(index, mask, window)
        else:
            tl = db.timeline_frame(index, mask, window)
        st.altair_chart(db.timeline_chart(tl, window), width="stretch")
        st.caption("Bars span the days an event may cover (a month, a season, a year); ◆ marks a known day.")
    else:
        st.info("Nothing to draw: no event in this window.")

with tab_compare, guarded("The comparison of sources"):
    st.caption(
        "The same years as each source tells them, then the claims one source makes and another denies."
    )
    st.dataframe(db.compare_sources(shown, all_sources, places), width="stretch")
    dis = db.disagreements(shown, index, all_sources, places)
    st.subheader("Disagreements")
    if len(dis):
        st.dataframe(dis.drop(columns=["event_id", "contradicting_id"]), hide_index=True, width="stretch")
    else:
        st.caption("No contested claim in this window.")

with tab_yours, guarded("Your material"):
    st.caption(
        "Bring your own: a text to geoparse, an events file to validate and show, or places to add to "
        "the gazetteer. Nothing leaves this machine."
    )
    if st.session_state.get("review_announce"):
        st.success(db.md_escape(st.session_state.review_announce) + ": see the **Review** tab.")
    up_text, up_events, up_places = st.columns(3)
    with up_text:
        st.markdown("**A text** (.txt)")
        st.text_input(
            "Narrator or author (optional)",
            key="text_narrator",
            placeholder="who 'I' and 'we' are",
            help="The events the text tells in the first person are this person's.",
        )
        st.text_input(
            "Date of the text (EDTF, optional)",
            key="text_date",
            placeholder="e.g. 1916 or 1916-03",
            help="Dates like 'in July' or 'last winter' with nothing before them count from here.",
        )
        st.file_uploader(
            "A text to geoparse",
            type=["txt", "md", "text"],
            key="text_upload",
            help=f"UTF-8 (or UTF-16 with a BOM) plain text, up to {db.UPLOAD_LIMIT_MB} MB. It becomes a "
            "source (its name and SHA-256) and its events wait under Review. If it is one of the "
            "corpus's texts, its passages appear beside the events instead.",
        )
        st.text_area("…or paste a text", key="pasted_text", height=100, placeholder="paste text here")
    with up_events:
        st.markdown("**Events** (.csv, .json, .yaml)")
        st.file_uploader(
            "An events file",
            type=["csv", "json", "yaml", "yml", "tsv"],
            key="events_upload",
            help="One row an event, columns as data/events.csv (id, actors, kind, place_id, edtf, "
            "source_id, …), or what itinera parse --json / --geojson writes; up to "
            f"{db.UPLOAD_LIMIT_MB} MB. Every problem is listed by row; good rows are shown on the map.",
        )
    with up_places:
        st.markdown("**Places** (GeoJSON or Linked Places)")
        st.file_uploader(
            "Places to add to the gazetteer",
            type=["json", "geojson", "jsonld"],
            key="places_upload",
            help="A FeatureCollection; each feature needs a geometry and a name (properties.name or "
            f"title); its id is the feature's own, else the file's name and the feature's number. Up to "
            f"{db.UPLOAD_LIMIT_MB} MB.",
        )

    for kind, label in (("text", "text"), ("events", "events"), ("places", "places")):
        report = st.session_state.get(f"upload_{kind}_report")
        if not report:
            continue
        if report.get("error"):
            st.error(db.md_escape(report["error"]))
        for warning in report.get("warnings", []):
            st.warning(db.md_escape(warning))
        if report.get("problems"):
            st.error(f"{len(report['problems'])} problem(s) in the {label} file:")
            st.dataframe(db.problems_frame(report["problems"]), hide_index=True, width="stretch")
        if report.get("ok"):
            st.success(db.md_escape(report["ok"]))

    parsed = st.session_state.get("user_parse")
    if parsed:
        st.subheader(f"Places in {parsed['name']}")
        if len(parsed["mentions"]):
            fixed = db.with_mention_fixes(
                parsed["mentions"], mention_fixes, places, parsed.get("text_id", "")
            )
            st.markdown("**Places named:** " + db.places_summary(fixed))
            st.dataframe(
                fixed,
                hide_index=True,
                width="stretch",
                key="mentions_table",
            )
        else:
            st.info("No place names found in this text.")

with tab_review, guarded("The review"):
    texts_given = list(review.sources) if review is not None else []
    if not texts_given:
        st.info(
            "Upload or paste a text under **Your material**: the events found in it wait here, to be "
            "accepted, rejected or corrected. Accepted events join the map, the timeline and the downloads."
        )
    else:
        if st.session_state.get("review_source") not in texts_given:
            st.session_state.review_source = texts_given[-1]

        def _text_label(sid: str) -> str:
            items = review.for_source(sid)
            done = sum(i.status == "accepted" for i in items)
            return f"{review.sources[sid].title} ({len(items)} events, {done} accepted)"

        source_id = st.selectbox("Text", texts_given, key="review_source", format_func=_text_label)
        source = review.sources[source_id]
        st.caption(
            db.md_escape(
                f"{source.title}: SHA-256 {source.sha256[:12]}…"
                + (f", narrator {source.author}" if source.author else "")
                + (f", dated {source.date}" if source.date else "")
                + f". Saved in {review.folder}."
            )
        )
        show = st.multiselect("Show", rv.STATUSES, default=list(rv.STATUSES), key="review_show")
        items = review.for_source(source_id)
        frame = rv.review_frame(items, review, places, mention_fixes, show=show)
        ids = frame["event_id"].tolist()

        def _rows_picked() -> None:
            rows = st.session_state.get("review_table", {}).get("selection", {}).get("rows", [])
            st.session_state.review_pick = [ids[r] for r in rows if r < len(ids)]

        st.dataframe(
            frame,
            key="review_table",
            on_select=_rows_picked,
            selection_mode="multi-row",
            hide_index=True,
            width="stretch",
            column_config={
                "confidence": st.column_config.ProgressColumn("confidence", min_value=0.0, max_value=1.0),
                "event_id": None,
            },
        )
        st.session_state.review_pick = [i for i in st.session_state.get("review_pick", []) if i in ids]
        labels = dict(
            zip(
                ids,
                (
                    f"{r.place or r['as written']} · {r['date (EDTF)'] or 'undated'} · {r.cue}"
                    for _, r in frame.iterrows()
                ),
                strict=True,
            )
        )
        picked = st.multiselect(
            "Events chosen",
            ids,
            key="review_pick",
            format_func=lambda i: labels.get(i, i),
            placeholder="pick rows in the table, or here",
        )
        # decisions are taken in callbacks, before the run that shows them: one run per click
        b1, b2, b3 = st.columns(3)
        for col, label, key, status in (
            (b1, "Accept", "review_accept", "accepted"),
            (b2, "Reject", "review_reject", "rejected"),
            (b3, "Back to pending", "review_reset", "pending"),
        ):
            col.button(label, key=key, disabled=not picked, on_click=review.set_status, args=(picked, status))

        t1, t2 = st.columns([2, 1])
        threshold = t1.slider(
            "Confidence at least",
            0.0,
            1.0,
            0.7,
            0.05,
            key="review_threshold",
            help="The geoparser's confidence in an event: its cue, its date and its place.",
        )
        waiting = sum(i.status == "pending" and i.confidence >= threshold for i in items)
        t2.button(
            f"Accept all {waiting} above",
            key="review_accept_above",
            disabled=not waiting,
            on_click=review.accept_above,
            args=(source_id, threshold),
        )

        st.markdown("**Correct an event** (saving accepts it)")

        def _load_edit() -> None:
            item = review.items.get(st.session_state.get("review_edit"))
            if item is None:
                return
            e = item.event
            st.session_state.review_actor = "; ".join(e.actors)
            st.session_state.review_kind = e.kind
            st.session_state.review_place = rv.place_label(e.place_id, places)
            st.session_state.review_origin = rv.place_label(e.from_place_id, places)
            st.session_state.review_date = e.edtf
            st.session_state.review_certainty = e.certainty

        target = st.selectbox(
            "Event to correct",
            ids,
            index=None,
            key="review_edit",
            on_change=_load_edit,
            format_func=lambda i: labels.get(i, i),
            placeholder="choose an event",
        )
        e1, e2, e3 = st.columns(3)
        actor = e1.text_input("Actor(s)", key="review_actor", help="Several separated by ';'")
        kind = e2.selectbox("Kind", EVENT_KINDS, key="review_kind")
        certainty = e3.selectbox("Certainty", CERTAINTIES, key="review_certainty")
        e4, e5, e6 = st.columns(3)
        place_typed = e4.text_input(
            "Place", key="review_place", help="A name, or an id such as geonames:98182"
        )
        origin_typed = e5.text_input("From (origin)", key="review_origin", help="Empty for none")
        date_typed = e6.text_input("Date (EDTF)", key="review_date", help="e.g. 1916-03-09, 1916-03, 1916-21")
        if st.button("Save and accept", key="review_save", disabled=target is None):
            changes = {
                "actors": actor,
                "kind": kind,
                "certainty": certainty,
                "edtf": date_typed.strip(),
                "place_id": rv.place_id_of(place_typed, places, gazetteer(), date_typed),
                "from_place_id": rv.place_id_of(origin_typed, places, gazetteer(), date_typed),
            }
            problems = review.edit(target, changes, places)
            if problems:
                for problem in problems:
                    st.error(db.md_escape(str(problem)))
            else:
                st.rerun()

        accepted = [review.corrected(i, mention_fixes) for i in items if i.status == "accepted"]
        accepted = [e for e in accepted if e is not None]
        c1, c2 = st.columns(2)
        c1.download_button(
            f"Accepted events ({len(accepted)}) as CSV",
            lambda: export.to_csv_bytes(accepted),
            file_name=f"{source.title.rsplit('.', 1)[0]}-events.csv",
            mime="text/csv",
            key="review_csv",
            on_click="ignore",
            disabled=not accepted,
            help="Reads back unchanged with itinera export --events.",
        )
        if c2.button("Remove this text and its events", key="review_remove"):
            review.remove_text(source_id)
            st.session_state.pop("review_source", None)
            st.rerun()

with tab_fix, guarded("Corrections"):
    st.caption(
        "When the machine put an event or a mention in the wrong place, give the right one. Each "
        f"correction is saved at once to `{store.path if store is not None else fixes_path()}` and "
        "applied on every start."
    )
    fix_event_col, fix_mention_col = st.columns(2)
    with fix_event_col:
        st.markdown("**The place of an event**")
        all_ids = [e.id for e in index.events]
        target = st.selectbox(
            "Event to correct",
            all_ids,
            index=all_ids.index(st.session_state.event_id)
            if st.session_state.get("event_id") in all_ids
            else None,
            format_func=lambda i: f"{i} · {db.place_label(index.event(i).place_id, places) or 'no place'}",
            key="fix_event",
            placeholder="choose an event",
        )
        query = st.text_input("Search the gazetteer", key="fix_event_query", placeholder="e.g. Khabarovsk")
        choices = db.place_choices(query, places, gazetteer())
        new_place = st.selectbox(
            "Right place",
            [pid for pid, _ in choices],
            format_func=dict(choices).get,
            index=None,
            key="fix_event_place",
            placeholder="choose the right place",
        )
        note = st.text_input("Why (optional)", key="fix_event_note")
        if st.button(
            "Save correction", key="fix_event_save", disabled=not (target and new_place and store is not None)
        ):
            ev = index.event(target)
            store.set(
                "event",
                target,
                new_place,
                place_name=db.place_label(new_place, places),
                was_place_id=ev.place_id if ev else "",
                note=note,
            )
            st.success(db.md_escape(f"Saved: {target} is now at {db.place_label(new_place, places)}."))
            st.rerun()
    with fix_mention_col:
        st.markdown("**The place of a mention** (in a text you gave)")
        parsed = st.session_state.get("user_parse")
        if not parsed or not len(parsed["mentions"]):
            st.caption("Upload or paste a text under **Your material** to correct its mentions.")
        else:
            mframe = parsed["mentions"]
            mlabels = dict(zip(mframe["mention"], mframe["as written"], strict=True))
            mkeys = mframe["mention"].tolist()
            mtarget = st.selectbox(
                "Mention to correct",
                mkeys,
                index=None,
                key="fix_mention",
                format_func=lambda k: f"{mlabels.get(k, '')} ({k.rpartition(':')[2]})",
            )
            not_place = st.toggle(
                "Not a place", key="fix_mention_not_place", help="A person, a ship or a word read as a place"
            )
            mquery = st.text_input("Search the gazetteer", key="fix_mention_query", disabled=not_place)
            mchoices = db.place_choices(mquery, places, gazetteer())
            mplace = st.selectbox(
                "Right place",
                [pid for pid, _ in mchoices],
                format_func=dict(mchoices).get,
                index=None,
                key="fix_mention_place",
                disabled=not_place,
            )
            if st.button(
                "Save correction",
                key="fix_mention_save",
                disabled=not (mtarget and (mplace or not_place) and store is not None),
            ):
                if not_place:
                    store.set("mention", mtarget, "", action="not a place")
                    st.success(db.md_escape(f"Saved: {mlabels.get(mtarget, mtarget)} is not a place."))
                else:
                    store.set("mention", mtarget, mplace, place_name=db.place_label(mplace, places))
                    st.success(db.md_escape(f"Saved: {mtarget} is {db.place_label(mplace, places)}."))
                st.rerun()

            st.markdown("**A place the geoparser missed**")
            words = st.text_input("Its words as written", key="fix_add_words", placeholder="e.g. Ctesiphon")
            occurrence = st.number_input("Which time they appear", 1, 10_000, 1, key="fix_add_occurrence")
            aquery = st.text_input("Search the gazetteer", key="fix_add_query")
            achoices = db.place_choices(aquery, places, gazetteer())
            aplace = st.selectbox(
                "The place",
                [pid for pid, _ in achoices],
                format_func=dict(achoices).get,
                index=None,
                key="fix_add_place",
            )
            if st.button(
                "Add the mention", key="fix_add_save", disabled=not (words and aplace and store is not None)
            ):
                text = all_texts.get(parsed.get("text_sha", ""), "")
                found = db.add_mention_key(text, parsed.get("text_id", ""), words, int(occurrence))
                if found is None:
                    st.error(
                        db.md_escape(f"{words!r} does not appear {int(occurrence)} time(s) in the text.")
                    )
                else:
                    key, as_written = found
                    store.set(
                        "mention",
                        key,
                        aplace,
                        place_name=db.place_label(aplace, places),
                        action="add",
                        text=as_written,
                    )
                    st.success(
                        db.md_escape(f"Saved: {as_written} ({key}) is {db.place_label(aplace, places)}.")
                    )
                    st.rerun()

    if store is not None:
        st.markdown(f"**Saved corrections ({len(store)})**")
        if len(store):
            st.dataframe([c.model_dump() for c in store], hide_index=True, width="stretch", key="fix_list")
            rm = st.selectbox(
                "Undo a correction",
                [f"{c.target}|{c.target_id}" for c in store],
                index=None,
                key="fix_remove",
                placeholder="choose one to undo",
            )
            if st.button("Undo", key="fix_remove_go", disabled=rm is None):
                kind, _, tid = rm.partition("|")
                store.remove(kind, tid)
                st.rerun()
        st.download_button(
            "Download corrections (JSON)",
            store.to_json_bytes(),
            file_name="itinera-corrections.json",
            mime="application/json",
            key="fix_download",
            on_click="ignore",
        )
        more = st.file_uploader("Restore corrections from a file", type=["json"], key="fix_upload")
        if more is not None and st.session_state.get("fix_upload_seen") != more.file_id:
            st.session_state.fix_upload_seen = more.file_id
            try:
                found, problems = parse_corrections(more.getvalue(), more.name)
            except CorrectionsError as exc:
                st.error(db.md_escape(str(exc)))
            else:
                for p in problems:
                    st.error(db.md_escape(p))
                if found:
                    st.success(db.md_escape(f"{store.merge(found)} correction(s) restored from {more.name}."))

with tab_dl, guarded("Downloads"):
    st.caption(
        f"What you see: the {len(shown)} events of this window and these filters. Files are made when "
        "you click."
    )

    used = db.places_for(shown, places)
    texts_ok = db.known_texts(all_sources, ws.texts, all_texts)
    stamp = f"{window[0]:%Y-%m}_{window[1]:%Y-%m}"
    d1, d2, d3, d4, d5 = st.columns(5)
    d1.download_button(
        "GeoJSON",
        lambda: export.to_geojson_bytes(shown, used, all_sources),
        file_name=f"itinera_{stamp}.geojson",
        mime="application/geo+json",
        key="dl_geojson",
        on_click="ignore",
        help="Events as points and routes as lines, with their sources (RFC 7946).",
    )
    d2.download_button(
        "CSV",
        lambda: export.to_csv_bytes(shown),
        file_name=f"itinera_{stamp}.csv",
        mime="text/csv",
        key="dl_csv",
        on_click="ignore",
        help="One row an event, in the columns the events loader reads back.",
    )
    d3.download_button(
        "HTML map",
        lambda: export.to_html_bytes(shown, used, window=window, sources=all_sources, texts=texts_ok),
        file_name=f"itinera_{stamp}.html",
        mime="text/html",
        key="dl_html",
        on_click="ignore",
        help="One standalone page with its own time slider; opens offline in any browser.",
    )
    d4.download_button(
        "Places (LPF)",
        lambda: export.to_lpf_bytes(export.places_used(shown, used)),
        file_name=f"itinera_places_{stamp}.lpf.json",
        mime="application/ld+json",
        key="dl_lpf",
        on_click="ignore",
        help="The places these events name, in Linked Places Format (World Historical Gazetteer).",
    )
    d5.download_button(
        "GeoPackage",
        lambda: export.to_gpkg_bytes(shown, used, all_sources),
        file_name=f"itinera_{stamp}.gpkg",
        mime="application/geopackage+sqlite3",
        key="dl_gpkg",
        on_click="ignore",
        disabled=not any(e.place_id in used for e in shown),
        help="Events and routes as two layers for QGIS or ArcGIS (EPSG:4326).",
    )
