from django.apps import AppConfig


class TestingConfig(AppConfig):
    """Models that exist only in the test database, to test kernel mechanisms."""

    name = "civicgrid.testing"
    label = "testing"
