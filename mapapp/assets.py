"""Leaflet and its plugins from installed packages, so a map never asks a CDN for anything.

folium 0.20 points every element at CDNs (Leaflet, jQuery, Bootstrap, Font Awesome, awesome-markers
on four hosts); offline, that page is blank (``L is not defined``). The XStatic wheels ship Leaflet
1.9.3, Leaflet.markercluster 1.4.1, jQuery 3.7.1 and Font Awesome 6.2.1; ``localize`` swaps each
element's ``default_js``/``default_css`` for those, as ``data:`` URIs (one self-contained file; also
what streamlit-folium loads, since it fetches each element's links itself) or ``file:`` URIs.
Bootstrap and awesome-markers are dropped: we draw circle markers, never ``folium.Icon``.

A stylesheet's own ``url(...)`` references (Leaflet's layer-switcher images, Font Awesome's fonts)
are inlined into its ``data:`` URI, since relative paths mean nothing inside one.
"""

from __future__ import annotations

import base64
import html
import importlib
import json
import mimetypes
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Literal

import folium
from branca.element import Element, MacroElement
from folium.template import Template

Mode = Literal["data", "file"]

STATIC_DIR = Path(__file__).with_name("static")


class OfflineAssetError(RuntimeError):
    """A map element wants a remote script or stylesheet we have no local copy of."""


@dataclass(frozen=True, slots=True)
class Asset:
    """One file of an installed XStatic package (or of our own ``static/``)."""

    package: str  # xstatic.pkg.<package>, or "" for mapapp/static
    path: str  # relative to the package's BASE_DIR

    @property
    def file(self) -> Path:
        if not self.package:
            return STATIC_DIR / self.path
        module = importlib.import_module(f"xstatic.pkg.{self.package}")
        return Path(module.BASE_DIR) / self.path


ASSETS: dict[str, Asset] = {
    "leaflet": Asset("leaflet", "leaflet.js"),
    "leaflet_css": Asset("leaflet", "leaflet.css"),
    "jquery": Asset("jquery", "jquery.min.js"),
    "markercluster": Asset("leaflet_markercluster", "leaflet.markercluster.js"),
    "markercluster_css": Asset("leaflet_markercluster", "MarkerCluster.css"),
    "markercluster_default_css": Asset("leaflet_markercluster", "MarkerCluster.Default.css"),
    # Font Awesome's solid style only (the full set inlines ~0.5 MB of fonts); for icons in popups.
    "fontawesome_css": Asset("font_awesome", "css/fontawesome.min.css"),
    "fontawesome_solid_css": Asset("font_awesome", "css/solid.min.css"),
    "itinera_js": Asset("", "itinera.js"),
    "itinera_css": Asset("", "itinera.css"),
}

# folium's resource names -> ours (None: not needed, dropped).
FOLIUM_NAMES: dict[str, str | None] = {
    "leaflet": "leaflet",
    "jquery": "jquery",
    "bootstrap": None,
    "awesome_markers": None,
    "leaflet_css": "leaflet_css",
    "bootstrap_css": None,
    "glyphicons_css": None,
    "awesome_markers_font_css": None,
    "awesome_markers_css": None,
    "awesome_rotate_css": None,
    "markerclusterjs": "markercluster",
    "markerclustercss": "markercluster_css",
    "markerclusterdefaultcss": "markercluster_default_css",
}

MAP_JS = ("leaflet", "jquery")
MAP_CSS = ("leaflet_css",)

_CSS_URL = re.compile(r"""url\((['"]?)([^)'"]+)\1\)""")


def _mime(path: Path) -> str:
    if path.suffix == ".woff2":
        return "font/woff2"
    if path.suffix == ".js":
        return "text/javascript"
    return mimetypes.guess_type(path.name)[0] or "application/octet-stream"


def _data_uri_of_bytes(data: bytes, mime: str) -> str:
    return f"data:{mime};base64,{base64.b64encode(data).decode('ascii')}"


def _inline_css_urls(css: str, folder: Path) -> str:
    """Replace relative ``url(...)`` in a stylesheet by data URIs of the files it names.

    Font Awesome lists each font twice (woff2, ttf); browsers take the first, so only woff2 is kept.
    """

    def repl(match: re.Match[str]) -> str:
        ref = match.group(2)
        if ref.startswith(("data:", "http:", "https:", "#")):
            return match.group(0)
        target = (folder / ref.split("?")[0].split("#")[0]).resolve()
        if not target.is_file():
            return match.group(0)
        return f'url("{_data_uri_of_bytes(target.read_bytes(), _mime(target))}")'

    css = re.sub(r',\s*url\([^)]*\.ttf\)\s*format\("truetype"\)', "", css)
    return _CSS_URL.sub(repl, css)


@cache
def asset_bytes(name: str) -> bytes:
    """The asset's content; stylesheets with their referenced files inlined."""
    asset = ASSETS[name]
    path = asset.file
    if path.suffix == ".css":
        return _inline_css_urls(path.read_text(encoding="utf-8"), path.parent).encode("utf-8")
    return path.read_bytes()


@cache
def data_uri(name: str) -> str:
    """``data:`` URI of an asset: what a standalone page and streamlit-folium load."""
    return _data_uri_of_bytes(asset_bytes(name), _mime(ASSETS[name].file))


def asset_url(name: str, mode: Mode = "data") -> str:
    if mode == "data":
        return data_uri(name)
    if mode == "file":
        return ASSETS[name].file.resolve().as_uri()
    raise ValueError(f"unknown asset mode {mode!r} (data or file)")


def _local_links(links: list[tuple[str, str]], mode: Mode, what: str) -> list[tuple[str, str]]:
    out = []
    for name, url in links:
        if name in ASSETS:
            out.append((name, asset_url(name, mode)))
            continue
        if name in FOLIUM_NAMES:
            ours = FOLIUM_NAMES[name]
            if ours is not None:
                out.append((ours, asset_url(ours, mode)))
            continue
        if url.startswith(("data:", "file:")):
            out.append((name, url))
            continue
        raise OfflineAssetError(f"{what} needs {name} from {url}, which has no local copy")
    return out


def walk(element: Element):
    yield element
    for child in list(element._children.values()):
        yield from walk(child)


def localize(m: folium.Map, mode: Mode = "data") -> folium.Map:
    """Point every element of ``m`` at local assets (instance attributes: folium's class lists, which
    ``add_js_link`` mutates in place, stay untouched). Call after the map is complete."""
    for el in walk(m):
        if not isinstance(el, folium.elements.JSCSSMixin):
            continue
        what = type(el).__name__
        if isinstance(el, folium.Map):
            el.default_js = [(n, asset_url(n, mode)) for n in MAP_JS]
            el.default_css = [(n, asset_url(n, mode)) for n in MAP_CSS]
            continue
        el.default_js = _local_links(list(el.default_js), mode, what)
        el.default_css = _local_links(list(el.default_css), mode, what)
    return m


_REMOTE = re.compile(r"""(?:src|href)\s*=\s*["'](?:https?:)?//""", re.IGNORECASE)


def remote_references(html: str) -> list[str]:
    """``src``/``href`` attributes of a rendered page that point off the machine (should be none)."""
    return [html[m.start() : m.start() + 120] for m in _REMOTE.finditer(html)]


def script_json(value: object) -> str:
    """JSON to paste into a ``<script>``: no ``</`` can close the element early."""
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False).replace("</", "<\\/")


def escape(text: str) -> str:
    """HTML-escape text from data or a user's file for a page; braces too, so no ``{{`` or ``{%`` ever
    reaches a Jinja template (folium compiles each element's rendered script as one)."""
    return html.escape(text).replace("{", "&#123;").replace("}", "&#125;")


class _RawScript(Element):
    """Already rendered JavaScript, output as is (never compiled as a template)."""

    _template = Template("{{ this.code }}")

    def __init__(self, code: str):
        super().__init__()
        self.code = code


class RawRender(MacroElement):
    """A MacroElement whose rendered script is not compiled again as a Jinja template, as branca's
    ``MacroElement.render`` does: for megabytes of data that costs seconds, and text holding ``{%``
    would break it. Goes last among the bases so Layer and JSCSSMixin still do their part."""

    def render(self, **kwargs):
        figure = self.get_root()
        script = self._template.module.__dict__.get("script")
        if script is not None:
            figure.script.add_child(_RawScript(script(self, kwargs)), name=self.get_name())
        for element in self._children.values():
            element.render(**kwargs)
