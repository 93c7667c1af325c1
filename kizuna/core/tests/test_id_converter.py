import pytest
from django.urls import Resolver404, resolve, reverse

from kizuna.core.numbers import DATABASE_INTEGER_MAX


@pytest.mark.parametrize(
    "path",
    [
        f"/members/{DATABASE_INTEGER_MAX + 1}/",
        "/members/99999999999999999999/",
        "/members/0/",
        f"/staff/accounts/{DATABASE_INTEGER_MAX + 1}/members/1/unlink/",
        f"/staff/accounts/1/members/{DATABASE_INTEGER_MAX + 1}/unlink/",
    ],
)
def test_an_id_outside_the_database_range_matches_no_page(path: str) -> None:
    with pytest.raises(Resolver404):
        resolve(path)


def test_an_id_within_the_range_resolves_to_the_number() -> None:
    path = reverse("identity:member-profile", args=[DATABASE_INTEGER_MAX])
    assert resolve(path).kwargs == {"pk": DATABASE_INTEGER_MAX}
