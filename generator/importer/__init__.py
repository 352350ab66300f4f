"""`djp import`: the catalogue of a djangopackages-compatible API v4, as a content tree.

Read top to bottom: `fetch` walks the API's paginated lists at the edge (polite, retried,
resumable from a page cache), `mapping` turns each API document into the record and the
enrichment this project keeps (pure functions), and `tree` merges them by id into a
content folder, writing each file atomically and leaving edits made here alone.
"""
