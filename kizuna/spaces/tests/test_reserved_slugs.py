import pytest
from django.core.exceptions import ValidationError

from kizuna.identity.tests.factories import StaffFactory
from kizuna.spaces.models import AccessType, Space
from kizuna.spaces.services import RESERVED_SLUGS, create_space, update_space
from kizuna.spaces.tests.factories import SpaceFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

FIELDS = {
    "name": "New",
    "purpose": "目的",
    "rules": "ルール",
    "access_type": AccessType.OPEN,
}


def test_reserved_slugs_are_the_spaces_pages_own_addresses() -> None:
    assert frozenset({"new", "invitations"}) == RESERVED_SLUGS


@pytest.mark.parametrize("slug", sorted(RESERVED_SLUGS))
def test_create_space_refuses_a_reserved_slug(slug: str) -> None:
    with pytest.raises(ValidationError) as raised:
        create_space(actor=StaffFactory(), slug=slug, **FIELDS)
    assert raised.value.message_dict == {
        "slug": ["This address is used by the site itself. Choose another one."]
    }
    assert not Space.objects.exists()


def test_create_space_refuses_a_name_that_slugifies_to_a_reserved_slug() -> None:
    with pytest.raises(ValidationError):
        create_space(actor=StaffFactory(), **{**FIELDS, "name": "Invitations"})
    assert not Space.objects.exists()


def test_update_space_refuses_a_reserved_slug_and_keeps_the_old_one() -> None:
    space: Space = SpaceFactory(slug="kept")
    with pytest.raises(ValidationError):
        update_space(actor=StaffFactory(), space=space, slug="new")
    space.refresh_from_db()
    assert space.slug == "kept"
