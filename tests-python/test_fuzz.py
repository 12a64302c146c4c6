"""Fuzz the API with schemathesis against the OpenAPI document Hookline serves: no 5xx, no crash."""

import subprocess
import sys
from pathlib import Path

import requests

from conftest import wait_until


def test_schemathesis_finds_no_server_errors(server):
    st = Path(sys.executable).with_name("st")
    command = [
        str(st), "run", f"{server.url}/api/v1/openapi.json",
        "-H", f"Authorization: Bearer {server.api_key}",
        "--checks", "not_a_server_error",
        "--phases", "examples,fuzzing",
        "--max-examples", "25",
        "--workers", "1",
        "--seed", "1",
        "--request-timeout", "5",
        # The event streams never end by design; they have their own tests.
        "--exclude-path-regex", "/stream$",
    ]
    result = subprocess.run(command, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stdout[-6000:] + result.stderr[-2000:]
    assert "passed" in result.stdout
    # The server is still up and healthy after the fuzzing.
    assert requests.get(f"{server.url}/api/v1/health", timeout=5).status_code == 200
    assert server.process.proc.poll() is None


# --------------------------------------------------------------------------------------------
# Svix's own OpenAPI document (tests-python/svix-spec, see its README) against a live Hookline
# --------------------------------------------------------------------------------------------

SVIX_SPEC = Path(__file__).resolve().parent / "svix-spec" / "openapi.json"
SVIX_OPERATIONS = 41


def _svix_spec_with_path_parameters(target: Path) -> int:
    """Writes Svix's document to `target`, adding the path parameters a few of its operations forget to declare.

    (`GET/DELETE/PATCH /api/v1/app/{app_id}` and `GET …/msg` name `{app_id}` in the path without a parameter;
    schemathesis refuses such operations.) Returns how many operations the document has (HEAD not counted)."""
    import json

    spec = json.loads(SVIX_SPEC.read_text())
    count = 0
    for path, operations in spec["paths"].items():
        names = [segment[1:-1] for segment in path.split("/") if segment.startswith("{")]
        for method, operation in operations.items():
            if method not in ("get", "post", "put", "patch", "delete", "head"):
                continue
            count += method != "head"
            declared = {p.get("name") for p in operation.get("parameters", []) if p.get("in") == "path"}
            for name in names:
                if name not in declared:
                    operation.setdefault("parameters", []).append(
                        {"in": "path", "name": name, "required": True, "schema": {"type": "string", "pattern": "^[a-zA-Z0-9\\-_.]+$"}})
    target.write_text(json.dumps(spec))
    return count


def _seed_svix_objects(server, receiver) -> dict:
    """An application, endpoint, event type and delivered message with ids Svix's path parameters can name."""
    headers = server.auth_headers()
    api = f"{server.url}/api/v1"
    requests.post(f"{api}/event-type", headers=headers, timeout=5, json={
        "name": "conf.type", "description": "conformance", "schemas": {"1": {"type": "object", "examples": [{"n": 1}]}}})
    app = requests.post(f"{api}/app", headers=headers, timeout=5, json={"name": "conformance", "uid": "conf-app"}).json()
    endpoint = requests.post(f"{api}/app/{app['id']}/endpoint", headers=headers, timeout=5, json={
        "url": receiver.url + "/hook", "uid": "conf-ep", "channels": ["c1"]}).json()
    message = requests.post(f"{api}/app/{app['id']}/msg", headers=headers, timeout=5, json={
        "eventType": "conf.type", "eventId": "conf-msg", "payload": {"n": 1}, "channels": ["c1"]}).json()
    receiver.wait_for(1)
    attempts = wait_until(
        lambda: requests.get(f"{api}/app/{app['id']}/attempt/msg/{message['id']}", headers=headers, timeout=5).json()["data"],
        timeout=10, what="the seeded message's attempt")
    return {"app_id": app["id"], "endpoint_id": endpoint["id"], "msg_id": message["id"], "attempt_id": attempts[0]["id"],
            "event_type_name": "conf.type"}


def _schemathesis(server, spec: Path, tmp_path: Path, name: str, parameters: dict, extra: list) -> subprocess.CompletedProcess:
    config = tmp_path / f"{name}.toml"
    lines = ["[parameters]"] + [f'"path.{key}" = "{value}"' for key, value in parameters.items()]
    config.write_text("\n".join(lines) + "\n")
    st = Path(sys.executable).with_name("st")
    command = [
        str(st), "--config-file", str(config), "run", str(spec), "--url", server.url,
        "-H", f"Authorization: Bearer {server.api_key}",
        "--checks", "not_a_server_error,response_schema_conformance",
        "--phases", "examples,fuzzing", "--max-examples", "15", "--workers", "1", "--seed", "1", "--request-timeout", "5",
    ] + extra
    return subprocess.run(command, capture_output=True, text=True, timeout=600)


def test_svix_openapi_conformance(server, receiver, tmp_path):
    """Svix's spec, all operations: no 5xx and every documented response in Svix's schema.

    Two bounded runs: one with path parameters naming real objects (so answers carry real endpoints, messages and
    attempts; the deletes of the seeded application and endpoint are left to the second run), one with generated
    identifiers (missing objects, every delete, error shapes)."""
    spec = tmp_path / "svix-openapi.json"
    assert _svix_spec_with_path_parameters(spec) == SVIX_OPERATIONS
    ids = _seed_svix_objects(server, receiver)
    seeded = _schemathesis(server, spec, tmp_path, "seeded", ids, [
        "--exclude-method", "DELETE"])
    print(seeded.stdout[-1200:])
    assert seeded.returncode == 0, seeded.stdout[-8000:] + seeded.stderr[-2000:]
    assert f"Tested: {SVIX_OPERATIONS + 2 - 5}" in seeded.stdout  # the 5 DELETEs excluded, every other operation tested
    generated = _schemathesis(server, spec, tmp_path, "generated", {}, [])
    print(generated.stdout[-1200:])
    assert generated.returncode == 0, generated.stdout[-8000:] + generated.stderr[-2000:]
    assert f"Selected: {SVIX_OPERATIONS + 2}/{SVIX_OPERATIONS + 2}" in generated.stdout  # + HEAD /health, HEAD /health/ping
    assert f"Tested: {SVIX_OPERATIONS + 2}" in generated.stdout
    assert requests.get(f"{server.url}/api/v1/health", timeout=5).status_code == 200
    assert server.process.proc.poll() is None


def test_served_document_marks_exactly_the_hookline_extensions(server):
    """Every Svix operation is in the served document unmarked; every other operation is `x-hookline-extension`."""
    import json
    import re

    def operations(document):
        return {
            (method, re.sub(r"\{[^}]+\}", "{}", path)): operation
            for path, item in document["paths"].items()
            for method, operation in item.items()
            if method in ("get", "head", "post", "put", "patch", "delete")
        }

    served = operations(requests.get(f"{server.url}/api/v1/openapi.json", timeout=5).json())
    svix = operations(json.loads(SVIX_SPEC.read_text()))
    assert set(svix) <= set(served), sorted(set(svix) - set(served))
    marked = {key for key, operation in served.items() if operation.get("x-hookline-extension") is True}
    assert marked == set(served) - set(svix), (sorted(marked - (set(served) - set(svix))), sorted(set(served) - set(svix) - marked))
    assert len(marked) >= 10  # sources, streams, status, readiness, … (checked against Svix's list above)
