"""The OpenAPI document: a real file (Sources/HooklineHTTP/OpenAPI/openapi.json) that a real validator accepts,
embedded in the binary and served byte for byte at /api/v1/openapi.json without authentication."""

import json
from pathlib import Path

import requests
from openapi_spec_validator import validate
from openapi_spec_validator.readers import read_from_filename

DOCUMENT = Path(__file__).resolve().parent.parent / "Sources" / "HooklineHTTP" / "OpenAPI" / "openapi.json"


def test_openapi_file_is_a_valid_openapi_3_1_document():
    spec, _ = read_from_filename(str(DOCUMENT))
    assert spec["openapi"] == "3.1.0"
    validate(spec)  # raises OpenAPIValidationError, naming the offending part, when the document is invalid


def test_openapi_file_has_no_duplicate_keys():
    # json.loads keeps the last of two equal keys silently; a duplicated path or schema would hide an operation.
    def refuse_duplicates(pairs):
        keys = [key for key, _ in pairs]
        duplicates = sorted({key for key in keys if keys.count(key) > 1})
        assert not duplicates, f"duplicate keys in openapi.json: {duplicates}"
        return dict(pairs)

    json.loads(DOCUMENT.read_text(encoding="utf-8"), object_pairs_hook=refuse_duplicates)


def test_binary_serves_the_file_byte_for_byte(server):
    reply = requests.get(f"{server.url}/api/v1/openapi.json", timeout=10)
    assert reply.status_code == 200
    assert reply.headers["content-type"] == "application/json"
    assert reply.content == DOCUMENT.read_bytes(), "the served document differs from the file (is the binary stale?)"
