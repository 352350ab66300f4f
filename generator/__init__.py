"""Django Packages as files in git: load → validate → merge → derive → render → write.

`build` is the recipe, read top to bottom: it skips a build whose inputs did not
change (`incremental`), then runs the stages, one module each, in this order:

- `records` reads every file under `content/`; `validate` checks them against the
  schemas in `schemas/` and against each other, and makes the model (`model`), with
  the site's `settings` (site.yaml and the command line's overrides, normalised once);
- `enriched` reads the machine-written facts `djp enrich` (`enrich/`) fetched into
  `content/enriched/` (and is the format `enrich/` writes);
- `derive` adds score, weight, Python and Django support and readiness (renderers
  compute none of it);
- `render/`: `html` (with `markup` and `charts`), `api_v4`, `api_v3`, `badges`,
  `search`, `openapi`, `feeds` and `redirects` each turn the derived site into
  `{path: bytes}`, on every core (`parallel`), at the paths `urls` names (the one
  module that knows the URL scheme);
- `write` stages the files beside the output and swaps in only what changed.

Around the build: `cli` (the `djp` command), `serve`, `links`, `new`, `nightly`.
"""
