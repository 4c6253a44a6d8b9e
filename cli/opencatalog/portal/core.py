"""portal up / down / status: orchestration of the three services."""
from __future__ import annotations

import fcntl
import shutil
import string
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from . import procs, schema, services, system, venv
from .state import (
    Layout,
    PortalError,
    PortalState,
    default_state_dir,
    load_state,
    save_state,
)

Echo = Callable[[str], object]
SERVICES = ("postgres", "redis", "ckan")  # start order; stopped in reverse
JOBS = "jobs"  # CKAN's background jobs worker (runs xloader's loads), with --xloader
DEFAULT_CKAN_PORT = 5000
DEFAULT_PG_PORT = 54329
DEFAULT_REDIS_PORT = 63799


@dataclass
class LocalPortalInfo:
    url: str
    state_dir: Path
    token_file: Path
    profile: str  # "thai-gdc" | "ckan"
    max_resource_size_mb: int
    ckan_version: str = ""
    xloader: bool = False

    def token(self) -> str:
        try:
            return self.token_file.read_text(encoding="utf-8").strip()
        except OSError as exc:
            raise PortalError(f"No API token at {self.token_file}: {exc.strerror}") from None


def _layout(state_dir: Path | None) -> Layout:
    return Layout(state_dir or default_state_dir())


def _info(layout: Layout, state: PortalState) -> LocalPortalInfo:
    return LocalPortalInfo(
        url=f"http://127.0.0.1:{state.ckan_port}",
        state_dir=layout.root,
        token_file=layout.token_file,
        profile=state.profile,
        max_resource_size_mb=state.max_resource_size_mb,
        ckan_version=state.ckan_version,
        xloader=state.xloader,
    )


def _services(state: PortalState) -> tuple[str, ...]:
    return SERVICES + ((JOBS,) if state.xloader else ())


def _alive(state: PortalState, name: str) -> bool:
    return procs.pid_alive(state.pids.get(name))


def _port_error(port: int, what: str, flag: str | None) -> PortalError:
    holder = procs.who_listens(port)
    msg = f"Port {port} ({what}) is already in use" + (f" by {holder}" if holder else "") + "."
    if flag:
        msg += f" Choose another with {flag} N, or stop that process."
    return PortalError(msg)


def _pick_port(preferred: int) -> int:
    return preferred if procs.port_free(preferred) else procs.free_port()


def _resolve_profile(state: PortalState, layout: Layout, schema_opt: str | None) -> None:
    if schema_opt is None:
        if state.schema_source == "":
            state.schema_source = "default"
    else:
        state.schema_source = "none" if schema_opt == "none" else (
            "default" if schema_opt == "default" else str(Path(schema_opt).resolve()))
    state.profile = "ckan" if state.schema_source == "none" else "thai-gdc"
    if state.schema_source not in ("none", "default") and not Path(state.schema_source).is_file():
        raise PortalError(f"Schema file not found: {state.schema_source}")


def _write_config(layout: Layout, state: PortalState) -> None:
    """(Re)generate ckan.ini, wsgi.py and the dataset schema on every start."""
    layout.storage.mkdir(parents=True, exist_ok=True)
    # datatables_view + opencatalog_views: a resource with a DataStore table gets a
    # preview (the default view, created when the table is loaded)
    plugins = ["opencatalog_pgsearch", "datastore", "datatables_view", "opencatalog_views"]
    xloader_lines = ""
    # xloader refuses to load without its API token, which exists only after CKAN's
    # first set-up: that runs without xloader, the config is written again afterwards
    if state.xloader and layout.token_file.exists():
        plugins.insert(2, "xloader")
        token = layout.token_file.read_text().strip()
        xloader_lines = (
            f"ckanext.xloader.jobs_db.uri = postgresql://ckan:{state.secrets['pg_ckan']}"
            f"@127.0.0.1:{state.pg_port}/ckan\n"
            f"ckanext.xloader.api_token = {token}")
    scheming_lines = ""
    if state.profile == "thai-gdc":
        plugins.append("scheming_datasets")
        if state.schema_source == "default":
            schema.write_schema(layout.schema)
            schema_path = layout.schema
        else:
            schema_path = Path(state.schema_source)
        scheming_lines = (f"scheming.dataset_schemas = file://{schema_path}\n"
                          "scheming.presets = ckanext.scheming:presets.json\n"
                          "scheming.dataset_fallback = false")
    tmpl = string.Template((venv.files_dir() / "ckan.ini.tmpl").read_text(encoding="utf-8"))
    s = state.secrets
    layout.ini.write_text(tmpl.substitute(
        app_secret=s["app_secret"], site_url=f"http://127.0.0.1:{state.ckan_port}",
        pg_ckan=s["pg_ckan"], pg_datastore_ro=s["pg_datastore_ro"], pg_port=state.pg_port,
        redis_port=state.redis_port, plugins=" ".join(plugins),
        gdc_rules="true" if state.profile == "thai-gdc" else "false",
        scheming=scheming_lines, xloader=xloader_lines, storage_path=layout.storage,
        max_resource_size=state.max_resource_size_mb,
    ), encoding="utf-8")
    layout.ini.chmod(0o600)  # holds database passwords
    shutil.copyfile(venv.files_dir() / "wsgi.py", layout.wsgi)


def _new_state(layout: Layout, port: int | None, release: str) -> PortalState:
    state = PortalState(secrets=services.new_secrets(), ckan_version=release)
    state.ckan_port = port or DEFAULT_CKAN_PORT
    state.pg_port = _pick_port(DEFAULT_PG_PORT)
    state.redis_port = _pick_port(DEFAULT_REDIS_PORT)
    if state.redis_port == state.pg_port:
        state.redis_port = procs.free_port()
    return state


def portal_up(
    state_dir: Path | None = None,
    port: int | None = None,
    schema: str | None = None,
    echo: Echo = print,
    *,
    ckan: str | None = None,
    xloader: bool | None = None,
    web_workers: int | None = None,
) -> LocalPortalInfo:
    """Start the portal. ckan: '2.10', '2.11' or '2.12' (default: the state's, else the
    newest); xloader/web_workers: None keeps what the state dir had."""
    layout = _layout(state_dir)
    layout.root.mkdir(parents=True, exist_ok=True)
    # one `up` at a time per state dir (e.g. parallel test sessions)
    with open(layout.root / ".up.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        return _portal_up(layout, port, schema, echo, ckan, xloader, web_workers)


def _portal_up(layout: Layout, port: int | None, schema: str | None, echo: Echo,
               ckan: str | None, xloader: bool | None, web_workers: int | None
               ) -> LocalPortalInfo:
    started = time.monotonic()
    state = load_state(layout)
    fresh = state is None
    if state is None:
        state = _new_state(layout, port, venv.ckan_release(ckan))
    elif ckan and venv.ckan_release(ckan) != state.ckan_version:
        raise PortalError(f"The portal in {layout.root} was created with CKAN "
                          f"{state.ckan_version}; its database cannot be moved to CKAN "
                          f"{venv.ckan_release(ckan)}. Use another --state-dir (or delete "
                          "this one after `opencatalog portal down`).")
    elif port and port != state.ckan_port:
        if _alive(state, "ckan"):
            raise PortalError(f"The portal in {layout.root} is already running on port "
                              f"{state.ckan_port}; run `opencatalog portal down` first "
                              "to change the port.")
        state.ckan_port = port
    old_config = (state.profile, state.schema_source, state.xloader, state.web_workers)
    _resolve_profile(state, layout, schema)
    if xloader is not None:
        state.xloader = xloader
    if web_workers is not None:
        if web_workers < 1:
            raise PortalError("--workers must be at least 1")
        state.web_workers = web_workers
    if not fresh and (state.profile, state.schema_source, state.xloader,
                      state.web_workers) != old_config:
        for name in (JOBS, "ckan"):  # new configuration: restart CKAN (and its worker)
            if _alive(state, name):
                procs.stop(state.pids.pop(name))

    if all(_alive(state, n) for n in _services(state)) and services.ckan_healthy(
            _info(layout, state).url):
        save_state(layout, state)
        info = _info(layout, state)
        echo(f"Portal already running at {info.url}")
        echo(f"API token: {info.token_file}  (print it with `opencatalog portal token`)")
        return info

    state.venv = str(venv.venv_path(state.ckan_version))
    system.require_packages(need_build=not venv.venv_ready(
        Path(state.venv), state.ckan_version, state.xloader))
    state.pg_user = system.service_user() or ""
    state.pgdata = str(services.pgdata_for(layout, state.pg_user or None))
    layout.root.mkdir(parents=True, exist_ok=True)
    layout.logs.mkdir(parents=True, exist_ok=True)
    save_state(layout, state)

    # ports: ours must be free unless our own process holds them
    if not _alive(state, "ckan") and not procs.port_free(state.ckan_port):
        raise _port_error(state.ckan_port, "CKAN", "--port")
    for name, attr, what in (("postgres", "pg_port", "PostgreSQL"), ("redis", "redis_port", "Redis")):
        taken = getattr(state, attr)
        if not _alive(state, name) and not procs.port_free(taken):
            # only CKAN's port is the user's; an internal one taken (e.g. by another
            # portal) simply moves, since ckan.ini is rewritten on every start
            setattr(state, attr, procs.free_port())
            echo(f"{what} port {taken} is in use by another process; using {getattr(state, attr)}")
    save_state(layout, state)

    venv.ensure_venv(Path(state.venv), state.ckan_version, state.xloader, layout.log("pip"), echo)
    _write_config(layout, state)

    if not _alive(state, "postgres"):
        if services.pg_init(layout, state):
            state.initialized = False  # cluster was lost/removed: set CKAN up again
        port = state.pg_port
        state.pids["postgres"] = services.pg_start(layout, state)
        save_state(layout, state)
        if state.pg_port != port:  # taken meanwhile: CKAN must use the new one
            _write_config(layout, state)
    try:
        if not _alive(state, "redis"):
            state.pids["redis"] = services.redis_start(layout, state)
            save_state(layout, state)
        services.pg_create_databases(state)
        if not state.initialized:
            echo("Initialising CKAN (database, DataStore, sysadmin)...")
            services.ckan_setup(layout, state)
            state.initialized = True
            save_state(layout, state)
            _write_config(layout, state)  # now with the API token xloader needs
        if not _alive(state, "ckan"):
            state.pids["ckan"] = services.ckan_start(layout, state)
            save_state(layout, state)
        info = _info(layout, state)
        services.wait_ckan(layout, info.url, state.pids["ckan"])
        if state.xloader and not _alive(state, JOBS):
            state.pids[JOBS] = services.jobs_start(layout, state)
            save_state(layout, state)
    except PortalError:
        if fresh:  # don't leave half-started services of a first `up` behind
            _stop_all(layout, state)
        raise
    extras = "".join([", xloader + jobs worker" if state.xloader else "",
                      f", {state.web_workers} web workers" if state.web_workers > 1 else ""])
    echo(f"Portal up at {info.url}  (CKAN {state.ckan_version}, {state.profile}{extras}, "
         f"{time.monotonic() - started:.1f}s)")
    echo(f"API token: {info.token_file}  (print it with `opencatalog portal token`)")
    echo(f"Logs: {layout.logs}")
    return info


def _stop_all(layout: Layout, state: PortalState) -> list[str]:
    stopped = []
    for name in reversed(SERVICES + (JOBS,)):
        pid = state.pids.get(name)
        if pid and _alive(state, name):
            sig = services.PG_STOP_SIGNAL if name == "postgres" else 15
            procs.stop(pid, sig)
            stopped.append(name)
        state.pids.pop(name, None)
    save_state(layout, state)
    return stopped


def portal_down(state_dir: Path | None = None, echo: Echo = print) -> None:
    layout = _layout(state_dir)
    state = load_state(layout)
    if state is None:
        echo(f"No portal in {layout.root}")
        return
    stopped = _stop_all(layout, state)
    echo("Stopped " + ", ".join(stopped) if stopped else "Portal was not running")


def stop_ckan(state_dir: Path | None = None) -> None:
    """Stop only the CKAN web process (tests: "CKAN killed mid-publish")."""
    layout = _layout(state_dir)
    state = load_state(layout)
    if state and _alive(state, "ckan"):
        procs.stop(state.pids["ckan"])
        state.pids.pop("ckan", None)
        save_state(layout, state)


def start_ckan(state_dir: Path | None = None) -> LocalPortalInfo:
    """Start only the CKAN web process again (other services must be running)."""
    layout = _layout(state_dir)
    state = load_state(layout)
    if state is None or not state.initialized:
        raise PortalError(f"No initialised portal in {layout.root}; run `portal up`.")
    if not (_alive(state, "postgres") and _alive(state, "redis")):
        raise PortalError("PostgreSQL/Redis are not running; run `opencatalog portal up`.")
    info = _info(layout, state)
    if not _alive(state, "ckan"):
        if not procs.port_free(state.ckan_port):
            raise _port_error(state.ckan_port, "CKAN", "--port")
        state.pids["ckan"] = services.ckan_start(layout, state)
        save_state(layout, state)
    services.wait_ckan(layout, info.url, state.pids["ckan"])
    return info


def locate_local_portal(state_dir: Path | None = None) -> LocalPortalInfo | None:
    layout = _layout(state_dir)
    state = load_state(layout)
    if state is None or not all(_alive(state, n) for n in _services(state)):
        return None
    return _info(layout, state)


def portal_status(state_dir: Path | None = None) -> dict[str, Any]:
    layout = _layout(state_dir)
    state = load_state(layout)
    if state is None:
        return {"state_dir": str(layout.root), "running": False, "initialized": False}
    url = f"http://127.0.0.1:{state.ckan_port}"
    services_status = {}
    for name in _services(state):
        pid = state.pids.get(name)
        alive = procs.pid_alive(pid)
        services_status[name] = {
            "pid": pid if alive else None,
            "running": alive,
            "rss_mb": round(procs.rss_kb(pid) / 1024, 1) if alive and pid else None,
        }
    services_status["postgres"]["port"] = state.pg_port
    services_status["redis"]["port"] = state.redis_port
    services_status["ckan"]["port"] = state.ckan_port
    running = all(s["running"] for s in services_status.values())
    return {
        "state_dir": str(layout.root),
        "url": url,
        "running": running,
        "healthy": running and services.ckan_healthy(url),
        "initialized": state.initialized,
        "profile": state.profile,
        "schema": state.schema_source,
        "max_resource_size_mb": state.max_resource_size_mb,
        "token_file": str(layout.token_file),
        "ckan_venv": state.venv,
        "ckan_version": state.ckan_version,
        "xloader": state.xloader,
        "web_workers": state.web_workers,
        "pgdata": state.pgdata,
        "logs": str(layout.logs),
        "services": services_status,
    }


def purge_portal(state_dir: Path) -> None:
    """Stop and delete a portal completely (tests' temporary portals)."""
    layout = _layout(state_dir)
    state = load_state(layout)
    if state is not None:
        _stop_all(layout, state)
        if state.pgdata and Path(state.pgdata).parent.parent == services.PG_EXTERNAL_ROOT:
            shutil.rmtree(Path(state.pgdata).parent, ignore_errors=True)
    shutil.rmtree(layout.root, ignore_errors=True)
