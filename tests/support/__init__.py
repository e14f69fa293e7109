"""Helpers the tests share: builders, fakes, one fake clock, `wait_until`, the emulators and whole worlds.

Imported as `tests.support.<module>`; the fixtures are registered for every test by tests/conftest.py.
No test module imports another test module: what two of them need lives here.
"""
