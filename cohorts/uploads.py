"""Photos and scans uploaded from a session: what is accepted, and what is kept.

The extension is the uploader's claim; the content decides. Images are opened with Pillow
(anything it cannot read as a JPEG or PNG is refused), turned upright by their EXIF
orientation, shrunk to at most 1600 px on the long edge and stored as a JPEG without the
original metadata (a phone photo's EXIF can carry where and when it was taken). A PDF
scan is kept as it is once its first bytes say PDF. Stored names are generated
(``cohorts.models``); the uploader's file name never becomes a path.
"""

import io
import warnings
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.files.base import ContentFile
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageOps, UnidentifiedImageError

IMAGE_EXTENSIONS = (".jpg", ".jpeg", ".png")
PDF_EXTENSION = ".pdf"
IMAGE_FORMATS = {"JPEG", "PNG"}
PDF_SIGNATURE = b"%PDF-"
LONG_EDGE = 1600
THUMBNAIL_EDGE = 480
JPEG_QUALITY = 82
# A 50-megapixel phone photo passes; a crafted "decompression bomb" does not.
MAX_PIXELS = 60_000_000
_UNREADABLE = (
    UnidentifiedImageError,
    OSError,
    SyntaxError,
    ValueError,
    Image.DecompressionBombError,
    Image.DecompressionBombWarning,
)


def _extension(file: File) -> str:
    return PurePath(file.name or "").suffix.lower()


def _check_size(file: File) -> None:
    limit_mb = settings.SESSION_LOG_MAX_UPLOAD_MB
    if file.size is None or file.size > limit_mb * 1024 * 1024:
        raise ValidationError(
            _("The file is larger than %(limit)s MB."), code="file_size", params={"limit": limit_mb}
        )


def _not_an_image() -> ValidationError:
    return ValidationError(
        _("This file is not a JPEG or PNG image, whatever its name says."), code="file_content"
    )


def _open_image(file: File) -> Image.Image:
    """The upload as a Pillow image, fully read; a ValidationError if it is anything else."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            file.seek(0)
            with Image.open(file) as probe:
                probe.verify()
                image_format, size = probe.format, probe.size
            if image_format not in IMAGE_FORMATS:
                raise _not_an_image()
            if size[0] * size[1] > MAX_PIXELS:
                raise ValidationError(
                    _("The image is too large; take or save it at a lower resolution."),
                    code="image_pixels",
                )
            file.seek(0)
            image = Image.open(file)
            image.load()
    except _UNREADABLE as error:
        raise _not_an_image() from error
    return image


def _as_rgb(image: Image.Image) -> Image.Image:
    """JPEG has no transparency: a transparent PNG is laid on white."""
    if image.mode in ("RGBA", "LA") or (image.mode == "P" and "transparency" in image.info):
        rgba = image.convert("RGBA")
        background = Image.new("RGB", rgba.size, "white")
        background.paste(rgba, mask=rgba.getchannel("A"))
        return background
    return image.convert("RGB")


def _jpeg_bytes(image: Image.Image, *, long_edge: int, quality: int) -> bytes:
    upright = ImageOps.exif_transpose(image)
    upright.thumbnail((long_edge, long_edge), Image.Resampling.LANCZOS)
    output = io.BytesIO()
    # No exif= or icc_profile= argument: the stored copy carries none of the original's.
    _as_rgb(upright).save(output, "JPEG", quality=quality, optimize=True)
    return output.getvalue()


def _image_to_jpeg(file: File, *, name: str) -> ContentFile:
    image = _open_image(file)
    try:
        return ContentFile(_jpeg_bytes(image, long_edge=LONG_EDGE, quality=JPEG_QUALITY), name=name)
    finally:
        image.close()


def photo_from_upload(file: File) -> ContentFile:
    """What is stored for an uploaded session photo: a resized JPEG without metadata."""
    if _extension(file) not in IMAGE_EXTENSIONS:
        raise ValidationError(_("Upload a photo as a JPEG or PNG file."), code="file_type")
    _check_size(file)
    return _image_to_jpeg(file, name="photo.jpg")


def sheet_from_upload(file: File) -> ContentFile:
    """What is stored for a signed sign-in sheet: a photo as a resized JPEG, a PDF as is."""
    extension = _extension(file)
    if extension not in (*IMAGE_EXTENSIONS, PDF_EXTENSION):
        raise ValidationError(
            _("Upload a photo (JPEG or PNG) or a scan as a PDF file."), code="file_type"
        )
    _check_size(file)
    if extension != PDF_EXTENSION:
        return _image_to_jpeg(file, name="sheet.jpg")
    file.seek(0)
    content = file.read()
    if not content.startswith(PDF_SIGNATURE):
        raise ValidationError(
            _("This file is not a PDF, whatever its name says."), code="file_content"
        )
    return ContentFile(content, name="sheet.pdf")


def thumbnail_jpeg(file: File) -> bytes:
    """A small copy of a stored JPEG for lists of photos on a slow connection."""
    file.seek(0)
    with Image.open(file) as image:
        return _jpeg_bytes(image, long_edge=THUMBNAIL_EDGE, quality=70)
