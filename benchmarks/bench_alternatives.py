"""What a data steward would reach for instead, on the repository's sample catalog.

The sample catalog (catalog/ + datapackages/ of this repository, copied to a temp dir)
is published twice to a private local portal (thai-gdc profile, GD Catalog schema) by:

1. OpenCatalog — `opencatalog publish --yes --format json`;
2. a plain ckanapi loop, as a typical script does: read the YAML, create the organization
   and groups if missing, `package_show` -> `package_update` or `package_create`, then
   `resource_create(upload=open(f, 'rb'))` for every file;
3. frictionless-py's CKAN adapter (`Package.publish(url, control=CkanControl(...))`, what
   `frictionless publish` calls), with a descriptor carrying the same metadata (GD Catalog
   fields as custom properties, which the mapper turns into CKAN extras).  Run 2 as run 1
   (`allow_update=False`, the default), then run 2b with `allow_update=True`.  As the GD
   Catalog schema refuses it (required fields are not read from extras), it is also run
   against a second, stock-CKAN portal (`--schema none`; tags stock CKAN refuses dropped).

Between tools the portal is emptied (dataset_purge, group_purge, organization_purge).
Every run is a fresh process; writes are counted from the HTTP requests it makes (for
OpenCatalog: the report's summary).  "Duplicated resources" = resources on the portal
minus distinct resource names, over the catalog's datasets, after the run.

    .venv/bin/python benchmarks/bench_alternatives.py --json out.json
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import DATA, OPENCATALOG, REPO, Row, local_portal, markdown, timed, write_rows  # noqa: E402

# Counts the API calls a tool makes, in its own process: every CKAN action goes through
# requests.Session.request with the action name as the last path segment.
COUNTER = r"""
import json, re, sys
import requests
_orig = requests.Session.request
CALLS = {"calls": 0, "writes": 0}
_WRITE = re.compile(r"_(create|update|patch|delete|purge)$|^member_create$")
def _request(self, method, url, *a, **kw):
    m = re.search(r"/api/(?:3/)?action/([a-z_]+)", str(url))
    if m:
        CALLS["calls"] += 1
        if _WRITE.search(m.group(1)):
            CALLS["writes"] += 1
    return _orig(self, method, url, *a, **kw)
requests.Session.request = _request
"""

CKANAPI_LOOP = COUNTER + r"""
# --- a typical steward's script: YAML -> ckanapi --------------------------------------
import yaml, ckanapi
root, url, token = sys.argv[1:4]
ckan = ckanapi.RemoteCKAN(url, apikey=token)
def th(v):
    return v.get("th") if isinstance(v, dict) else v
errors = []
for kind, folder in (("organization", "organizations"), ("group", "groups")):
    for f in sorted((__import__("pathlib").Path(root) / "catalog" / folder).glob("*.yaml")):
        d = yaml.safe_load(f.read_text(encoding="utf-8"))
        try:
            ckan.call_action(f"{kind}_show", {"id": d["name"]})
        except ckanapi.NotFound:
            ckan.call_action(f"{kind}_create", {"name": d["name"], "title": th(d["title"]),
                                               "description": th(d.get("description")) or ""})
for f in sorted((__import__("pathlib").Path(root) / "catalog" / "datasets").glob("*.yaml")):
    d = yaml.safe_load(f.read_text(encoding="utf-8"))
    pkg = {"name": d["name"], "title": th(d["title"]), "notes": th(d.get("description")),
           "owner_org": d.get("organization", "cdd"), "license_id": d.get("license", "Open Data Common"),
           "tags": [{"name": t} for t in d.get("tags", [])],
           "groups": [{"name": g} for g in d.get("groups", [])],
           "maintainer": d["contact"]["name"], "maintainer_email": d["contact"]["email"],
           **{k: v for k, v in (d.get("gdc") or {}).items()}}
    try:
        try:
            existing = ckan.action.package_show(id=d["name"])
            pkg["id"] = existing["id"]
            pkg["resources"] = existing["resources"]  # keep what is there, as scripts do
            ckan.action.package_update(**pkg)
        except ckanapi.NotFound:
            ckan.action.package_create(**pkg)
        for r in d.get("resources", []):
            if "path" not in r:
                continue
            path = __import__("pathlib").Path(root) / "datapackages" / d["name"] / r["path"]
            with open(path, "rb") as fh:
                # multipart form fields cannot carry lists: only the scalar GD Catalog fields
                extra = {k: v for k, v in (r.get("gdc") or {}).items() if not isinstance(v, list)}
                ckan.action.resource_create(package_id=d["name"], name=th(r.get("title")) or r["name"],
                                            format=r.get("format", "CSV"), upload=fh, **extra)
    except ckanapi.ValidationError as exc:
        errors.append(f"{d['name']}: {exc}")
print(json.dumps({**CALLS, "errors": errors}))
"""

FRICTIONLESS_PUBLISH = COUNTER + r"""
# --- frictionless-py's CKAN adapter (what `frictionless publish` uses) -----------------
import yaml
from pathlib import Path
from frictionless import Package, system
from frictionless.portals import CkanControl
from opencatalog.load.catalog_loader import load_catalog
from opencatalog.model.datapackage import package_descriptor
root, url, token, allow_update = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4] == "1"
stock_tags = len(sys.argv) > 5 and sys.argv[5] == "stock"
system.trusted = True
catalog = load_catalog(root, search_parents=False)
errors = []
def th(v):
    return v.get("th") if isinstance(v, dict) else v
for ds in catalog.datasets:
    raw = yaml.safe_load((Path(root) / "catalog" / "datasets" / f"{ds.name}.yaml").read_text("utf-8"))
    desc = package_descriptor(ds)
    desc.update({"title": th(raw["title"]), "description": th(raw.get("description")),
                 "keywords": [t for t in raw.get("tags", [])
                              if not stock_tags or re.fullmatch(r"[\w \-.]+", t)],
                 "licenses": [{"name": raw.get("license", "Open Data Common")}],
                 "contributors": [{"title": raw["contact"]["name"], "email": raw["contact"]["email"],
                                   "role": "maintainer"}],
                 **(raw.get("gdc") or {})})
    try:
        package = Package(desc, basepath=str(Path(root) / "datapackages" / ds.name))
        package.publish(url, control=CkanControl(baseurl=url, apikey=token, organization_name="cdd",
                                                 allow_update=allow_update))
    except Exception as exc:  # report honestly whatever the adapter raises
        errors.append(f"{ds.name}: {type(exc).__name__}: {str(exc)[:3000]}")
print(json.dumps({**CALLS, "errors": errors}))
"""


def sample_copy() -> Path:
    dest = DATA / "alternatives-sample"
    shutil.rmtree(dest, ignore_errors=True)
    dest.mkdir(parents=True)
    shutil.copytree(REPO / "catalog", dest / "catalog")
    shutil.copytree(REPO / "datapackages", dest / "datapackages")
    return dest


def _api(url: str, token: str):
    import ckanapi

    return ckanapi.RemoteCKAN(url, apikey=token)


def catalog_names(root: Path) -> tuple[list[str], list[str], list[str]]:
    def names(folder: str) -> list[str]:
        return sorted(p.stem for p in (root / "catalog" / folder).glob("*.yaml"))

    return names("datasets"), names("groups"), names("organizations")


def portal_counts(url: str, token: str, datasets: list[str]) -> dict:
    import ckanapi

    ckan = _api(url, token)
    found, resources, dups = 0, 0, 0
    for name in datasets:
        try:
            pkg = ckan.action.package_show(id=name)
        except ckanapi.NotFound:
            continue
        found += 1
        res_names = [r.get("name") for r in pkg.get("resources", [])]
        resources += len(res_names)
        dups += len(res_names) - len(set(res_names))
    return {"datasets": found, "resources": resources, "duplicated_resources": dups}


def reset(url: str, token: str, root: Path) -> None:
    import ckanapi

    ckan = _api(url, token)
    datasets, groups, orgs = catalog_names(root)
    for name in datasets:
        try:
            ckan.action.dataset_purge(id=name)
        except ckanapi.NotFound:
            pass
    for action, names in (("group_purge", groups), ("organization_purge", orgs)):
        for name in names:
            try:
                ckan.call_action(action, {"id": name})
            except ckanapi.NotFound:
                pass


def run(plain: bool = True) -> list[Row]:
    root = sample_copy()
    datasets, _, _ = catalog_names(root)
    out: list[Row] = []

    def record(url: str, token: str, tool: str, run_label: str, r, calls: dict) -> None:
        counts = portal_counts(url, token, datasets)
        errs = calls.get("errors") or []
        note = (f"{counts['datasets']}/{len(datasets)} datasets, {counts['resources']} resources, "
                f"**{counts['duplicated_resources']} duplicated**")
        if errs:
            note += f"; {len(errs)} error(s), first: {_short(errs[0])}"
        out.append(Row("alternatives", f"{tool}, {run_label}", wall_s=round(r.wall, 2), runs=1,
                       api_calls=calls.get("api_calls", calls.get("calls")),
                       writes=calls.get("writes"), rss_mb=round(r.rss_mb, 1), extra=note, load=r.load,
                       raw={"counts": counts, "errors": errs}))

    def frictionless_runs(url: str, token: str, env: dict, label: str, stock: bool) -> None:
        _api(url, token).action.organization_create(name="cdd", title="กรมการพัฒนาชุมชน")
        for k, allow in (("1", "0"), ("2", "0"), ("2b (allow_update=True)", "1")):
            r = timed([sys.executable, "-c", FRICTIONLESS_PUBLISH, str(root), url, token, allow,
                       "stock" if stock else "gdc"], env=env, check=False)
            record(url, token, f"frictionless CkanAdapter (Package.publish), {label}", f"run {k}", r,
                   _parse(r))
        reset(url, token, root)

    state = Path(tempfile.mkdtemp(prefix="opencatalog-bench-alt-"))
    with local_portal(state) as portal:
        env, url, token = portal.env, portal.url, portal.token()
        for k in (1, 2):
            r = timed([OPENCATALOG, "publish", "--root", str(root), "--target", "local", "--yes",
                       "--format", "json"], env=env)
            record(url, token, "OpenCatalog publish", f"run {k}", r,
                   json.loads(r.stdout).get("summary", {}))
        reset(url, token, root)
        for k in (1, 2):
            r = timed([sys.executable, "-c", CKANAPI_LOOP, str(root), url, token], env=env, check=False)
            record(url, token, "ckanapi loop (package_update/create + resource_create)", f"run {k}", r,
                   _parse(r))
        reset(url, token, root)
        frictionless_runs(url, token, env, "GD Catalog portal", stock=False)
    if plain:
        state = Path(tempfile.mkdtemp(prefix="opencatalog-bench-alt-plain-"))
        with local_portal(state, schema="none") as portal:
            frictionless_runs(portal.url, portal.token(), portal.env,
                              "stock CKAN portal (tags stock CKAN refuses dropped)", stock=True)
    return out


def _short(err: str) -> str:
    """An error, unescaped and shortened for a table cell: the CKAN `error` object if any."""
    err = re.sub(r"\\+u([0-9a-fA-F]{4})", lambda m: chr(int(m.group(1), 16)), err)
    m = re.search(r'"error": (\{.*?\})', err)
    head = err.split(":", 1)[0]
    if m:
        err = f"{head}: {m.group(1)}"
    err = re.sub(r"\s+", " ", err).replace("|", "/")
    return err[:200] + ("…" if len(err) > 200 else "")


def _parse(r) -> dict:
    try:
        return json.loads(r.stdout.strip().splitlines()[-1])
    except (ValueError, IndexError):
        return {"errors": [f"exit {r.rc}: {r.stderr.strip()[-400:]}"]}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--json", type=Path)
    ap.add_argument("--quick", action="store_true", help="same as without (the sample is small)")
    ap.add_argument("--no-plain", action="store_true",
                    help="skip frictionless against a second, stock-CKAN portal")
    args = ap.parse_args()
    rows = run(plain=not args.no_plain)
    write_rows(rows, args.json)
    print(markdown(rows))


if __name__ == "__main__":
    main()
