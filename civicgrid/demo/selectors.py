"""Reads for the demo: the demo accounts as they are in the database."""

from __future__ import annotations

from dataclasses import dataclass

from civicgrid.accounts.models import RoleAssignment
from civicgrid.demo.services import DEMO_USERNAMES


@dataclass
class DemoAccount:
    username: str
    full_name: str
    roles: list[tuple[str, str]]  # (role name, area name)


def demo_accounts() -> list[DemoAccount]:
    """The demo accounts that exist, in the documented order, with their active roles."""
    accounts: dict[str, DemoAccount] = {}
    assignments = (
        RoleAssignment.objects.active()
        .filter(user__username__in=DEMO_USERNAMES)
        .select_related("user", "role", "area")
        .order_by("area__code", "role__sort_order")
    )
    for assignment in assignments:
        user = assignment.user
        account = accounts.setdefault(user.username, DemoAccount(user.username, user.full_name, []))
        account.roles.append((assignment.role.name, assignment.area.name))
    return [accounts[name] for name in DEMO_USERNAMES if name in accounts]


def accounts_table(accounts: list[DemoAccount], password: str, headers: tuple[str, str, str, str]) -> list[str]:
    """Lines of a plain-text table (username, password, role, area), aligned for CJK text."""
    rows = [headers]
    for account in accounts:
        for index, (role, area) in enumerate(account.roles):
            first = index == 0
            rows.append((account.username if first else "", password if first else "", role, area))
    widths = [max(_width(row[col]) for row in rows) for col in range(3)]
    return ["  ".join(_pad(cell, widths[col]) for col, cell in enumerate(row[:3])) + "  " + row[3] for row in rows]


def _width(text: str) -> int:
    """Display width: CJK characters take two columns in a terminal."""
    return sum(2 if ord(ch) > 0x2E7F else 1 for ch in text)


def _pad(text: str, width: int) -> str:
    return text + " " * (width - _width(text))
