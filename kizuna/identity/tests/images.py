"""Real image files made in memory, for upload tests."""

import io
import os

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

SECRET_CAMERA = "KizunaSecretCam"


def image_upload(
    name: str = "photo.png", *, image_format: str = "PNG", size: tuple[int, int] = (64, 48)
) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 80, 40)).save(buffer, format=image_format)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type=f"image/{image_format.lower()}")


def jpeg_with_metadata(name: str = "photo.jpg") -> SimpleUploadedFile:
    """A JPEG whose EXIF names a camera and carries GPS data, as phone photos do."""
    exif = Image.Exif()
    exif[0x010F] = SECRET_CAMERA  # Make
    exif[0x8825] = {1: "N", 2: (35.0, 41.0, 0.0)}  # GPS IFD
    buffer = io.BytesIO()
    Image.new("RGB", (80, 60), (10, 120, 200)).save(buffer, format="JPEG", exif=exif)
    data = buffer.getvalue()
    assert SECRET_CAMERA.encode() in data
    return SimpleUploadedFile(name, data, content_type="image/jpeg")


def oversized_png(name: str = "huge.png") -> SimpleUploadedFile:
    """A genuine PNG over 5 MB: random pixels do not compress."""
    width, height = 1600, 1200
    image = Image.frombytes("RGB", (width, height), os.urandom(width * height * 3))
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", compress_level=0)
    data = buffer.getvalue()
    assert len(data) > 5 * 1024 * 1024
    return SimpleUploadedFile(name, data, content_type="image/png")


def text_renamed_png(name: str = "notes.png") -> SimpleUploadedFile:
    return SimpleUploadedFile(
        name, b"This is not a picture at all.\n" * 20, content_type="image/png"
    )
