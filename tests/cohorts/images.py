"""Small real images for upload tests, made with Pillow in memory."""

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

ORIENTATION = 0x0112
GPS_INFO = 0x8825


def image_bytes(
    width: int = 40, height: int = 30, *, fmt: str = "JPEG", orientation: int | None = None
) -> bytes:
    """A plain image; a JPEG may carry EXIF with an orientation and a GPS block."""
    image = Image.new("RGB", (width, height), (200, 60, 30))
    output = io.BytesIO()
    if fmt == "JPEG" and orientation is not None:
        exif = Image.Exif()
        exif[ORIENTATION] = orientation
        exif[0x010F] = "PhoneMaker"  # Make
        image.save(output, fmt, exif=exif.tobytes())
    else:
        image.save(output, fmt)
    return output.getvalue()


def upload(name: str, content: bytes, content_type: str = "image/jpeg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=content_type)


def jpeg_upload(name: str = "foto.jpg", width: int = 40, height: int = 30, **kwargs):
    return upload(name, image_bytes(width, height, **kwargs))


PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
