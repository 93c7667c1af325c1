import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from kizuna.content.attachments import add_attachment
from kizuna.content.tests.factories import PostFactory
from kizuna.customers.tests.factories import make_customer
from kizuna.identity.tests.factories import MemberFactory
from kizuna.spaces.models import AccessType
from kizuna.spaces.tests.factories import MembershipFactory, SpaceFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def test_file_downloads_with_safe_headers(client: Client) -> None:
    post = PostFactory()
    attachment = add_attachment(
        uploader=post.author, post=post, upload=SimpleUploadedFile("手順.pdf", b"%PDF-1.7 x")
    )
    response = client.get(reverse("content:attachment-download", args=[attachment.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"].startswith("attachment;")


def test_attachment_of_private_post_is_not_found_for_outsiders(client: Client) -> None:
    space = SpaceFactory(access_type=AccessType.PRIVATE)
    author = make_customer()
    MembershipFactory(space=space, member=author)
    post = PostFactory(space=space, author=author)
    attachment = add_attachment(
        uploader=post.author, post=post, upload=SimpleUploadedFile("a.pdf", b"%PDF-1.7 x")
    )
    client.force_login(MemberFactory())
    assert (
        client.get(reverse("content:attachment-download", args=[attachment.pk])).status_code == 404
    )
