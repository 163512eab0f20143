"""A throwaway PostgreSQL cluster for tests: ``initdb`` + ``pg_ctl`` on a temporary folder, Unix socket only.

PostgreSQL refuses to run as root, and CI runs as root: then the cluster belongs to the ``postgres``
system user (created by Debian's package) and its programs run through ``runuser``. The folder is made
outside pytest's temporary tree because that tree is private to root and the server could not enter it.
"""

from __future__ import annotations

import glob
import logging
import os
import pwd
import shutil
import subprocess
import tempfile
import urllib.parse
from pathlib import Path

logger = logging.getLogger(__name__)

SUPERUSER = "postgres"
INSTALL_HINT = "PostgreSQL's server programs are missing: run `apt-get install postgresql` (what .ci/run does)"


def find_bin_dir() -> Path:
    """Debian keeps initdb and pg_ctl off PATH, under /usr/lib/postgresql/<major>/bin; take the newest."""
    on_path = shutil.which("initdb")
    if on_path:
        return Path(on_path).resolve().parent
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(Path(p).parts[-3]))
    if not found:
        raise FileNotFoundError(INSTALL_HINT)
    return Path(found[-1]).parent


class TemporaryCluster:
    """One server for a whole test session; each test asks for a fresh database with ``new_database``."""

    def __init__(self) -> None:
        self.bin_dir = find_bin_dir()
        self.root = Path(tempfile.mkdtemp(prefix="corpusbot-pg-"))
        self.data_dir = self.root / "data"
        self.socket_dir = self.root  # the socket lives beside the data, so nothing else shares it
        self._owner = pwd.getpwnam(SUPERUSER) if os.geteuid() == 0 else None
        self._databases = 0

    def _run(self, program: str, *args: str) -> subprocess.CompletedProcess[str]:
        command = [str(self.bin_dir / program), *args]
        if self._owner is not None:
            command = ["runuser", "-u", SUPERUSER, "--", *command]
        done = subprocess.run(command, capture_output=True, text=True, check=False, timeout=120)
        if done.returncode != 0:
            raise RuntimeError(f"{program} failed ({done.returncode}):\n{done.stdout}\n{done.stderr}")
        return done

    def start(self) -> None:
        if self._owner is not None:
            os.chown(self.root, self._owner.pw_uid, self._owner.pw_gid)
        os.chmod(self.root, 0o755)  # the test process (root or not) must reach the socket
        self._run("initdb", "-D", str(self.data_dir), "-U", SUPERUSER, "--auth=trust", "-E", "UTF8", "--locale=C.UTF-8")
        # Durability is irrelevant for a cluster that lives one session: skip fsyncs to keep tests fast.
        options = f"-k {self.socket_dir} -c listen_addresses='' -c fsync=off -c synchronous_commit=off"
        options += " -c full_page_writes=off -c max_connections=200"
        self._run("pg_ctl", "-D", str(self.data_dir), "-o", options, "-l", str(self.root / "server.log"), "-w", "start")
        logger.info("test PostgreSQL running in %s", self.root)

    def stop(self) -> None:
        try:
            self._run("pg_ctl", "-D", str(self.data_dir), "-m", "immediate", "-w", "stop")
        finally:
            shutil.rmtree(self.root, ignore_errors=True)

    def url(self, database: str = "postgres") -> str:
        """A libpq-style URL that reaches the server through its socket (asyncpg and psql both read it)."""
        return f"postgresql://{SUPERUSER}@/{database}?host={urllib.parse.quote(str(self.socket_dir), safe='')}"

    def psql(self, sql: str, database: str = "postgres") -> str:
        """Run SQL with the cluster's own psql (tests use it to look at the database from outside)."""
        return self._run(
            "psql",
            "-h",
            str(self.socket_dir),
            "-U",
            SUPERUSER,
            "-d",
            database,
            "-XAtq",
            "-v",
            "ON_ERROR_STOP=1",
            "-c",
            sql,
        ).stdout

    def new_database(self) -> str:
        """An empty database of its own for one test; returns its URL."""
        self._databases += 1
        name = f"test_{os.getpid()}_{self._databases}"
        self.psql(f"CREATE DATABASE {name} TEMPLATE template0")
        return self.url(name)
