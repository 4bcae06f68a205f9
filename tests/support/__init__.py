"""What the tests stand on: simulators, fakes, builders and helpers. Fixtures live in tests/conftest.py.

Test modules (and bench/) import from here only, never from each other or from conftest.
"""
