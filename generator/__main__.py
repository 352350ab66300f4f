"""`python -m generator` is the same as the `djp` command."""

from .cli import main

main()
