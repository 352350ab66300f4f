"""Enrichment: facts from GitHub, GitLab, Forgejo, Bitbucket and PyPI, fetched nightly.

`djp enrich` (`command.py`) reads the flags (`options.py`) and the environment
(`endpoints.py`, once) and runs `runner.run_enrichment`, which writes one JSON file
per package to `content/enriched/<id>.json` (`store.py`, atomic) and keeps ETags and
error counts in one state file (`state.py`). Fetchers: `github.py` (GraphQL batches),
`forge.py` (the REST flow shared by `gitlab.py`, `forgejo.py`, `bitbucket.py` and
token-less GitHub), `pypi.py`; all through `client.HostClient` (retries, budget, rate
limits). `series.py`, `hosts.py`, `merge.py` and the parsers are pure;
`summary.py` reports the run.
"""

from .command import enrich
from .endpoints import Endpoints
from .merge import merge_document
from .options import Options
from .runner import run_enrichment
from .summary import Summary

__all__ = ["Endpoints", "Options", "Summary", "enrich", "merge_document", "run_enrichment"]
