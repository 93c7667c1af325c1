"""Files and images on posts and answers: what an upload may be, and storing it.

An upload is checked by its bytes, not its name, and images are re-encoded so nothing but
the picture survives. The post and answer services store a composer's attachments with the
row they create; `add_attachment` adds one to a post or answer that already exists.
"""

import io
import uuid
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import PurePath

from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

from kizuna.activity.dispatch import thread_changed
from kizuna.content.models import Answer, Attachment, Post
from kizuna.content.permissions import can_edit_answer, can_edit_post
from kizuna.content.validation import ContentError, field_error
from kizuna.identity.models import Member
from kizuna.identity.permissions import Viewer, is_signed_in

MAX_ATTACHMENTS = 5
MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024
MAX_IMAGE_SIDE = 2400


@dataclass(frozen=True)
class PreparedAttachment:
    """An upload that passed the checks, with the bytes we will store (images re-encoded)."""

    content: bytes
    original_name: str
    extension: str
    content_type: str
    is_image: bool


IMAGE_FORMATS = {"JPEG": "image/jpeg", "PNG": "image/png", "GIF": "image/gif", "WEBP": "image/webp"}
FILE_TYPES = {
    "pdf": "application/pdf",
    "txt": "text/plain; charset=utf-8",
    "csv": "text/csv; charset=utf-8",
    "zip": "application/zip",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
}
OFFICE_FOLDERS = {"xlsx": "xl/", "docx": "word/", "pptx": "ppt/"}


def _unsupported() -> ContentError:
    return field_error(
        "attachments",
        _(
            "This file type is not accepted. Attach an image (JPEG, PNG, GIF, WebP) "
            "or a PDF, TXT, CSV, XLSX, DOCX, PPTX or ZIP file."
        ),
        "unsupported_type",
    )


def _reencode_image(data: bytes) -> tuple[bytes, str, str]:
    """Re-encode the pixels so nothing but the picture survives (no scripts, no metadata)."""
    try:
        with Image.open(io.BytesIO(data)) as probe:
            detected = probe.format
            probe.verify()
        with Image.open(io.BytesIO(data)) as image:
            image.seek(0)
            keeps_alpha = image.mode in ("RGBA", "LA", "P") and detected in ("PNG", "GIF", "WEBP")
            picture = image.convert("RGBA" if keeps_alpha else "RGB")
    except (UnidentifiedImageError, OSError, SyntaxError, Image.DecompressionBombError) as error:
        raise _unsupported() from error
    if detected not in IMAGE_FORMATS:
        raise _unsupported()
    picture.thumbnail((MAX_IMAGE_SIDE, MAX_IMAGE_SIDE))
    buffer = io.BytesIO()
    if keeps_alpha:
        picture.save(buffer, format="PNG", optimize=True)
        return buffer.getvalue(), "png", "image/png"
    picture.save(buffer, format="JPEG", quality=85, optimize=True)
    return buffer.getvalue(), "jpg", "image/jpeg"


def _check_file_bytes(data: bytes, extension: str) -> None:
    """The bytes must be what the extension says; the name alone proves nothing."""
    if extension == "pdf":
        valid = data.startswith(b"%PDF-")
    elif extension in ("txt", "csv"):
        valid = b"\x00" not in data and _decodes(data)
    else:
        valid = data.startswith(b"PK\x03\x04") and _zip_has(data, OFFICE_FOLDERS.get(extension))
    if not valid:
        raise field_error(
            "attachments",
            _("The file's contents do not match its type (.%(extension)s).")
            % {"extension": extension},
            "content_mismatch",
        )


def _decodes(data: bytes) -> bool:
    for encoding in ("utf-8", "cp932"):  # cp932: CSV files saved by Japanese Excel
        try:
            data.decode(encoding)
        except UnicodeDecodeError:
            continue
        return True
    return False


def _zip_has(data: bytes, folder: str | None) -> bool:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = archive.namelist()
    except zipfile.BadZipFile:
        return False
    if folder is None:
        return True
    return "[Content_Types].xml" in names and any(name.startswith(folder) for name in names)


def prepare_attachment(upload: UploadedFile) -> PreparedAttachment:
    """Check an upload's size and real type; re-encode images. Raises ContentError with a reason."""
    name = PurePath(upload.name or "file").name[:255]
    if upload.size is None or upload.size > MAX_ATTACHMENT_BYTES:
        raise field_error(
            "attachments",
            _("%(name)s is larger than 10 MB.") % {"name": name},
            "too_large",
        )
    data = upload.read()
    if len(data) > MAX_ATTACHMENT_BYTES:
        raise field_error(
            "attachments", _("%(name)s is larger than 10 MB.") % {"name": name}, "too_large"
        )
    if not data:
        raise field_error("attachments", _("%(name)s is empty.") % {"name": name}, "empty")
    extension = PurePath(name).suffix.lower().lstrip(".")
    if extension in ("jpg", "jpeg", "png", "gif", "webp"):
        content, stored_extension, content_type = _reencode_image(data)
        return PreparedAttachment(content, name, stored_extension, content_type, True)
    if extension not in FILE_TYPES:
        raise _unsupported()
    _check_file_bytes(data, extension)
    return PreparedAttachment(data, name, extension, FILE_TYPES[extension], False)


def prepare_attachments(uploads: Sequence[UploadedFile]) -> list[PreparedAttachment]:
    """Check a composer's uploads, at most MAX_ATTACHMENTS of them, before anything is written."""
    if len(uploads) > MAX_ATTACHMENTS:
        raise field_error(
            "attachments",
            _("Attach at most %(limit)d files.") % {"limit": MAX_ATTACHMENTS},
            "too_many",
        )
    return [prepare_attachment(upload) for upload in uploads]


def store_attachment(
    prepared: PreparedAttachment, *, uploader: Member, post: Post | None, answer: Answer | None
) -> Attachment:
    """Save a checked upload on a post or answer; the caller owns the transaction."""
    # A random stored name: the address of a file in a private space cannot be guessed.
    stored_name = f"{uuid.uuid4().hex}.{prepared.extension}"
    attachment = Attachment(
        post=post,
        answer=answer,
        uploaded_by=uploader,
        original_name=prepared.original_name,
        content_type=prepared.content_type,
        size=len(prepared.content),
        is_image=prepared.is_image,
    )
    attachment.file.save(stored_name, ContentFile(prepared.content), save=False)
    attachment.save()
    return attachment


def add_attachment(
    *,
    uploader: Viewer,
    upload: UploadedFile,
    post: Post | None = None,
    answer: Answer | None = None,
) -> Attachment:
    """Attach a file or image to a post or answer its uploader may edit."""
    if not is_signed_in(uploader):
        raise PermissionDenied("sign_in")
    if (post is None) == (answer is None):
        raise ValueError("attach to exactly one of post or answer")
    if answer is not None:
        if not can_edit_answer(uploader, answer):
            raise PermissionDenied("edit_answer")
    elif post is not None and not can_edit_post(uploader, post):
        raise PermissionDenied("edit_post")
    target_post = post if post is not None else answer.post  # type: ignore[union-attr]
    prepared = prepare_attachment(upload)
    existing = (
        Attachment.objects.filter(post=post) if post else Attachment.objects.filter(answer=answer)
    )
    if existing.count() >= MAX_ATTACHMENTS:
        raise field_error(
            "attachments",
            _("Attach at most %(limit)d files.") % {"limit": MAX_ATTACHMENTS},
            "too_many",
        )
    with transaction.atomic():
        attachment = store_attachment(prepared, uploader=uploader, post=post, answer=answer)
        thread_changed(target_post.pk)
    return attachment
