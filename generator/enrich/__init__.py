"""Enrichment: facts from GitHub, GitLab, Forgejo, Bitbucket and PyPI, fetched nightly.

`djp enrich` (`command.py`) runs `runner.run_enrichment`, which writes one JSON file
per package to `content/enriched/<id>.json` (`store.py`, atomic) and keeps ETags and
error counts in one state file (`state.py`). Fetchers: `github.py` (GraphQL batches),
`forge.py` (the REST flow shared by `gitlab.py`, `forgejo.py`, `bitbucket.py` and
token-less GitHub), `pypi.py`; all through `client.HostClient` (retries, budget, rate
limits). `series.py`, `hosts.py` and the parsers are pure.
"""

from .command import enrich
from .runner import Options, Summary, merge_document, run_enrichment

__all__ = ["Options", "Summary", "enrich", "merge_document", "run_enrichment"]
