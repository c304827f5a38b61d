"""The beat process also runs the relay in a thread: beat needs no broker to read the
database, so entries are sent as soon as the broker is back even while beat's own relay task
cannot reach a worker."""

from __future__ import annotations

import logging
import threading

from celery.signals import beat_init

log = logging.getLogger(__name__)
RELAY_INTERVAL_SECONDS = 5.0


def relay_forever(stop: threading.Event, interval: float = RELAY_INTERVAL_SECONDS) -> None:
    from django.db import close_old_connections, connection

    from .services import relay_due

    try:
        while not stop.is_set():
            try:
                close_old_connections()
                relay_due()
            except Exception:  # noqa: BLE001 - keep relaying whatever happened
                log.exception("outbox relay round failed")
            stop.wait(interval)
    finally:
        connection.close()


def start_relay_thread(interval: float = RELAY_INTERVAL_SECONDS) -> threading.Event:
    """Start the relay thread; set the returned event to stop it (its `.thread` joins)."""
    stop = threading.Event()
    stop.thread = threading.Thread(
        target=relay_forever, args=(stop, interval), name="outbox-relay", daemon=True
    )
    stop.thread.start()
    return stop


@beat_init.connect
def _start_in_beat(sender=None, **kwargs):
    start_relay_thread()
