from django.db import models

from civicgrid.areas.models import Area
from civicgrid.core.scoping import ScopedQuerySet
from civicgrid.core.workflow import WorkflowFields


class Ticket(WorkflowFields):
    """A minimal workflow-driven record for the kernel's own tests."""

    area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="+")
    title = models.CharField(max_length=100)

    objects = ScopedQuerySet.as_manager()

    def __str__(self) -> str:
        return self.title
