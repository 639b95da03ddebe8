"""Test-wide setup: the TESTING switch must be set before settings load."""

import os

os.environ.setdefault("CIVICGRID_TESTING", "1")
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

pytest_plugins = ["civicgrid.testing.fixtures"]
