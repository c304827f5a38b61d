"""Backups are only as good as their restore: the real pg_dump (deploy/backup/pg-backup.sh,
as the backup service runs it) and the real restore (bin/restore-backup: pg_restore into a
fresh database, migrate, verify_ledgers), on a database holding money ledgers."""

import os
import subprocess
import sys
import time
from decimal import Decimal
from pathlib import Path

import psycopg
import pytest
from django.db import connection
from psycopg import sql

from customers import services
from customers.models import Account
from tests.customers.conftest import associate, make_customer, open_account

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.django_db(transaction=True)


def url_of(name: str) -> str:
    db = connection.settings_dict
    auth = db["USER"] + (f":{db['PASSWORD']}" if db.get("PASSWORD") else "")
    return f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{name}"


def admin():
    return psycopg.connect(url_of("postgres"), autocommit=True)


def drop(*names: str) -> None:
    with admin() as conn:
        for name in names:
            conn.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
            )


def backup_once(backup_dir: Path, keep: int = 14) -> Path:
    db = connection.settings_dict
    env = {
        **os.environ,
        "PGHOST": db["HOST"] or "127.0.0.1",
        "PGPORT": str(db["PORT"] or 5432),
        "PGUSER": db["USER"],
        "PGPASSWORD": db.get("PASSWORD") or "",
        "PGDATABASE": db["NAME"],
        "BACKUP_DIR": str(backup_dir),
        "BACKUP_KEEP": str(keep),
    }
    subprocess.run(
        ["bash", str(ROOT / "deploy" / "backup" / "pg-backup.sh"), "--once"],
        env=env,
        check=True,
        capture_output=True,
    )
    return max(backup_dir.glob("*.dump"), key=lambda p: p.stat().st_mtime)


def restore(dump: Path, *args: str, live: str | None = None) -> subprocess.CompletedProcess:
    env = {
        **os.environ,
        "DATABASE_URL": url_of(live or connection.settings_dict["NAME"]),
        "DJANGO_SETTINGS_MODULE": "partner_center.settings.test",
    }
    return subprocess.run(
        [sys.executable, str(ROOT / "bin" / "restore-backup"), str(dump), *args],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


def balance_in(name: str, account_id: int) -> Decimal:
    with psycopg.connect(url_of(name)) as conn:
        row = conn.execute(
            "SELECT balance FROM customers_account WHERE id = %s", [account_id]
        ).fetchone()
    return row[0]


@pytest.fixture
def ledger(owner):
    account = open_account(associate(owner, make_customer()), owner, amount="1000.00")
    services.account_reclaim(actor=owner, account=account, amount="250.50")
    account.refresh_from_db()
    assert account.balance == Decimal("749.50")
    return account


@pytest.fixture
def scratch():
    base = connection.settings_dict["NAME"]
    names = [f"{base}_restore", f"{base}_restore_restore", f"{base}_unbalanced"]
    drop(*names)
    yield names
    with admin() as conn:
        leftovers = conn.execute(
            "SELECT datname FROM pg_database WHERE datname LIKE %s", [f"{base}_restore_before%"]
        ).fetchall()
    drop(*names, *(row[0] for row in leftovers))


def test_dump_restores_into_a_fresh_database_and_only_balanced_ledgers_pass(
    ledger, scratch, tmp_path
):
    backups = tmp_path / "db"
    backups.mkdir()
    for age in (3, 2, 1):  # older dumps: only the newest BACKUP_KEEP survive
        old = backups / f"partner_center-old{age}.dump"
        old.write_bytes(b"old")
        os.utime(old, (time.time() - age * 86400,) * 2)
    dump = backup_once(backups, keep=2)
    assert sorted(p.name for p in backups.iterdir()) == sorted(
        [dump.name, "partner_center-old1.dump"]
    )

    out = restore(dump)
    assert out.returncode == 0, out.stdout + out.stderr
    assert "running migrate" in out.stdout and "running verify_ledgers" in out.stdout
    assert "All ledgers sum to their balances." in out.stdout
    restored = scratch[0]
    assert balance_in(restored, ledger.pk) == Decimal("749.50")
    # the live database was not touched, and a second restore into the same name is refused
    assert Account.objects.get(pk=ledger.pk).balance == Decimal("749.50")
    again = restore(dump)
    assert again.returncode != 0 and "already exists" in again.stderr

    # --replace: the restored copy stands in for a live database that has moved on since
    with psycopg.connect(url_of(restored), autocommit=True) as conn:
        conn.execute("UPDATE customers_account SET monthly_budget = 1 WHERE id = %s", [ledger.pk])
    out = restore(dump, "--replace", live=restored)
    assert out.returncode == 0, out.stdout + out.stderr
    with psycopg.connect(url_of(restored)) as conn:  # the dump's state again
        budget = conn.execute(
            "SELECT monthly_budget FROM customers_account WHERE id = %s", [ledger.pk]
        ).fetchone()[0]
    assert budget == Decimal("100000")
    assert balance_in(restored, ledger.pk) == Decimal("749.50")
    with admin() as conn:
        kept = conn.execute(
            "SELECT count(*) FROM pg_database WHERE datname LIKE %s",
            [f"{restored}_before_restore_%"],
        ).fetchone()[0]
    assert kept == 1  # the database it replaced is kept under another name

    # a dump whose ledgers don't balance restores, but the restore fails and says so
    Account.objects.filter(pk=ledger.pk).update(balance=Decimal("1.00"))
    bad = restore(backup_once(tmp_path / "bad"), "--into", scratch[2])
    assert bad.returncode == 1
    assert "FAILED at verify_ledgers" in bad.stdout
    assert "1 account(s) out of balance" in bad.stderr
