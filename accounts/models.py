from django.contrib.auth.models import AbstractUser


class User(AbstractUser):
    """A forecaster. Its id is part of every ledger hash, so it never changes."""
