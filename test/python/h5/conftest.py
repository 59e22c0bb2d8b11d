"""Fixtures of the ``h5`` tests: opening the TRIQS-written archives (found by ``test/python/conftest.py``)."""

from __future__ import annotations

import pytest

from triqs_nnsolver.h5 import HDFArchive


@pytest.fixture
def open_fixture(fixture_paths):
    """Factory: ``open_fixture('cthyb')`` opens that archive read-only; all are closed after the test."""
    opened = []

    def open_archive(short_name: str) -> HDFArchive:
        archive = HDFArchive(fixture_paths[short_name], "r")
        opened.append(archive)
        return archive

    yield open_archive
    for archive in opened:
        archive.close()
