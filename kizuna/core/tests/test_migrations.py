import pytest
from django.core.management import call_command


@pytest.mark.django_db
def test_models_and_migrations_agree() -> None:
    """A model change without its migration fails here, not on a user's database."""
    call_command("makemigrations", check=True, dry_run=True, verbosity=0)
