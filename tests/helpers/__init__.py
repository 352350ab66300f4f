"""What the tests share: building and serving sites, records, fake upstream servers,
the browser harness and the seeded corpus (their asserts are rewritten: tests/conftest.py)."""
