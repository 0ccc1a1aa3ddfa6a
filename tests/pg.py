"""A throwaway PostgreSQL server for tests: initdb + pg_ctl in a temporary folder, on a free port.

Uses Debian's `postgresql` package (binaries under /usr/lib/postgresql/*/bin), which `.ci/run`
installs. initdb refuses to run as root, so as root the server runs as the `postgres` user the
package creates, in a folder it owns. The server listens on 127.0.0.1 only, with a random
password, and is stopped and deleted at the end.

    from .pg import postgres_url  # noqa: F401   (in a test module: the session fixture)
    with throwaway_postgres() as url: ...         (anywhere else, e.g. a benchmark)
"""

from __future__ import annotations

import contextlib
import os
import pwd
import re
import secrets
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

PG_ROOT = Path("/usr/lib/postgresql")
USER = "helpgen"  # the server's superuser
DATABASE = "helpgen_test"
MISSING = (
    "PostgreSQL is not installed (no initdb under /usr/lib/postgresql/*/bin nor on PATH): "
    "run `bash .ci/run`, which installs Debian's postgresql package, or set "
    "HELPGEN_NO_POSTGRES=1 to skip the PostgreSQL tests"
)


class PostgresUnavailable(RuntimeError):
    pass


def find_bindir() -> Path | None:
    """The newest PostgreSQL's bin folder, or None when it is not installed."""
    found = sorted(
        PG_ROOT.glob("*/bin/initdb"),
        key=lambda p: [int(n) for n in re.findall(r"\d+", p.parent.parent.name)] or [0],
    )
    if found:
        return found[-1].parent
    on_path = shutil.which("initdb")
    return Path(on_path).parent if on_path else None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def throwaway_postgres() -> Iterator[str]:
    """Start a server, create a database, yield its postgresql:// URL; stop and delete it all."""
    bindir = find_bindir()
    if bindir is None:
        raise PostgresUnavailable(MISSING)
    as_user: list[str] = []
    owner = None
    if os.geteuid() == 0:
        try:
            owner = pwd.getpwnam("postgres")
        except KeyError:
            raise PostgresUnavailable(
                "running as root, and there is no `postgres` user to run initdb as: "
                "apt-get install postgresql creates it"
            ) from None
        as_user = ["runuser", "-u", "postgres", "--"]
    folder = Path(tempfile.mkdtemp(prefix="helpgen-pg-"))
    data, logfile, pwfile = folder / "data", folder / "server.log", folder / "password"
    password = secrets.token_hex(16)
    pwfile.write_text(password + "\n")
    pwfile.chmod(0o600)
    if owner is not None:
        for path in (folder, pwfile):
            os.chown(path, owner.pw_uid, owner.pw_gid)

    def run(*args: str | Path) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [*as_user, *map(str, args)], cwd=folder, capture_output=True, text=True, timeout=120
        )

    started = False
    try:
        done = run(
            bindir / "initdb",
            "-D",
            data,
            "-U",
            USER,
            f"--pwfile={pwfile}",
            "--auth=scram-sha-256",
            "--encoding=UTF8",
            "--locale=C",
            "--no-sync",
        )
        if done.returncode:
            raise PostgresUnavailable(f"initdb failed:\n{done.stdout}{done.stderr}")
        for _attempt in range(3):  # a free port can be taken before the server binds it
            port = _free_port()
            options = f"-p {port} -k {folder} -c listen_addresses=127.0.0.1 -c max_connections=60"
            done = run(
                bindir / "pg_ctl",
                "-D",
                data,
                "-l",
                logfile,
                "-w",
                "-t",
                "60",
                "-o",
                options,
                "start",
            )
            if done.returncode == 0:
                started = True
                break
        if not started:
            log = logfile.read_text(errors="replace") if logfile.exists() else ""
            raise PostgresUnavailable(f"pg_ctl start failed:\n{done.stdout}{done.stderr}{log}")
        import psycopg

        base = f"postgresql://{USER}:{password}@127.0.0.1:{port}"
        with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
            conn.execute(f"CREATE DATABASE {DATABASE}")
        yield f"{base}/{DATABASE}"
    finally:
        if started:
            run(bindir / "pg_ctl", "-D", data, "-m", "immediate", "-w", "stop")
        shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """The URL of a throwaway PostgreSQL database. Missing PostgreSQL fails the tests that use
    it, unless HELPGEN_NO_POSTGRES=1 (then they are skipped)."""
    if os.environ.get("HELPGEN_NO_POSTGRES") == "1":
        pytest.skip("HELPGEN_NO_POSTGRES=1")
    if find_bindir() is None:
        pytest.fail(MISSING, pytrace=False)
    try:
        import psycopg  # noqa: F401
    except ImportError:
        pytest.fail(
            "psycopg is not installed: pip install -e '.[test]' (or run `bash .ci/run`)",
            pytrace=False,
        )
    try:
        with throwaway_postgres() as url:
            yield url
    except PostgresUnavailable as exc:
        pytest.fail(str(exc), pytrace=False)
