"""Hookline against the official Svix Python SDK, unchanged.

Everything here goes through `svix.api.Svix` (except where the SDK cannot express the request, e.g. a
non-object payload), and every delivered webhook is verified with both the Standard Webhooks and the Svix
verifiers.
"""

from __future__ import annotations

import json
import uuid

import pytest
import requests
import standardwebhooks.webhooks
import svix.webhooks
from svix.api import (
    ApplicationIn,
    ApplicationListOptions,
    EndpointIn,
    EventTypeIn,
    MessageAttemptTriggerType,
    MessageGetOptions,
    MessageIn,
    MessageStatus,
    MessageStatusText,
    Svix,
    SvixOptions,
)
from svix.exceptions import HttpError

from conftest import wait_until

PAYLOAD = {"hello": "world", "n": 1}
EVENT_TYPE = "user.created"


def _uid(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:12]}"


@pytest.fixture
def client(server) -> Svix:
    return Svix(server.api_key, SvixOptions(server_url=server.url))


@pytest.fixture
def app(client):
    return client.application.create(ApplicationIn(name="SDK test app", uid=_uid("sdk-app")))


@pytest.fixture
def endpoint(client, app, receiver):
    # event_types deliberately omitted: the endpoint receives every event type.
    return client.endpoint.create(app.id, EndpointIn(url=receiver.url + "/hook", description="receiver"))


def _send(client, app_id: str, payload=PAYLOAD):
    return client.message.create(app_id, MessageIn(event_type=EVENT_TYPE, payload=payload))


def _verify_both(secret: str, receipt) -> None:
    """The Standard Webhooks verifier (webhook-* headers) and the Svix verifier (svix-* headers only)."""
    h = receipt.headers
    std_headers = {
        "webhook-id": h.get("webhook-id", ""),
        "webhook-timestamp": h.get("webhook-timestamp", ""),
        "webhook-signature": h.get("webhook-signature", ""),
    }
    assert standardwebhooks.webhooks.Webhook(secret).verify(receipt.body, std_headers) == json.loads(receipt.body)

    svix_headers = {
        "svix-id": h.get("svix-id", ""),
        "svix-timestamp": h.get("svix-timestamp", ""),
        "svix-signature": h.get("svix-signature", ""),
    }
    svix.webhooks.Webhook(secret).verify(receipt.body, svix_headers)


def _attempts_by_msg(client, app_id, msg_id, predicate, what, timeout=10.0):
    """Attempts are recorded after the receiver answers, so poll until `predicate(attempts)` holds."""

    def check():
        attempts = client.message_attempt.list_by_msg(app_id, msg_id).data
        return attempts if predicate(attempts) else None

    return wait_until(check, timeout, what=what)


# --------------------------------------------------------------------------------------------


def test_application_create_get_list(client):
    uid = _uid("app")
    created = client.application.create(ApplicationIn(name="My app", uid=uid))
    assert created.id.startswith("app_")
    assert created.name == "My app"
    assert created.uid == uid
    assert created.metadata == {}

    by_id = client.application.get(created.id)
    assert (by_id.id, by_id.name, by_id.uid) == (created.id, "My app", uid)
    by_uid = client.application.get(uid)
    assert by_uid.id == created.id

    listed = client.application.list()
    assert created.id in [a.id for a in listed.data]


def test_endpoint_secret(client, app, endpoint, receiver):
    assert endpoint.id.startswith("ep_")
    assert endpoint.url == receiver.url + "/hook"
    secret = client.endpoint.get_secret(app.id, endpoint.id)
    assert secret.key.startswith("whsec_")
    # usable as a Standard Webhooks key
    standardwebhooks.webhooks.Webhook(secret.key)


def test_event_types(client):
    created = client.event_type.create(EventTypeIn(name=EVENT_TYPE, description="A user was created"))
    assert created.name == EVENT_TYPE
    assert created.description == "A user was created"
    listed = client.event_type.list()
    assert EVENT_TYPE in [e.name for e in listed.data]


def test_delivery_is_signed_and_recorded(client, app, endpoint, receiver):
    client.event_type.create(EventTypeIn(name=EVENT_TYPE, description="A user was created"))
    secret = client.endpoint.get_secret(app.id, endpoint.id).key

    msg = _send(client, app.id)
    assert msg.id.startswith("msg_")
    assert msg.event_type == EVENT_TYPE

    (receipt,) = receiver.wait_for(1, timeout=10)
    assert receipt.path == "/hook"
    assert receipt.status == 200
    assert receipt.headers.get("content-type", "").split(";")[0].strip().lower() == "application/json"
    assert receipt.json() == PAYLOAD
    assert receipt.headers["webhook-id"] == msg.id
    assert receipt.headers["svix-id"] == msg.id
    assert receipt.headers["svix-timestamp"] == receipt.headers["webhook-timestamp"]
    assert receipt.headers["svix-signature"] == receipt.headers["webhook-signature"]
    _verify_both(secret, receipt)

    # and a wrong secret must not verify
    with pytest.raises(standardwebhooks.webhooks.WebhookVerificationError):
        standardwebhooks.webhooks.Webhook("whsec_" + "A" * 32).verify(
            receipt.body,
            {k: receipt.headers[k] for k in ("webhook-id", "webhook-timestamp", "webhook-signature")},
        )

    def succeeded(attempts):
        return any(a.status == MessageStatus.SUCCESS for a in attempts)

    attempts = _attempts_by_msg(client, app.id, msg.id, succeeded, "a successful attempt")
    ok = [a for a in attempts if a.status == MessageStatus.SUCCESS]
    assert len(ok) >= 1
    a = ok[0]
    assert a.id.startswith("atmpt_")
    assert a.response_status_code == 200
    assert a.status_text == MessageStatusText.SUCCESS
    assert a.trigger_type == MessageAttemptTriggerType.SCHEDULED
    assert a.msg_id == msg.id
    assert a.endpoint_id == endpoint.id
    assert a.url == receiver.url + "/hook"

    by_ep = client.message_attempt.list_by_endpoint(app.id, endpoint.id).data
    ok_ep = [x for x in by_ep if x.msg_id == msg.id and x.status == MessageStatus.SUCCESS]
    assert len(ok_ep) >= 1
    assert ok_ep[0].response_status_code == 200
    assert ok_ep[0].endpoint_id == endpoint.id


def test_message_list_and_get(client, app, endpoint, receiver):
    msg = _send(client, app.id)
    receiver.wait_for(1, timeout=10)

    listed = client.message.list(app.id)
    assert msg.id in [m.id for m in listed.data]

    got = client.message.get(app.id, msg.id)
    assert got.id == msg.id
    assert got.event_type == EVENT_TYPE

    with_content = client.message.get(app.id, msg.id, MessageGetOptions(with_content=True))
    assert with_content.payload == PAYLOAD


def test_retries_keep_the_message_id(client, app, endpoint, receiver):
    secret = client.endpoint.get_secret(app.id, endpoint.id).key
    receiver.fail_first(2)

    msg = _send(client, app.id)
    receipts = receiver.wait_for(3, timeout=15)
    assert [r.status for r in receipts[:3]] == [500, 500, 200]
    assert {r.headers["webhook-id"] for r in receipts} == {msg.id}
    for r in receipts:
        assert r.json() == PAYLOAD
        _verify_both(secret, r)  # every retry is (re-)signed

    def three_done(attempts):
        return len(attempts) >= 3 and any(a.status == MessageStatus.SUCCESS for a in attempts)

    attempts = _attempts_by_msg(client, app.id, msg.id, three_done, "3 attempts incl. a success")
    assert len(attempts) == 3
    failed = [a for a in attempts if a.status == MessageStatus.FAIL]
    ok = [a for a in attempts if a.status == MessageStatus.SUCCESS]
    assert len(failed) == 2 and len(ok) == 1
    assert all(a.response_status_code == 500 for a in failed)
    assert all(a.status_text == MessageStatusText.FAIL for a in failed)
    assert ok[0].response_status_code == 200
    assert all(a.msg_id == msg.id and a.endpoint_id == endpoint.id for a in attempts)
    assert len({a.id for a in attempts}) == 3


def test_unknown_app_is_404(client):
    with pytest.raises(HttpError) as info:
        client.application.get("app_doesnotexist0000000000000")
    assert info.value.status_code == 404
    assert info.value.code == "not_found"


def test_wrong_token_is_401(server):
    bad = Svix("not-the-key", SvixOptions(server_url=server.url))
    with pytest.raises(HttpError) as info:
        bad.application.list()
    assert info.value.status_code == 401
    assert info.value.code == "authentication_failed"


def test_non_object_payload_is_422(server, client, app):
    r = requests.post(
        f"{server.url}/api/v1/app/{app.id}/msg",
        headers=server.auth_headers(),
        json={"eventType": EVENT_TYPE, "payload": [1, 2, 3]},
        timeout=10,
    )
    assert r.status_code == 422, r.text
    body = r.json()
    assert isinstance(body.get("detail"), list) and body["detail"], body
    for item in body["detail"]:
        assert isinstance(item.get("loc"), list), item
        assert isinstance(item.get("msg"), str), item
        assert isinstance(item.get("type"), str), item


def test_application_pagination(client):
    created = {client.application.create(ApplicationIn(name=f"page app {i}", uid=_uid(f"page{i}"))).id for i in range(5)}
    assert len(created) == 5

    seen = []
    iterator = None
    for _ in range(20):  # 5 apps at 2 a page: 3 pages; anything far beyond that is a loop
        page = client.application.list(ApplicationListOptions(limit=2, iterator=iterator))
        assert len(page.data) <= 2
        seen.extend(a.id for a in page.data)
        if page.done:
            break
        assert page.iterator, "a page that is not done must carry an iterator"
        iterator = page.iterator
    else:
        pytest.fail(f"pagination never reported done; seen {seen}")

    assert len(seen) == len(set(seen)), f"duplicates across pages: {seen}"
    assert created <= set(seen)
