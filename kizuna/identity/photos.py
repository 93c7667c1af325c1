"""Profile photos: check what the bytes really are, then re-encode so nothing but pixels survives."""

import io

from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

MAX_PHOTO_BYTES = 5 * 1024 * 1024
MAX_PHOTO_SIDE = 512
ACCEPTED_FORMATS = {"JPEG", "PNG", "GIF", "WEBP"}


class PhotoRejectedError(ValueError):
    pass


def reencode_photo(upload: UploadedFile) -> ContentFile[bytes]:
    """Return a JPEG re-encoding of an uploaded photo, or raise PhotoRejectedError with a reason."""
    if upload.size is None or upload.size > MAX_PHOTO_BYTES:
        raise PhotoRejectedError(_("The photo must be 5 MB or smaller."))
    try:
        with Image.open(upload) as probe:
            detected = probe.format
            probe.verify()
        upload.seek(0)
        with Image.open(upload) as image:
            if detected not in ACCEPTED_FORMATS:
                raise PhotoRejectedError(_("Upload a JPEG, PNG, GIF or WebP image."))
            image.seek(0)
            picture = image.convert("RGB")
    except (UnidentifiedImageError, OSError, SyntaxError, Image.DecompressionBombError) as error:
        raise PhotoRejectedError(
            _("This file is not an image we can read. Upload a JPEG, PNG, GIF or WebP image.")
        ) from error
    picture.thumbnail((MAX_PHOTO_SIDE, MAX_PHOTO_SIDE))
    buffer = io.BytesIO()
    picture.save(buffer, format="JPEG", quality=85, optimize=True)
    return ContentFile(buffer.getvalue(), name="photo.jpg")
