"""Front-end libraries from npm, served by the app itself (no CDN).

``npm ci`` puts them in node_modules/; ``VendorAssetFinder`` exposes just the
files we use under ``static/vendor/`` so ``collectstatic`` and whitenoise
serve them like our own static files. Adding a library: list it in
package.json and its files in ``VENDOR_FILES``.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.staticfiles.finders import BaseFinder
from django.core.checks import Error
from django.core.files.storage import FileSystemStorage
from whitenoise.storage import CompressedManifestStaticFilesStorage

# static path under vendor/  ->  path inside node_modules/
VENDOR_FILES: dict[str, str] = {
    "htmx/htmx.min.js": "htmx.org/dist/htmx.min.js",
    "leaflet/leaflet.js": "leaflet/dist/leaflet.js",
    "leaflet/leaflet.css": "leaflet/dist/leaflet.css",
    "leaflet/images/layers.png": "leaflet/dist/images/layers.png",
    "leaflet/images/layers-2x.png": "leaflet/dist/images/layers-2x.png",
    "leaflet/images/marker-icon.png": "leaflet/dist/images/marker-icon.png",
    "leaflet/images/marker-icon-2x.png": "leaflet/dist/images/marker-icon-2x.png",
    "leaflet/images/marker-shadow.png": "leaflet/dist/images/marker-shadow.png",
    "echarts/echarts.min.js": "echarts/dist/echarts.min.js",
}


class VendorAssetFinder(BaseFinder):
    prefix = "vendor"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.root = Path(settings.NODE_MODULES_DIR)

    def check(self, **kwargs: Any) -> list[Error]:
        missing = [src for src in VENDOR_FILES.values() if not (self.root / src).exists()]
        if missing:
            return [
                Error(
                    f"Front-end assets are missing from {self.root}: {', '.join(missing)}",
                    hint="Run `npm ci` (the README commands do it).",
                    id="civicgrid.E001",
                )
            ]
        return []

    def find(self, path: str, find_all: bool = False, **kwargs: Any) -> str | list[str]:
        path = path.replace("\\", "/")
        if path.startswith(self.prefix + "/"):
            src = VENDOR_FILES.get(path[len(self.prefix) + 1 :])
            if src and (self.root / src).exists():
                found = str(self.root / src)
                return [found] if find_all else found
        return [] if find_all else ""

    def list(self, ignore_patterns: Any) -> Iterator[tuple[str, FileSystemStorage]]:
        for dest, src in VENDOR_FILES.items():
            source = self.root / src
            if source.exists():
                # collectstatic copies storage.open(name) to storage.prefix/name.
                storage = FileSystemStorage(location=str(source.parent))
                storage.prefix = str(Path(self.prefix, dest).parent)  # type: ignore[attr-defined]
                yield source.name, storage


class VendorSafeManifestStorage(CompressedManifestStaticFilesStorage):
    """Hashed, compressed static files; only CSS references are rewritten.

    Django's manifest storage also rewrites ``sourceMappingURL`` comments in
    JS and CSS and fails when a vendor file points at a map we do not ship.
    """

    patterns = (
        (
            "*.css",
            (
                r"""(?P<matched>url\(['"]{0,1}\s*(?P<url>.*?)["']{0,1}\))""",
                (r"""(?P<matched>@import\s*["']\s*(?P<url>.*?)["'])""", """@import url("%(url)s")"""),
            ),
        ),
    )
    manifest_strict = False
