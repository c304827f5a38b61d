"""Small helpers for tests: counting queries, a signed-in API client, racing calls."""

import threading

from django.db import connection
from django.test.utils import CaptureQueriesContext


def count_queries(fn, *args, **kwargs) -> int:
    with CaptureQueriesContext(connection) as ctx:
        fn(*args, **kwargs)
    return len(ctx.captured_queries)


def queries_with_1_and_50(seed, fn, *args) -> tuple[int, int]:
    """The queries `fn(*args)` makes after `seed(1)` and after `seed(50)` (a page's count must
    not grow with its rows)."""
    counts = []
    for n in (1, 50):
        seed(n)
        counts.append(count_queries(fn, *args))
    return counts[0], counts[1]


def api_key(user, scopes=None, *, days: int = 30) -> str:
    """A usable API key acting as `user` (any role, all scopes unless given): its full text,
    for `Authorization: Bearer <key>`."""
    from datetime import timedelta

    from django.utils import timezone

    from partner_center.accounts.permissions import PARTNER_ROLES
    from partner_center.apikeys.models import ApiKey, secret_digest
    from partner_center.apikeys.scopes import ALL_SCOPES, normalized
    from partner_center.apikeys.services import new_key_text

    full, prefix, secret = new_key_text()
    ApiKey.objects.create(
        user=user,
        partner_id=user.partner_id if user.role in PARTNER_ROLES else None,
        label="test",
        prefix=prefix,
        secret_digest=secret_digest(secret),
        scopes=normalized(ALL_SCOPES if scopes is None else scopes),
        expires_at=timezone.now() + timedelta(days=days),
    )
    return full


def api_client(user):
    """An API client signed in as `user` (force-authenticated)."""
    from rest_framework.test import APIClient

    client = APIClient()
    client.force_authenticate(user)
    return client


def todo_items(client, kind: str) -> list:
    """The items of one kind on the to-do page, as `client` sees it."""
    from django.urls import reverse

    response = client.get(reverse("todo"))
    return [i for i in response.context["todo_items"] if i.kind == kind]


def wait_for_a_lock_waiter(tries: int = 500) -> bool:
    """Until some connection waits on a PostgreSQL advisory lock (a concurrent request
    blocked behind another's): True when seen, False after `tries` × 20 ms."""
    import threading

    pause = threading.Event()
    for _ in range(tries):
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted"
            )
            if cursor.fetchone()[0]:
                return True
        pause.wait(0.02)
    return False


def race_behind_a_held_service(module, name: str, sends) -> tuple[bool, list]:
    """Run `sends` (callables), each in its own thread, while the service `module.<name>` holds
    every call until a request is seen waiting on an advisory lock behind the first: whether
    one was seen, and the keyword arguments of each call that reached the service."""
    from django.db import connections

    release, calls = threading.Event(), []
    original = getattr(module, name)

    def held(**kwargs):
        calls.append(kwargs)
        release.wait(10)  # hold the first request inside the write
        return original(**kwargs)

    def run(send):
        try:
            send()
        finally:
            connections.close_all()

    setattr(module, name, held)
    try:
        threads = [threading.Thread(target=run, args=(send,)) for send in sends]
        for thread in threads:
            thread.start()
        seen_waiting = wait_for_a_lock_waiter()
        release.set()
        for thread in threads:
            thread.join(20)
    finally:
        setattr(module, name, original)
    return seen_waiting, calls


def reaches_only_who_may_move_money(login, owner, kind: str, testid: str):
    """The to-do item of `kind` reaches the partner admin `owner` and a member with the money
    grant, and the page it opens shows the `testid` control to both; a member without the
    grant does not get it. That member and the item's page, for the test to check."""
    from tests.factories import money_members

    granted, plain = money_members(owner.partner)
    for user in (owner, granted):
        [item] = todo_items(login(user), kind)
        page = login(user).get(item.url)
        assert page.status_code == 200 and f'data-testid="{testid}"' in page.content.decode()
    assert todo_items(login(plain), kind) == []
    return plain, item.url


def order_payload(no, customer, *, kind, amount, formed_at, line, **extra) -> dict:
    """An ECS order of `customer` as the vendor's site reports it, with one resource `line`."""
    return {
        "order_no": no,
        "customer_account": customer.account_name,
        "type": kind,
        "product": "ecs",
        "product_name": "弹性云服务器 ECS",
        "amount": str(amount),
        "formed_at": formed_at.isoformat(),
        "lines": [line],
        **extra,
    }


def imported(payload, *, actor=None, source="api"):
    """The run of importing `payload` (orders, consumption); every record must be taken."""
    from customers.imports import import_payload

    run = import_payload(actor=actor, payload=payload, source=source)
    assert run.failed == 0, run.errors
    return run


def race(calls) -> list:
    """Run the calls at the same instant, each in its own thread (its own database
    connection), started together by a barrier; what each returned or raised, in order."""
    barrier = threading.Barrier(len(calls))
    outcomes: list = [None] * len(calls)

    def run(i, call):
        try:
            barrier.wait(timeout=10)
            outcomes[i] = call()
        except Exception as exc:  # noqa: BLE001 - the outcome is what we check
            outcomes[i] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    return outcomes


def wait_for(predicate, timeout: float = 20.0) -> bool:
    """Poll `predicate` until it holds (True) or `timeout` seconds have passed."""
    from datetime import timedelta

    from django.utils import timezone

    pause = threading.Event()
    deadline = timezone.now() + timedelta(seconds=timeout)
    while timezone.now() < deadline:
        if predicate():
            return True
        pause.wait(0.2)
    return predicate()


def run_in_worker(task, runs: int = 2) -> bool:
    """Queue `task` `runs` times to a real Celery worker (solo pool, on the test broker);
    True once every run has finished."""
    from celery.contrib.testing.worker import start_worker
    from celery.signals import task_postrun

    from partner_center.celery import app

    finished: list[str] = []

    def on_done(sender=None, task_id=None, **kwargs):
        if sender is not None and sender.name == task.name:
            finished.append(task_id)

    task_postrun.connect(on_done, weak=False)
    try:
        with start_worker(app, perform_ping_check=False, pool="solo", concurrency=1):
            ids = {task.delay().id for _ in range(runs)}
            return wait_for(lambda: ids <= set(finished))
    finally:
        task_postrun.disconnect(on_done)
