import pytest

from kizuna.gamification.migrations import _defaults


@pytest.fixture(autouse=True)
def _default_levels(db: None) -> None:
    """Levels come from a data migration, which a transactional test elsewhere may have flushed."""
    _defaults.ensure_defaults()
