"""The Svix parity operations (issue 14) driven through whichever `svix` SDK is importable.

`test_sdk_svix2.py` runs these with the current 2.x SDK of the test venv; `test_sdk_svix1.py` runs them with the
last 1.x release in a separate process. Only SDK calls touch Hookline here, never raw HTTP.
"""

from __future__ import annotations

import json
import uuid

import pytest
import svix
import svix.webhooks
from svix.api import (
    ApplicationIn,
    EndpointIn,
    EventExampleIn,
    EventTypeDeleteOptions,
    EventTypeIn,
    EventTypeListOptions,
    EventTypePatch,
    MessageAttemptListAttemptedMessagesOptions,
    MessageIn,
    MessageGetOptions,
    MessageStatus,
    Svix,
    SvixOptions,
)
from svix.exceptions import HttpError

from conftest import wait_until

MAJOR = int(svix.__version__.split(".")[0])


def _uid(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:10]}"


def _client(server) -> Svix:
    return Svix(server.api_key, SvixOptions(server_url=server.url))


def _upsert(client, name: str, description: str, **fields):
    """PUT /event-type/{name}: `upsert` with `EventTypeUpsertIn` in 2.x, `update` with `EventTypeUpdate` in 1.x."""
    if MAJOR >= 2:
        from svix.api import EventTypeUpsertIn

        return client.event_type.upsert(name, EventTypeUpsertIn(description=description, **fields))
    from svix.api import EventTypeUpdate

    return client.event_type.update(name, EventTypeUpdate(description=description, **fields))


def event_type_lifecycle(server) -> None:
    client = _client(server)
    name = _uid("parity.type")
    schemas = {"1": {"type": "object", "examples": [{"invoice": 7}]}}
    created = client.event_type.create(EventTypeIn(name=name, description="made", schemas=schemas, deprecated=True))
    assert created.name == name and created.deprecated is True and created.schemas == schemas and created.archived is False
    with pytest.raises(HttpError) as conflict:
        client.event_type.create(EventTypeIn(name=name, description="again"))
    assert conflict.value.status_code == 409

    updated = _upsert(client, name, "changed", deprecated=False)
    assert updated.description == "changed" and updated.deprecated is False and updated.schemas is None
    fresh = _uid("parity.put")
    assert _upsert(client, fresh, "made by PUT").name == fresh  # PUT creates a missing type (upsert)
    patched = client.event_type.patch(name, EventTypePatch(description="patched", feature_flags=["beta-1"]))
    assert patched.description == "patched" and patched.feature_flags == ["beta-1"]

    client.event_type.delete(name)  # archives
    assert client.event_type.get(name).archived is True
    listed = [t.name for t in client.event_type.list().data]
    everything = client.event_type.list(EventTypeListOptions(include_archived=True, with_content=True)).data
    assert name not in listed and fresh in listed
    assert name in [t.name for t in everything]
    revived = client.event_type.create(EventTypeIn(name=name, description="back"))
    assert revived.archived is False and revived.description == "back"

    client.event_type.delete(fresh, EventTypeDeleteOptions(expunge=True))
    with pytest.raises(HttpError) as gone:
        client.event_type.get(fresh)
    assert gone.value.status_code == 404


def send_example(server, receiver) -> None:
    client = _client(server)
    name = _uid("parity.example")
    client.event_type.create(EventTypeIn(name=name, description="example", schemas={"1": {"examples": [{"example": True, "n": 3}]}}))
    app = client.application.create(ApplicationIn(name="example app", uid=_uid("app")))
    # The endpoint filters on another type: send-example still goes to it, and only to it.
    other = client.endpoint.create(app.id, EndpointIn(url=receiver.url + "/other", channels=["elsewhere"]))
    endpoint = client.endpoint.create(app.id, EndpointIn(url=receiver.url + "/hook", channels=["only-this"]))
    message = client.endpoint.send_example(app.id, endpoint.id, EventExampleIn(event_type=name))
    assert message.event_type == name and message.id.startswith("msg_")
    receipt = receiver.wait_for(1)[0]
    assert receipt.path == "/hook" and json.loads(receipt.body) == {"example": True, "n": 3}
    secret = client.endpoint.get_secret(app.id, endpoint.id).key
    svix.webhooks.Webhook(secret).verify(receipt.body, {k: receipt.headers[k] for k in ("svix-id", "svix-timestamp", "svix-signature")})
    ping = client.endpoint.send_example(app.id, endpoint.id, EventExampleIn(event_type="svix.ping"))
    assert json.loads(receiver.wait_for(2)[1].body) == {"success": True} and ping.event_type == "svix.ping"
    assert all(r.path == "/hook" for r in receiver.receipts) and other.id != endpoint.id
    with pytest.raises(HttpError) as unknown:
        client.endpoint.send_example(app.id, endpoint.id, EventExampleIn(event_type="no.such.type"))
    assert unknown.value.status_code == 404


def attempts_destinations_and_expunge(server, receiver) -> None:
    client = _client(server)
    app = client.application.create(ApplicationIn(name="expunge app", uid=_uid("app")))
    endpoint = client.endpoint.create(app.id, EndpointIn(url=receiver.url + "/hook", uid=_uid("ep")))
    message = client.message.create(app.id, MessageIn(event_type="secret.sent", payload={"card": "4111"}, channels=["c1"]))
    receiver.wait_for(1)
    attempts = wait_until(lambda: client.message_attempt.list_by_msg(app.id, message.id).data, 10, what="the attempt")

    attempt = client.message_attempt.get(app.id, message.id, attempts[0].id)
    assert attempt.id == attempts[0].id and attempt.response == "ok" and attempt.endpoint_id == endpoint.id
    routed = client.message_attempt.list_attempted_messages(
        app.id, endpoint.uid, MessageAttemptListAttemptedMessagesOptions(with_content=True, channel="c1"))
    assert [m.id for m in routed.data] == [message.id]
    assert routed.data[0].status == MessageStatus.SUCCESS and routed.data[0].payload == {"card": "4111"}
    destinations = client.message_attempt.list_attempted_destinations(app.id, message.id).data
    assert [d.id for d in destinations] == [endpoint.id] and destinations[0].status == MessageStatus.SUCCESS

    client.message_attempt.expunge_content(app.id, message.id, attempt.id)
    assert client.message_attempt.get(app.id, message.id, attempt.id).response == ""
    client.message.expunge_content(app.id, message.id)
    assert client.message.get(app.id, message.id, MessageGetOptions(with_content=True)).payload == {}
    routed = client.message_attempt.list_attempted_messages(app.id, endpoint.id, MessageAttemptListAttemptedMessagesOptions(with_content=True))
    assert routed.data[0].payload == {}, "every later read shows the content gone"
    with pytest.raises(HttpError) as gone:
        client.message_attempt.resend(app.id, message.id, endpoint.id)
    assert gone.value.status_code == 409, "nothing left to resend"
    with pytest.raises(HttpError) as missing:
        client.message_attempt.get(app.id, message.id, "atmpt_missing")
    assert missing.value.status_code == 404


@pytest.fixture
def pg_server(hookline_bin, tmp_path, request):
    """A `hookline serve` over a fresh PostgreSQL database (HOOKLINE_TEST_DATABASE_URL names the cluster)."""
    import os
    import subprocess
    import time
    from urllib.parse import urlsplit, urlunsplit

    import requests

    from conftest import API_KEY, HEALTH_DEADLINE_S, STARTUP_DEADLINE_S, HooklineProcess, ServerInfo, _stop

    base = os.environ.get("HOOKLINE_TEST_DATABASE_URL")
    if not base:
        pytest.skip("HOOKLINE_TEST_DATABASE_URL is not set: no PostgreSQL for the PostgreSQL-store run")
    name = "hookline_sdk_" + uuid.uuid4().hex[:12]
    parts = urlsplit(base)
    admin = urlunsplit(parts._replace(path="/postgres"))
    subprocess.run(["psql", admin, "-q", "-c", f"CREATE DATABASE {name}"], check=True, timeout=30, capture_output=True)
    data_dir = tmp_path / "hookline-data"
    data_dir.mkdir()
    proc = subprocess.Popen(
        [str(hookline_bin), "serve", "--host", "127.0.0.1", "--port", "0", "--data-dir", str(data_dir), "--api-key", API_KEY,
         "--database", urlunsplit(parts._replace(path="/" + name)), "--allow-network", "127.0.0.0/8",
         "--retry-schedule", "100ms,200ms,300ms", "--log-level", "warning"],
        stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, cwd=str(tmp_path))
    process = HooklineProcess(proc, API_KEY)
    request.node._hookline_process = process
    try:
        url = process.wait_for_listening_url(STARTUP_DEADLINE_S)
        wait_until(lambda: requests.get(f"{url}/api/v1/health", timeout=2).status_code == 200, HEALTH_DEADLINE_S, what="health")
        yield ServerInfo(url=url, api_key=API_KEY, data_dir=data_dir, process=process)
    finally:
        _stop(proc)
        process.wait_eof(5)
        subprocess.run(["psql", admin, "-q", "-c", f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"], timeout=30, capture_output=True)


def put_upserts(server) -> None:
    """PUT on a missing application or endpoint creates it (Svix's upsert): `upsert` in 2.x, `update` in 1.x."""
    client = _client(server)
    if MAJOR >= 2:
        from svix.api import EndpointUpsertIn as EndpointPut

        put_app, put_endpoint = client.application.upsert, client.endpoint.upsert
    else:
        from svix.api import EndpointUpdate as EndpointPut

        put_app, put_endpoint = client.application.update, client.endpoint.update
    uid = _uid("put-app")
    app = put_app("app_missing", ApplicationIn(name="made by PUT", uid=uid))
    assert app.uid == uid and app.id.startswith("app_") and app.id != "app_missing"
    assert put_app(uid, ApplicationIn(name="renamed", uid=uid)).id == app.id
    endpoint = put_endpoint(app.id, "ep_missing", EndpointPut(url="http://127.0.0.1:9/put", uid="put-ep"))
    assert endpoint.uid == "put-ep" and endpoint.id.startswith("ep_")
    assert put_endpoint(app.id, "put-ep", EndpointPut(url="http://127.0.0.1:9/again", uid="put-ep")).id == endpoint.id
