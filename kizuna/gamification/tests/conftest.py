import pytest

from kizuna.gamification.migrations import _defaults


@pytest.fixture(autouse=True)
def _default_rules_and_levels(request: pytest.FixtureRequest) -> None:
    """Restore the migration's default rules and levels, which a transactional test's flush removes."""
    marker = request.node.get_closest_marker("django_db")
    if marker is None:
        return
    transactional = marker.kwargs.get("transaction", False)
    request.getfixturevalue("transactional_db" if transactional else "db")
    _defaults.ensure_defaults()
