"""Photo uploads: checked, re-encoded and stripped of metadata before they are stored.

Phones put the shooting location and the device serial in EXIF; a photo of a
vulnerable person's door must not carry them. Every photo is decoded with
Pillow (which also proves it is an image, whatever its name says), rotated
upright by its EXIF orientation, shrunk to a sensible size and saved as a
fresh JPEG with no metadata at all.
"""

from __future__ import annotations

import io
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

MAX_UPLOAD_BYTES = 15 * 1024 * 1024
MAX_PIXELS = 40_000_000  # refuse decompression bombs before decoding
MAX_SIDE = 2048
ALLOWED_FORMATS = {"JPEG", "PNG", "WEBP", "HEIF", "MPO", "GIF", "BMP"}


def clean_photo(upload: Any) -> tuple[ContentFile, int, int]:
    """A safe JPEG from an uploaded file; raises ValidationError in Chinese."""
    name = getattr(upload, "name", "photo")
    size = getattr(upload, "size", None)
    if size is not None and size > MAX_UPLOAD_BYTES:
        raise ValidationError(
            _("The photo %(name)s is %(mb).1f MB; the limit is 15 MB.") % {"name": name, "mb": size / 1024 / 1024}
        )
    data = upload.read()
    try:
        with Image.open(io.BytesIO(data)) as probe:
            if probe.format not in ALLOWED_FORMATS:
                raise ValidationError(_("%(name)s is not a photo (JPEG or PNG).") % {"name": name})
            if probe.width * probe.height > MAX_PIXELS:
                raise ValidationError(_("The photo %(name)s has too many pixels.") % {"name": name})
        with Image.open(io.BytesIO(data)) as image:
            image.load()
            image = ImageOps.exif_transpose(image)
            image = image.convert("RGB")
            image.thumbnail((MAX_SIDE, MAX_SIDE))
            out = io.BytesIO()
            image.save(out, format="JPEG", quality=82, optimize=True)  # no exif= argument: nothing carried over
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError):
        raise ValidationError(_("%(name)s is not a photo (JPEG or PNG), or it is damaged.") % {"name": name}) from None
    return ContentFile(out.getvalue(), name="photo.jpg"), image.width, image.height
