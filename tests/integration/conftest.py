"""The portal fixtures (`portal`, `portal_plain`, `uniq`) live in tests/portal_fixtures.py,
registered by tests/conftest.py, so that tests/integration and tests/browser share one
session portal."""
