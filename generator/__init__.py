"""Django Packages as files in git: load → validate → merge → derive → render → write.

The stages, one module each, in the order `build.build_site` runs them:
`records` (read files) → `validate` (check, make model objects) → `enrichment` (machine
facts) → `derive` (score, weight, support) → `render_html`, `render_api`, `render_feeds`
(bytes per output path) → `write` (atomic, unchanged files untouched).
"""
