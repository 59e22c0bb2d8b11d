"""Fixtures of the runtime tests: rewriting the metadata of a model archive (to make broken or tampered copies)."""

import json
import zipfile

import pytest


def _rewrite_metadata(source, target, change):
    """Copy a model archive with its metadata.json changed by ``change(dict)``; a valid archive again."""
    with zipfile.ZipFile(source) as src, zipfile.ZipFile(target, "w") as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename.endswith("/extra/metadata.json"):
                values = json.loads(data)
                change(values)
                data = json.dumps(values).encode()
            dst.writestr(item, data)


@pytest.fixture
def rewrite_metadata():
    """``rewrite_metadata(source, target, change)``: copy a model archive with ``change(metadata_dict)`` applied."""
    return _rewrite_metadata
