"""Readiness derivations: what counts as declaring support for a release."""

from __future__ import annotations

from dataclasses import replace

import pytest

from generator.derive import (
    DJANGO_CLASSIFIER,
    PYTHON_CLASSIFIER,
    classifier_versions,
    django_support,
    python_support,
)
from generator.model import PypiFacts


class View:
    """Just the fields the support rules read (a PackageView has many more)."""

    def __init__(self, pypi: PypiFacts | None) -> None:
        self.pypi = pypi
        self.django_versions = classifier_versions(pypi, DJANGO_CLASSIFIER)
        self.python_versions = classifier_versions(pypi, PYTHON_CLASSIFIER)


BASE = PypiFacts(version="1.0")


@pytest.mark.parametrize(
    ("pypi", "release", "expected"),
    [
        (None, "3.12", None),
        (BASE, "3.12", None),
        (replace(BASE, classifiers=(f"{PYTHON_CLASSIFIER}3",)), "3.12", None),
        (replace(BASE, classifiers=(f"{PYTHON_CLASSIFIER}3.12",)), "3.12", True),
        (replace(BASE, classifiers=(f"{PYTHON_CLASSIFIER}3.11",)), "3.12", False),
        (replace(BASE, requires_python=">=3.10"), "3.12", True),
        (replace(BASE, requires_python=">=3.13"), "3.12", False),
        (replace(BASE, requires_python="<3"), "3.12", False),
        (replace(BASE, requires_python="not a spec"), "3.12", None),
        # requires_python excludes it: the classifier does not overrule that.
        (
            replace(BASE, requires_python=">=3.13", classifiers=(f"{PYTHON_CLASSIFIER}3.12",)),
            "3.12",
            False,
        ),
    ],
)
def test_python_support(pypi: PypiFacts | None, release: str, expected: bool | None) -> None:
    assert python_support(View(pypi), release) is expected  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("classifiers", "expected"),
    [
        ((), None),
        (("Framework :: Django",), None),
        ((f"{DJANGO_CLASSIFIER}4.2", f"{DJANGO_CLASSIFIER}5.0"), True),
        ((f"{DJANGO_CLASSIFIER}4.2",), False),
    ],
)
def test_django_support(classifiers: tuple[str, ...], expected: bool | None) -> None:
    view = View(replace(BASE, classifiers=classifiers))
    assert django_support(view, "5.0") is expected  # type: ignore[arg-type]
