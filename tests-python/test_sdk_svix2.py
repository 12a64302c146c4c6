"""Svix parity operations through the current `svix` SDK (2.x, pinned in requirements.txt)."""

import svix

import svix_parity_cases as cases
from svix_parity_cases import pg_server  # noqa: F401 (fixture)


def test_runs_on_sdk_2():
    assert cases.MAJOR == 2, svix.__version__


def test_event_type_lifecycle(server):
    cases.event_type_lifecycle(server)


def test_send_example(server, receiver):
    cases.send_example(server, receiver)


def test_put_upserts(server):
    cases.put_upserts(server)


def test_attempts_destinations_and_expunge(server, receiver):
    cases.attempts_destinations_and_expunge(server, receiver)


def test_attempts_destinations_and_expunge_on_postgresql(pg_server, receiver):
    cases.attempts_destinations_and_expunge(pg_server, receiver)
