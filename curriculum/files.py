"""What a material upload may be: its extension, its size, and content that matches both.

The extension is the uploader's claim; the first bytes (and for zip-based Office files
the archive's table of contents) are the evidence. The stored name is generated
(models.material_upload_to); the original name is kept only as display text.
"""

import zipfile
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.utils.translation import gettext_lazy as _

PDF = (b"%PDF-",)
ZIP = (b"PK\x03\x04",)
PNG = (b"\x89PNG\r\n\x1a\n",)
JPEG = (b"\xff\xd8\xff",)

# extension -> (accepted leading bytes, a member the zip archive must contain)
ALLOWED_TYPES: dict[str, tuple[tuple[bytes, ...], str | None]] = {
    ".pdf": (PDF, None),
    ".docx": (ZIP, "[Content_Types].xml"),
    ".xlsx": (ZIP, "[Content_Types].xml"),
    ".pptx": (ZIP, "[Content_Types].xml"),
    ".odt": (ZIP, "mimetype"),
    ".ods": (ZIP, "mimetype"),
    ".odp": (ZIP, "mimetype"),
    ".png": (PNG, None),
    ".jpg": (JPEG, None),
    ".jpeg": (JPEG, None),
}


def allowed_extensions_text() -> str:
    return ", ".join(ALLOWED_TYPES)


def _zip_contains(file: File, member: str) -> bool:
    try:
        with zipfile.ZipFile(file) as archive:
            return member in archive.namelist()
    except (zipfile.BadZipFile, OSError, ValueError):
        return False


def check_material_upload(file: File) -> None:
    """Raise a ValidationError (translated) unless the upload may be stored."""
    extension = PurePath(file.name or "").suffix.lower()
    if extension not in ALLOWED_TYPES:
        raise ValidationError(
            _("This type of file is not allowed. Upload one of: %(allowed)s."),
            code="file_type",
            params={"allowed": allowed_extensions_text()},
        )
    limit_mb = settings.CURRICULUM_MATERIAL_MAX_UPLOAD_MB
    if file.size is None or file.size > limit_mb * 1024 * 1024:
        raise ValidationError(
            _("The file is larger than %(limit)s MB."),
            code="file_size",
            params={"limit": limit_mb},
        )
    signatures, zip_member = ALLOWED_TYPES[extension]
    file.seek(0)
    head = file.read(16)
    file.seek(0)
    matches = head.startswith(signatures) and (
        zip_member is None or _zip_contains(file, zip_member)
    )
    file.seek(0)
    if not matches:
        raise ValidationError(
            _("The file's content does not match its extension (%(extension)s)."),
            code="file_content",
            params={"extension": extension},
        )
