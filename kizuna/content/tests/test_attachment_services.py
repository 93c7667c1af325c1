import io
import zipfile

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from kizuna.content import attachments, services
from kizuna.content.models import Attachment
from kizuna.content.tests.factories import PostFactory
from kizuna.content.validation import ContentError
from kizuna.identity.tests.factories import MemberFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def _png(size: tuple[int, int] = (20, 10)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, "red").save(buffer, format="PNG")
    return buffer.getvalue()


def _docx() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<document/>")
    return buffer.getvalue()


def _message(error: ContentError) -> list[str]:
    return error.message_dict["attachments"]


def test_image_is_reencoded_and_stored_under_a_random_name() -> None:
    post = PostFactory()
    attachment = attachments.add_attachment(
        uploader=post.author, post=post, upload=SimpleUploadedFile("画面.png", _png())
    )
    assert (attachment.is_image, attachment.original_name, attachment.content_type) == (
        True,
        "画面.png",
        "image/jpeg",
    )
    assert "画面" not in attachment.file.name
    with Image.open(attachment.file) as stored:
        assert (stored.format, stored.size) == ("JPEG", (20, 10))


def test_pdf_is_accepted_by_its_bytes() -> None:
    prepared = attachments.prepare_attachment(SimpleUploadedFile("手順.pdf", b"%PDF-1.7\n..."))
    assert (prepared.content_type, prepared.is_image) == ("application/pdf", False)


def test_docx_needs_the_office_structure() -> None:
    assert attachments.prepare_attachment(SimpleUploadedFile("a.docx", _docx())).extension == "docx"


def test_shift_jis_csv_is_accepted() -> None:
    data = "名前,数\n請求,3\n".encode("cp932")
    assert attachments.prepare_attachment(SimpleUploadedFile("a.csv", data)).extension == "csv"


def test_renamed_executable_is_refused() -> None:
    with pytest.raises(ContentError) as error:
        attachments.prepare_attachment(SimpleUploadedFile("report.pdf", b"MZ\x90\x00binary"))
    assert _message(error.value) == ["The file's contents do not match its type (.pdf)."]


def test_html_file_is_refused() -> None:
    with pytest.raises(ContentError) as error:
        attachments.prepare_attachment(SimpleUploadedFile("x.html", b"<script>alert(1)</script>"))
    assert error.value.error_dict["attachments"][0].code == "unsupported_type"


def test_svg_named_png_is_refused() -> None:
    svg = b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>'
    with pytest.raises(ContentError) as error:
        attachments.prepare_attachment(SimpleUploadedFile("x.png", svg))
    assert error.value.error_dict["attachments"][0].code == "unsupported_type"


def test_file_over_ten_megabytes_is_refused() -> None:
    upload = SimpleUploadedFile("big.txt", b"a" * (10 * 1024 * 1024 + 1))
    with pytest.raises(ContentError) as error:
        attachments.prepare_attachment(upload)
    assert _message(error.value) == ["big.txt is larger than 10 MB."]


def test_other_members_cannot_attach_to_a_post() -> None:
    post = PostFactory()
    with pytest.raises(PermissionDenied):
        attachments.add_attachment(
            uploader=MemberFactory(), post=post, upload=SimpleUploadedFile("a.png", _png())
        )
    assert Attachment.objects.count() == 0


def test_a_bad_attachment_stops_the_whole_post() -> None:
    post_count_before = PostFactory._meta.model.objects.count()
    with pytest.raises(ContentError):
        services.create_post(
            author=MemberFactory(),
            space=PostFactory().space,
            post_type="question",
            title="添付付き",
            body="本文",
            attachments=[SimpleUploadedFile("a.exe", b"MZ")],
        )
    assert PostFactory._meta.model.objects.count() == post_count_before + 1  # only the factory's
    assert Attachment.objects.count() == 0
