"""bench/run.py entry for the grid assignment benchmark (see bench/grid_assignment.py)."""

from bench.grid_assignment import run

__all__ = ["run"]
