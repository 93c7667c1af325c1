from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from PIL import Image

from kizuna.identity.models import Member
from kizuna.identity.tests.factories import MemberFactory
from kizuna.identity.tests.images import (
    SECRET_CAMERA,
    image_upload,
    jpeg_with_metadata,
    oversized_png,
    text_renamed_png,
)

pytestmark = pytest.mark.django_db
URL = reverse("identity:profile-edit")


def profile_data(**overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "display_name": "山田 花子",
        "bio": "経理部で請求業務を担当しています。",
        "company_name": "株式会社サンプル",
        "job_role": "経理マネージャー",
        "interests": "請求書発行、API連携, 請求書発行",
        "language": "ja",
        "time_zone": "Asia/Tokyo",
    }
    data.update(overrides)
    return data


def signed_in(client: Client, **fields: Any) -> Member:
    member: Member = MemberFactory(**fields)
    client.force_login(member)
    return member


def test_anonymous_visitor_is_sent_to_sign_in(client: Client) -> None:
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_form_is_prefilled_with_the_members_profile(client: Client) -> None:
    signed_in(client, display_name="佐藤", job_role="CTO")
    response = client.get(URL)
    assert response.status_code == 200
    assert response.context["form"].initial["display_name"] == "佐藤"
    assert response.context["form"].initial["job_role"] == "CTO"
    assert b"csrfmiddlewaretoken" in response.content


def test_saves_profile_and_interests_then_shows_the_profile(client: Client) -> None:
    member = signed_in(client)
    response = client.post(URL, profile_data())
    assert response.status_code == 302
    assert response["Location"] == reverse("identity:member-profile", args=[member.pk])
    member.refresh_from_db()
    assert member.display_name == "山田 花子"
    assert member.job_role == "経理マネージャー"
    assert [i.name for i in member.interests.order_by("pk")] == ["請求書発行", "API連携"]


def test_shows_completion_percent(client: Client) -> None:
    signed_in(client, bio="", company_name="", job_role="")
    response = client.get(URL)
    assert response.context["completion"]["percent"] == 0
    client.post(URL, profile_data())
    response = client.get(URL)
    assert response.context["completion"]["percent"] == 80  # everything but the photo


def test_photo_is_reencoded_without_its_metadata(client: Client) -> None:
    member = signed_in(client)
    response = client.post(URL, {**profile_data(), "photo": jpeg_with_metadata()})
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.photo
    with member.photo.open("rb") as stored:
        data = stored.read()
    assert SECRET_CAMERA.encode() not in data
    with member.photo.open("rb") as stored, Image.open(stored) as image:
        assert image.format == "JPEG"
        assert dict(image.getexif()) == {}


def test_png_photo_is_accepted_and_stored_as_jpeg(client: Client) -> None:
    member = signed_in(client)
    response = client.post(URL, {**profile_data(), "photo": image_upload("me.png")})
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.photo.name.endswith(".jpg")


@pytest.mark.parametrize(
    "make_upload", [text_renamed_png, oversized_png], ids=["text-renamed-png", "over-5mb"]
)
def test_rejected_photo_is_a_field_error_and_nothing_is_saved(
    client: Client, make_upload: Any
) -> None:
    member = signed_in(client, display_name="元の名前", bio="元の自己紹介")
    response = client.post(URL, {**profile_data(display_name="新しい名前"), "photo": make_upload()})
    assert response.status_code == 400
    form = response.context["form"]
    assert list(form.errors) == ["photo"]
    member.refresh_from_db()
    assert member.display_name == "元の名前"
    assert member.bio == "元の自己紹介"
    assert not member.photo
    assert member.interests.count() == 0
    # What the member typed is kept for them to fix the photo and send again.
    assert form["display_name"].value() == "新しい名前"


def test_gif_disguised_as_something_else_is_judged_by_its_bytes(client: Client) -> None:
    member = signed_in(client)
    upload = image_upload("photo.txt", image_format="GIF")
    response = client.post(URL, {**profile_data(), "photo": upload})
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.photo


def test_bmp_image_is_rejected_as_an_unaccepted_type(client: Client) -> None:
    member = signed_in(client)
    response = client.post(
        URL, {**profile_data(), "photo": image_upload("a.bmp", image_format="BMP")}
    )
    assert response.status_code == 400
    assert "photo" in response.context["form"].errors
    member.refresh_from_db()
    assert not member.photo


def test_remove_photo_clears_it(client: Client) -> None:
    member = signed_in(client)
    client.post(URL, {**profile_data(), "photo": image_upload()})
    member.refresh_from_db()
    assert member.photo
    response = client.post(URL, {**profile_data(), "remove_photo": "on"})
    assert response.status_code == 302
    member.refresh_from_db()
    assert not member.photo


def test_missing_display_name_and_too_many_interests_are_field_errors(client: Client) -> None:
    member = signed_in(client, display_name="元の名前")
    interests = ", ".join(f"関心{n}" for n in range(11))
    response = client.post(URL, profile_data(display_name="  ", interests=interests))
    assert response.status_code == 400
    assert set(response.context["form"].errors) == {"display_name", "interests"}
    member.refresh_from_db()
    assert member.display_name == "元の名前"


def test_unknown_time_zone_is_a_field_error(client: Client) -> None:
    signed_in(client)
    response = client.post(URL, profile_data(time_zone="Mars/Olympus"))
    assert response.status_code == 400
    assert list(response.context["form"].errors) == ["time_zone"]


def test_a_reading_typed_in_katakana_is_kept_in_hiragana(client: Client) -> None:
    member = signed_in(client)
    response = client.post(URL, profile_data(name_reading="ヤマダ　ハナコ"))
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.name_reading == "やまだ はなこ"


@pytest.mark.usefixtures("english")
def test_a_reading_in_kanji_is_refused_and_nothing_is_saved(client: Client) -> None:
    member = signed_in(client, display_name="佐藤", name_reading="さとう")
    response = client.post(URL, profile_data(name_reading="山田"))
    assert response.status_code == 400
    assert response.context["form"].errors["name_reading"] == [
        "Write the reading in hiragana or katakana only."
    ]
    member.refresh_from_db()
    assert (member.display_name, member.name_reading) == ("佐藤", "さとう")
