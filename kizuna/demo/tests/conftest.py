from collections.abc import Iterator

import pytest
from django.db import transaction
from django.test import override_settings
from pytest_django import DjangoDbBlocker

from kizuna.demo.community import load_demo_community


@pytest.fixture(scope="module")
def demo(
    django_db_setup: None,
    django_db_blocker: DjangoDbBlocker,
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[None]:
    """The demo community with seed 7, loaded once for the module that reads it.

    It is loaded inside a transaction rolled back when the module ends, and each test runs in
    a savepoint of it, so what one test writes is gone before the next. A module that loads
    the demo itself (another seed, a second load) must not use this fixture: the community
    stays loaded until the module's last test.
    """
    # Any file the load writes goes to a folder of this module, never the developer's var/media.
    media = override_settings(MEDIA_ROOT=str(tmp_path_factory.mktemp("media")))
    with media, django_db_blocker.unblock(), transaction.atomic():
        assert load_demo_community(seed=7) is not None
        yield
        transaction.set_rollback(True)
