"""Hookline against the official Svix Python SDK, unchanged.

Everything here goes through `svix.api.Svix` (except where the SDK cannot express the request, e.g. a
non-object payload), and every delivered webhook is verified with both the Standard Webhooks and the Svix
verifiers.
"""

from __future__ import annotations

import json
import uuid
from datetime import datetime, timedelta, timezone

import pytest
import requests
import standardwebhooks.webhooks
import svix.webhooks
from svix.api import (
    ApplicationCreateOptions,
    ApplicationIn,
    ApplicationListOptions,
    ApplicationPatch,
    BackgroundTaskStatus,
    BackgroundTaskType,
    EndpointHeadersIn,
    EndpointHeadersPatchIn,
    EndpointIn,
    EndpointPatch,
    EndpointSecretRotateIn,
    EventTypeIn,
    MessageAttemptListByMsgOptions,
    MessageAttemptTriggerType,
    MessageGetOptions,
    MessageIn,
    MessageListOptions,
    MessageStatus,
    MessageStatusText,
    RecoverIn,
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


# --------------------------------------------------------------------------------------------
# management API: idempotency, patch, rotation, resend, recover, stats, headers, filters
# --------------------------------------------------------------------------------------------


def test_idempotency_key_replays_the_first_response(client):
    key = f"test-{uuid.uuid4()}"
    first = client.application.create(ApplicationIn(name="idem"), ApplicationCreateOptions(idempotency_key=key))
    second = client.application.create(ApplicationIn(name="idem"), ApplicationCreateOptions(idempotency_key=key))
    assert second.id == first.id
    assert second.created_at == first.created_at
    # the SDK's automatic auto_<uuid> keys differ per call, so plain creates are distinct
    assert client.application.create(ApplicationIn(name="idem")).id != first.id


def test_patch_application_and_endpoint(client, app, endpoint):
    patched = client.application.patch(app.id, ApplicationPatch(name="renamed"))
    assert patched.name == "renamed"
    assert patched.uid == app.uid

    ep = client.endpoint.patch(app.id, endpoint.id, EndpointPatch(description="patched", disabled=True))
    assert ep.description == "patched"
    assert ep.disabled is True
    assert ep.url == endpoint.url


def test_endpoint_headers(client, app, endpoint, receiver):
    client.endpoint.set_headers(app.id, endpoint.id, EndpointHeadersIn(headers={"x-one": "1", "x-two": "2"}))
    client.endpoint.patch_headers(app.id, endpoint.id, EndpointHeadersPatchIn(headers={"x-three": "3"}, delete_headers=["x-two"]))
    got = client.endpoint.get_headers(app.id, endpoint.id)
    assert got.headers == {"x-one": "1", "x-three": "3"}
    assert got.sensitive == []

    _send(client, app.id)
    (receipt,) = receiver.wait_for(1, timeout=10)
    assert receipt.headers.get("x-one") == "1"
    assert receipt.headers.get("x-three") == "3"


def test_rotated_secret_keeps_old_receivers_verifying(client, app, endpoint, receiver):
    old = client.endpoint.get_secret(app.id, endpoint.id).key
    rotated = client.endpoint.rotate_secret(app.id, endpoint.id, EndpointSecretRotateIn())
    new = rotated.key
    assert new.startswith("whsec_") and new != old
    assert client.endpoint.get_secret(app.id, endpoint.id).key == new

    _send(client, app.id)
    (receipt,) = receiver.wait_for(1, timeout=10)
    assert len(receipt.headers["webhook-signature"].split(" ")) == 2
    _verify_both(old, receipt)  # a receiver that only knows the old secret still verifies
    _verify_both(new, receipt)

    chosen = "whsec_" + "QUJD" * 8
    assert client.endpoint.rotate_secret(app.id, endpoint.id, EndpointSecretRotateIn(key=chosen, grace_period_seconds=0)).key == chosen
    _send(client, app.id)
    receipts = receiver.wait_for(2, timeout=10)
    assert len(receipts[1].headers["webhook-signature"].split(" ")) == 2, "the first rotation's secret is still in its grace period"
    _verify_both(chosen, receipts[1])
    _verify_both(old, receipts[1])
    with pytest.raises(standardwebhooks.webhooks.WebhookVerificationError):
        _verify_both(new, receipts[1])  # zero grace: the secret replaced by the second rotation no longer signs


def test_resend_recover_and_stats(client, app, endpoint, receiver):
    # 2 messages x 4 tries (first + 3 retries): fewer failures in a row than open the circuit breaker
    receiver.fail_first(8)
    msgs = [_send(client, app.id, {"n": i}) for i in range(2)]
    receiver.wait_for(8, timeout=15)

    def all_failed():
        stats = client.endpoint.get_stats(app.id, endpoint.id)
        return stats if stats.fail == 2 else None

    stats = wait_until(all_failed, 15, what="2 failed deliveries")
    assert (stats.success, stats.pending, stats.sending, stats.canceled) == (0, 0, 0, 0)

    client.message_attempt.resend(app.id, msgs[0].id, endpoint.id)
    manual = _attempts_by_msg(
        client, app.id, msgs[0].id, lambda a: any(x.trigger_type == MessageAttemptTriggerType.MANUAL for x in a), "a manual attempt"
    )
    assert manual[0].trigger_type == MessageAttemptTriggerType.MANUAL
    assert manual[0].status == MessageStatus.SUCCESS

    task = client.endpoint.recover(app.id, endpoint.id, RecoverIn(since=datetime.now(timezone.utc) - timedelta(hours=1)))
    assert task.id.startswith("qtask_")
    assert task.task == BackgroundTaskType.ENDPOINT_RECOVER

    def finished():
        t = client.background_task.get(task.id)
        return t if t.status == BackgroundTaskStatus.FINISHED else None

    done = wait_until(finished, 15, what="the recover task to finish")
    assert done.data == {"messagesSent": 1}
    wait_until(lambda: client.endpoint.get_stats(app.id, endpoint.id).success == 2, 15, what="2 successes")


def test_list_filters(client, app, endpoint, receiver):
    a = client.message.create(app.id, MessageIn(event_type="filter.a", payload={"x": 1}, channels=["red"]))
    b = client.message.create(app.id, MessageIn(event_type="filter.b", payload={"x": 2}))
    by_type = client.message.list(app.id, MessageListOptions(event_types=["filter.b"]))
    assert [m.id for m in by_type.data] == [b.id]
    by_channel = client.message.list(app.id, MessageListOptions(channel="red"))
    assert [m.id for m in by_channel.data] == [a.id]
    # a naive datetime is sent without a zone and read as UTC
    naive_future = datetime.now(timezone.utc).replace(tzinfo=None) + timedelta(hours=1)
    assert len(client.message.list(app.id, MessageListOptions(before=naive_future)).data) == 2
    assert client.message.list(app.id, MessageListOptions(after=naive_future)).data == []

    receiver.wait_for(2, timeout=10)
    ok = _attempts_by_msg(client, app.id, a.id, lambda x: len(x) >= 1, "an attempt")
    assert ok[0].status == MessageStatus.SUCCESS
    failed = client.message_attempt.list_by_msg(app.id, a.id, MessageAttemptListByMsgOptions(status=MessageStatus.FAIL))
    assert failed.data == []
