"""Fixtures shared by every test file."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import ExitStack
from typing import Any

import pytest

# The helpers assert; let pytest explain their failures (before they are imported).
pytest.register_assert_rewrite("tests.helpers")

from tests.helpers.support import served  # noqa: E402


@pytest.fixture
def serve() -> Iterator[Any]:
    """Start `djp serve` on a free loopback port; returns a function (root, prefix) → URL."""
    with ExitStack() as stack:
        yield lambda root, prefix="/": stack.enter_context(served(root, prefix))
