"""Settings for the test suite: the normal settings with CIVICGRID_TESTING on
(in-process jobs, fast password hashing, static files found without collectstatic)."""

import os

os.environ["CIVICGRID_TESTING"] = "1"
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

from civicgrid.settings import *  # noqa: F403

INSTALLED_APPS = [*INSTALLED_APPS, "civicgrid.testing"]  # noqa: F405

# Uploaded files of the test run go to a throw-away directory.
import tempfile  # noqa: E402

MEDIA_ROOT = tempfile.mkdtemp(prefix="civicgrid-test-media-")
STORAGES = {**STORAGES, "default": {**STORAGES["default"], "OPTIONS": {"location": MEDIA_ROOT}}}  # noqa: F405
STATIC_ROOT = tempfile.mkdtemp(prefix="civicgrid-test-static-")  # whitenoise warns when it is missing
