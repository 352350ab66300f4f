"""Helpers for the browser tests: a corpus generator and Playwright fixtures."""

import pytest

# The harness's helpers assert; let pytest explain their failures.
pytest.register_assert_rewrite("tests.browser.harness")
