"""PostgreSQL, Redis and CKAN: configuration, start-up and readiness checks."""
from __future__ import annotations

import hashlib
import os
import secrets
import shutil
import signal
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

from . import procs, system
from .state import Layout, PortalError, PortalState, write_secret_file

PG_EXTERNAL_ROOT = Path("/var/lib/opencatalog-portal")


# ---------------------------------------------------------------- PostgreSQL

def pgdata_for(layout: Layout, user: str | None) -> Path:
    """Cluster directory. As root the state dir may sit under /root (mode 700),
    which the unprivileged postgres user cannot traverse; keep it outside then."""
    if user is None:
        return layout.root / "pgdata"
    key = hashlib.sha256(str(layout.root).encode()).hexdigest()[:12]
    return PG_EXTERNAL_ROOT / key / "pgdata"


def _pg_env(state: PortalState) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PG")}
    env.update(PGPASSWORD=state.secrets["pg_super"], PGHOST="127.0.0.1",
               PGPORT=str(state.pg_port), PGUSER="postgres", PGCONNECT_TIMEOUT="5")
    return env


def pg_init(layout: Layout, state: PortalState) -> bool:
    """Create the cluster if missing; True when a new (empty) one was made."""
    pgdata = Path(state.pgdata)
    if (pgdata / "PG_VERSION").exists():
        return False
    bindir = system.pg_bindir()
    assert bindir is not None
    user = state.pg_user or None
    base = pgdata.parent
    base.mkdir(parents=True, exist_ok=True)
    if user:
        PG_EXTERNAL_ROOT.chmod(0o755)
        system.chown_to(base, user)
        base.chmod(0o700)
    pwfile = base / "initdb.pw"
    write_secret_file(pwfile, state.secrets["pg_super"] + "\n")
    system.chown_to(pwfile, user)
    log = layout.log("initdb")
    log.parent.mkdir(parents=True, exist_ok=True)
    with open(log, "ab") as out:
        result = subprocess.run(
            [str(bindir / "initdb"), "-D", str(pgdata), "-U", "postgres", "-E", "UTF8",
             "--locale=C.UTF-8", "--auth-host=scram-sha-256", "--auth-local=peer",
             f"--pwfile={pwfile}"],
            stdout=out, stderr=subprocess.STDOUT, cwd=str(base),
            user=user, group=user, extra_groups=[] if user else None,
        )
    pwfile.unlink(missing_ok=True)
    if result.returncode != 0:
        raise PortalError(f"initdb failed. Last lines of {log}:\n{procs.tail(log)}")
    return True


def pg_start(layout: Layout, state: PortalState) -> int:
    """Start PostgreSQL; moves to a free port when another process took ours meanwhile
    (portals of parallel test sessions pick ports at the same time)."""
    for _ in range(3):
        pid = _pg_spawn(layout, state)
        if _wait_pg(layout, state, pid):
            return pid
        state.pg_port = procs.free_port()
    raise PortalError(f"PostgreSQL could not get a free port. Last lines of "
                      f"{layout.log('postgres')}:\n{procs.tail(layout.log('postgres'))}")


def _pg_spawn(layout: Layout, state: PortalState) -> int:
    bindir = system.pg_bindir()
    assert bindir is not None
    return procs.spawn(
        [str(bindir / "postgres"), "-D", state.pgdata,
         "-c", f"port={state.pg_port}", "-c", "listen_addresses=127.0.0.1",
         "-c", "unix_socket_directories=", "-c", "max_connections=60",
         "-c", "shared_buffers=32MB", "-c", "logging_collector=off",
         "-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off"],
        layout.log("postgres"),
        cwd=Path(state.pgdata).parent,
        user=state.pg_user or None,
        env={"PATH": "/usr/bin:/bin", "LANG": "C.UTF-8"},
    )


def _wait_pg(layout: Layout, state: PortalState, pid: int, timeout: float = 60) -> bool:
    """True once our PostgreSQL answers; False when it died because the port was taken."""
    bindir = system.pg_bindir()
    assert bindir is not None
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not procs.pid_alive(pid):
            if "could not bind" in procs.tail(layout.log("postgres"), 10):
                return False
            raise PortalError(f"PostgreSQL exited during start-up. Last lines of "
                              f"{layout.log('postgres')}:\n{procs.tail(layout.log('postgres'))}")
        ok = subprocess.run([str(bindir / "pg_isready"), "-q", "-h", "127.0.0.1",
                             "-p", str(state.pg_port)]).returncode == 0
        # ready, and it is ours (not another portal's server that took the port first)
        holder = procs.who_listens(state.pg_port) if ok else None
        if ok and (holder is None or holder.startswith(f"pid {pid} ")):
            return True
        time.sleep(0.2)
    raise PortalError(f"PostgreSQL did not become ready in {timeout:.0f}s. Last lines of "
                      f"{layout.log('postgres')}:\n{procs.tail(layout.log('postgres'))}")


def psql(state: PortalState, sql: str, db: str = "postgres") -> str:
    bindir = system.pg_bindir()
    assert bindir is not None
    result = subprocess.run(
        [str(bindir / "psql"), "-v", "ON_ERROR_STOP=1", "-qAt", "-d", db],
        input=sql, capture_output=True, text=True, env=_pg_env(state),
    )
    if result.returncode != 0:
        raise PortalError(f"PostgreSQL setup failed: {result.stderr.strip()}")
    return result.stdout


def pg_create_databases(state: PortalState) -> None:
    s = state.secrets
    have = psql(state, "SELECT rolname FROM pg_roles").split()
    if "ckan" not in have:
        psql(state, f"CREATE ROLE ckan LOGIN PASSWORD '{s['pg_ckan']}'")
    if "datastore_ro" not in have:
        psql(state, f"CREATE ROLE datastore_ro LOGIN PASSWORD '{s['pg_datastore_ro']}'")
    dbs = psql(state, "SELECT datname FROM pg_database").split()
    for db in ("ckan", "datastore"):
        if db not in dbs:
            psql(state, f"CREATE DATABASE {db} OWNER ckan ENCODING 'UTF8' TEMPLATE template0")


# --------------------------------------------------------------------- Redis

def redis_start(layout: Layout, state: PortalState) -> int:
    layout.redis_dir.mkdir(parents=True, exist_ok=True)
    exe = shutil.which("redis-server")
    assert exe is not None
    pid = procs.spawn(
        [exe, "--port", str(state.redis_port), "--bind", "127.0.0.1",
         "--dir", str(layout.redis_dir), "--save", "", "--appendonly", "no",
         "--protected-mode", "yes", "--daemonize", "no"],
        layout.log("redis"),
    )
    deadline = time.monotonic() + 20
    import socket

    while time.monotonic() < deadline:
        if not procs.pid_alive(pid):
            break
        try:
            with socket.create_connection(("127.0.0.1", state.redis_port), timeout=1) as sock:
                sock.sendall(b"PING\r\n")
                if sock.recv(16).startswith(b"+PONG"):
                    return pid
        except OSError:
            pass
        time.sleep(0.1)
    raise PortalError(f"Redis did not start. Last lines of {layout.log('redis')}:\n"
                      f"{procs.tail(layout.log('redis'))}")


# ---------------------------------------------------------------------- CKAN

def ckan_env(layout: Layout) -> dict[str, str]:
    env = dict(os.environ)
    env["CKAN_INI"] = str(layout.ini)
    env.pop("PYTHONPATH", None)
    env.pop("VIRTUAL_ENV", None)
    return env


def ckan_cli(layout: Layout, state: PortalState, *args: str, what: str) -> str:
    exe = Path(state.venv) / "bin" / "ckan"
    log = layout.log("ckan-setup")
    result = subprocess.run([str(exe), "-c", str(layout.ini), *args], capture_output=True,
                            text=True, env=ckan_env(layout), cwd=str(layout.root))
    with open(log, "a", encoding="utf-8") as fh:
        fh.write(f"\n$ ckan {' '.join(a if 'password' not in a else 'password=***' for a in args)}"
                 f"\n{result.stderr}\n")
    if result.returncode != 0:
        raise PortalError(f"{what} failed. Last lines of {log}:\n{procs.tail(log)}")
    return result.stdout


def ckan_setup(layout: Layout, state: PortalState) -> None:
    """One-time: schema, DataStore permissions, sysadmin user and API token."""
    ckan_cli(layout, state, "db", "init", what="CKAN database initialisation")
    perms = ckan_cli(layout, state, "datastore", "set-permissions",
                     what="DataStore permission SQL")
    psql(state, perms, db="datastore")
    name = state.sysadmin
    users = psql(state, "SELECT name FROM \"user\"", db="ckan").split()
    if name not in users:
        ckan_cli(layout, state, "user", "add", name, f"email={name}@localhost.invalid",
                 f"password={state.secrets['sysadmin_password']}",
                 what="Creating the sysadmin user")
    ckan_cli(layout, state, "sysadmin", "add", name, what="Granting sysadmin")
    out = ckan_cli(layout, state, "user", "token", "add", name, "opencatalog-cli",
                   what="Creating the API token")
    token = [line.strip() for line in out.splitlines() if line.strip()][-1]
    write_secret_file(layout.token_file, token + "\n")


def ckan_start(layout: Layout, state: PortalState) -> int:
    exe = Path(state.venv) / "bin" / "gunicorn"
    with open(layout.log("ckan"), "ab") as fh:  # wait_ckan shows the log from here
        fh.write(f"---- opencatalog portal: starting CKAN {time.ctime()}\n".encode())
    return procs.spawn(
        [str(exe), "--workers", str(state.web_workers), "--worker-class", "gthread",
         "--threads", "8",
         "--bind", f"127.0.0.1:{state.ckan_port}", "--timeout", "600",
         "--chdir", str(layout.root), "--name", f"opencatalog-ckan-{state.ckan_port}",
         "wsgi:application"],
        layout.log("ckan"),
        env=ckan_env(layout),
        cwd=layout.root,
    )


def jobs_start(layout: Layout, state: PortalState) -> int:
    """CKAN's background jobs worker (`ckan jobs worker`): it runs xloader's loads."""
    exe = Path(state.venv) / "bin" / "ckan"
    pid = procs.spawn([str(exe), "-c", str(layout.ini), "jobs", "worker"], layout.log("jobs"),
                      env=ckan_env(layout), cwd=layout.root)
    time.sleep(0.5)
    if not procs.pid_alive(pid):
        raise PortalError(f"CKAN's jobs worker exited at start-up. Last lines of "
                          f"{layout.log('jobs')}:\n{procs.tail(layout.log('jobs'))}")
    return pid


def ckan_healthy(url: str, timeout: float = 3) -> bool:
    try:
        with urllib.request.urlopen(f"{url}/api/3/action/status_show", timeout=timeout) as r:
            return r.status == 200
    except (urllib.error.URLError, OSError, ValueError):
        return False


def _ckan_log_tail(layout: Layout) -> str:
    text = procs.tail(layout.log("ckan"), 400)
    marker = "---- opencatalog portal: starting CKAN"
    if marker in text:
        text = text[text.rindex(marker):].split("\n", 1)[-1]
    # the cause is usually the last traceback: keep its end
    return "\n".join(text.splitlines()[-40:])


def wait_ckan(layout: Layout, url: str, pid: int, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not procs.pid_alive(pid):
            raise PortalError(f"CKAN exited during start-up. Last lines of "
                              f"{layout.log('ckan')}:\n{_ckan_log_tail(layout)}")
        if ckan_healthy(url, timeout=2):
            return
        time.sleep(0.3)
    procs.stop(pid)
    raise PortalError(f"CKAN did not answer at {url} within {timeout:.0f}s. Last lines of "
                      f"{layout.log('ckan')}:\n{_ckan_log_tail(layout)}")


def new_secrets() -> dict[str, str]:
    return {k: secrets.token_urlsafe(24) for k in
            ("pg_super", "pg_ckan", "pg_datastore_ro", "sysadmin_password", "app_secret")}


PG_STOP_SIGNAL = signal.SIGINT  # "fast" shutdown: don't wait for idle CKAN connections
