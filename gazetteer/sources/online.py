"""Opt-in online geocoding through geopy (Nominatim unless another service is named), used as a last
resort for names nothing offline knows.

Around the service, not inside it: geopy's ``RateLimiter`` (Nominatim's policy is one request a
second), an on-disk SQLite cache in the cache folder (a name asked twice is fetched once, and answers
survive restarts), an identifying user agent (``itinera/<version>``) and a timeout. Every way a
service can fail (down, slow, HTTP 429, a body that is not a geocoding answer) becomes one
``ServiceUnavailable`` with a sentence saying which; the caller warns and keeps the offline answer.

The endpoint is configurable (``domain``/``scheme`` or ``ITINERA_NOMINATIM_URL``), which is how the
tests aim it at a fake server on 127.0.0.1.
"""

from __future__ import annotations

import hashlib
import json
import math
import os
import sqlite3
import threading
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from ..errors import ServiceUnavailable
from ..names import normalize
from ..places import AlternateName, Place
from ..resources import cache_dir as default_cache_dir
from .base import NameHit, PlaceSource

CACHE_NAME = "online-geocoder-cache.sqlite"
NOMINATIM_URL_ENV = "ITINERA_NOMINATIM_URL"

# Nominatim (OSM) class/type -> our feature type.
_OSM_TYPES = {
    ("place", "city"): "settlement",
    ("place", "town"): "settlement",
    ("place", "village"): "settlement",
    ("place", "hamlet"): "settlement",
    ("place", "island"): "island",
    ("place", "state"): "province",
    ("place", "county"): "county",
    ("place", "region"): "region",
    ("place", "country"): "country",
    ("waterway", "river"): "river",
    ("natural", "peak"): "mountain",
    ("natural", "volcano"): "mountain",
    ("natural", "water"): "lake",
    ("natural", "bay"): "sea",
    ("military", ""): "military base",
    ("landuse", "military"): "military base",
}
_ADDRESS_TYPES = {
    "country": "country",
    "state": "province",
    "province": "province",
    "county": "county",
    "region": "region",
    "city": "settlement",
    "town": "settlement",
    "village": "settlement",
    "hamlet": "settlement",
    "river": "river",
}


def _feature_type(raw: dict[str, Any]) -> str:
    cls, typ = str(raw.get("class") or ""), str(raw.get("type") or "")
    if (cls, typ) in _OSM_TYPES:
        return _OSM_TYPES[(cls, typ)]
    if (cls, "") in _OSM_TYPES:
        return _OSM_TYPES[(cls, "")]
    return _ADDRESS_TYPES.get(str(raw.get("addresstype") or ""), "settlement")


def _radius_km(raw: dict[str, Any]) -> float:
    """Half the diagonal of the answer's bounding box (Nominatim: [south, north, west, east])."""
    from ..distance import distance_km

    box = raw.get("boundingbox")
    try:
        s, n, w, e = (float(v) for v in box)
    except (TypeError, ValueError):
        return 10.0
    return round(max(1.0, distance_km(s, w, n, e) / 2), 1)


class OnlineSource(PlaceSource):
    """One geopy service behind a cache and a rate limiter; ``search`` is the only call that goes out."""

    label = "online"

    def __init__(
        self,
        service: str = "nominatim",
        *,
        cache_dir: str | Path | None = None,
        timeout: float = 5.0,
        min_delay_seconds: float = 1.0,
        domain: str | None = None,
        scheme: str | None = None,
        user_agent: str | None = None,
        **options: Any,
    ):
        from ..geocoder import _user_agent

        self.service = service.lower()
        self.timeout = timeout
        self.min_delay_seconds = min_delay_seconds
        env = os.environ.get(NOMINATIM_URL_ENV) if self.service == "nominatim" else None
        if env and not domain:
            parts = urlsplit(env if "//" in env else f"https://{env}")
            domain = parts.netloc + parts.path.rstrip("/")
            scheme = scheme or parts.scheme
        self.domain = domain
        self.scheme = scheme
        self.user_agent = user_agent or _user_agent()
        self.options = options
        self.endpoint = f"{scheme or 'https'}://{domain}" if domain else "default"
        folder = Path(cache_dir) if cache_dir else default_cache_dir()
        folder.mkdir(parents=True, exist_ok=True)
        self.cache_path = folder / CACHE_NAME
        self._lock = threading.Lock()
        self._db = self._open_cache()
        self._rate_limited = None
        self._places: dict[str, Place] = {}
        self.requests_made = 0

    # -- cache --

    def _open_cache(self) -> sqlite3.Connection:
        try:
            db = sqlite3.connect(self.cache_path, check_same_thread=False)
            db.execute(
                "CREATE TABLE IF NOT EXISTS answers (service TEXT, endpoint TEXT, key TEXT, "
                "answer TEXT, fetched REAL, PRIMARY KEY (service, endpoint, key))"
            )
            db.commit()
            return db
        except sqlite3.DatabaseError:  # a damaged cache file is only a cache: start a new one
            self.cache_path.unlink(missing_ok=True)
            db = sqlite3.connect(self.cache_path, check_same_thread=False)
            db.execute(
                "CREATE TABLE answers (service TEXT, endpoint TEXT, key TEXT, "
                "answer TEXT, fetched REAL, PRIMARY KEY (service, endpoint, key))"
            )
            db.commit()
            return db

    def _cached(self, key: str) -> list[dict[str, Any]] | None:
        with self._lock:
            row = self._db.execute(
                "SELECT answer FROM answers WHERE service=? AND endpoint=? AND key=?",
                (self.service, self.endpoint, key),
            ).fetchone()
        if row is None:
            return None
        try:
            answer = json.loads(row[0])
        except json.JSONDecodeError:
            return None
        return answer if isinstance(answer, list) else None

    def _store(self, key: str, answer: list[dict[str, Any]]) -> None:
        with self._lock:
            self._db.execute(
                "INSERT OR REPLACE INTO answers VALUES (?, ?, ?, ?, ?)",
                (self.service, self.endpoint, key, json.dumps(answer, ensure_ascii=False), time.time()),
            )
            self._db.commit()

    # -- the service --

    def _geocode_fn(self):
        if self._rate_limited is None:
            from geopy.extra.rate_limiter import RateLimiter
            from geopy.geocoders import get_geocoder_for_service

            try:
                cls = get_geocoder_for_service(self.service)
            except Exception as exc:  # geopy raises ConfigurationError for unknown names
                raise ServiceUnavailable(f"unknown geocoding service {self.service!r} ({exc})") from exc
            from geopy.adapters import URLLibAdapter

            # urllib, not requests: requests' adapter retries a timed-out read twice on its own,
            # which triples the wait and hammers a service that is already struggling.
            kwargs: dict[str, Any] = {
                "user_agent": self.user_agent,
                "timeout": self.timeout,
                "adapter_factory": URLLibAdapter,
                **self.options,
            }
            if self.domain:
                kwargs["domain"] = self.domain
            if self.scheme:
                kwargs["scheme"] = self.scheme
            try:
                geocoder = cls(**kwargs)
            except Exception as exc:  # missing api_key, bad scheme...: a configuration problem
                raise ServiceUnavailable(f"{self.service} cannot be set up: {exc}") from exc
            self._rate_limited = RateLimiter(
                geocoder.geocode,
                min_delay_seconds=self.min_delay_seconds,
                max_retries=0,
                swallow_exceptions=False,
            )
        return self._rate_limited

    def search(self, query: str, *, timeout: float | None = None) -> list[NameHit]:
        """Ask the service (or its cache) for ``query``; raises ``ServiceUnavailable`` on any failure."""
        key = normalize(query)
        if not key:
            return []
        answer = self._cached(key)
        if answer is None:
            answer = self._fetch(query, timeout)
            self._store(key, answer)
        return [NameHit(p, AlternateName(query, kind="preferred")) for p in self._to_places(answer, query)]

    def _fetch(self, query: str, timeout: float | None) -> list[dict[str, Any]]:
        from geopy import exc as gexc

        fn = self._geocode_fn()
        wait = timeout if timeout is not None else self.timeout
        where = f"{self.service} ({self.endpoint})"
        self.requests_made += 1
        try:
            found = fn(query, exactly_one=False, timeout=wait)
            answer = [
                {"address": loc.address, "lat": float(loc.latitude), "lon": float(loc.longitude),
                 "raw": loc.raw if isinstance(loc.raw, dict) else {}}
                for loc in (found or [])
            ]  # fmt: skip
        except gexc.GeocoderTimedOut as exc:
            raise ServiceUnavailable(f"{where} did not answer within {wait:g} s") from exc
        except gexc.GeocoderRateLimited as exc:
            after = f"; retry after {exc.retry_after} s" if exc.retry_after else ""
            raise ServiceUnavailable(f"{where} is rate-limiting requests (HTTP 429){after}") from exc
        except gexc.GeocoderParseError as exc:
            raise ServiceUnavailable(f"{where} answered something that is not a geocoding result") from exc
        except gexc.GeocoderUnavailable as exc:
            raise ServiceUnavailable(f"{where} is unreachable or down ({exc})") from exc
        except gexc.GeopyError as exc:
            if isinstance(exc.__cause__ or exc.__context__, OSError):  # refused, reset, no route
                raise ServiceUnavailable(f"{where} is unreachable or down ({exc})") from exc
            raise ServiceUnavailable(f"{where} reported an error: {exc}") from exc
        except (KeyError, TypeError, ValueError, AttributeError, IndexError) as exc:
            raise ServiceUnavailable(f"{where} answered something that is not a geocoding result") from exc
        for item in answer:
            if not (-90 <= item["lat"] <= 90 and -180 <= item["lon"] <= 180) or math.isnan(item["lat"]):
                raise ServiceUnavailable(f"{where} answered coordinates out of range")
        return answer

    def _to_places(self, answer: list[dict[str, Any]], query: str) -> list[Place]:
        out = []
        fetched = time.strftime("%Y-%m-%d")
        for item in answer:
            raw = item.get("raw") or {}
            ident = (
                f"{raw.get('osm_type')}/{raw.get('osm_id')}"
                if raw.get("osm_type") and raw.get("osm_id")
                else hashlib.sha1(f"{item['lat']},{item['lon']},{item['address']}".encode()).hexdigest()[:12]
            )
            address = str(item.get("address") or query)
            credit = "; data © OpenStreetMap contributors (ODbL)" if self.service == "nominatim" else ""
            place = Place(
                id=f"online:{self.service}:{ident}",
                name=str(raw.get("name") or address.split(",")[0]),
                feature_type=_feature_type(raw),
                lat=round(float(item["lat"]), 6),
                lon=round(float(item["lon"]), 6),
                uncertainty_km=_radius_km(raw),
                citation=f"{self.service} geocoder at {self.endpoint}, asked {query!r} on {fetched}{credit}",
                note="Online answer for a name the offline gazetteer does not hold; check it.",
                source="online",
                description=address,
            )
            self._places[place.id] = place
            out.append(place)
        return out

    # -- PlaceSource: offline view of what is cached --

    def lookup(self, key: str) -> list[NameHit]:
        answer = self._cached(key)
        if not answer:
            return []
        return [NameHit(p, AlternateName(key, kind="preferred")) for p in self._to_places(answer, key)]

    def has_key(self, key: str) -> bool:
        return bool(self._cached(key))

    def get(self, place_id: str) -> Place | None:
        return self._places.get(place_id)

    def close(self) -> None:
        with self._lock:
            self._db.close()
