"""Shared pytest fixtures live in civicgrid/testing/fixtures.py."""

pytest_plugins = ["civicgrid.testing.fixtures"]
