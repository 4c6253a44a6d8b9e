"""`opencatalog init` as a library: the files of a new agency's catalog repository.

`catalog_files(answers)` is a pure function from the answers (organization, titles, portal,
profile, licence, contact) to {repository-relative path: text}; `init_catalog(root, answers)`
writes them, refusing to overwrite a catalog that is already there unless `force`.
The texts come from the templates in `scaffold/templates/` (package data), with `@@name`
placeholders: GitHub's own `${{ … }}` expressions pass through untouched.
"""

from __future__ import annotations

import csv
import io
import json
import re
import string
from dataclasses import dataclass, field
from importlib import metadata
from importlib.resources import files
from pathlib import Path

import yaml

from opencatalog import __version__
from opencatalog.errors import OpenCatalogError
from opencatalog.licenses import CKAN_LICENSE_IDS, GDC_TO_CKAN
from opencatalog.schemas.build import SCHEMAS, render
from opencatalog.targets import check_url

PROFILES = ("thai-gdc", "ckan")
DEFAULT_LICENSE = "Open Data Common"
HOOK_ID = "opencatalog-validate"  # the hook in this project's .pre-commit-hooks.yaml
SLUG = re.compile(r"^[a-z0-9_-]{2,100}$")  # CKAN's organization and dataset names
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
MAX_DATASET_NAME = 70  # GD Catalog's limit (stock CKAN: 100)
EXAMPLE_SUFFIX = "-about"


class InitError(OpenCatalogError):
    """Bad answers or a catalog already there: a usage error (exit 2)."""


def licenses_for(profile: str) -> list[str]:
    """The licence names init accepts (อื่นๆ needs a free-text companion: not a default)."""
    names = [n for n in GDC_TO_CKAN if n != "อื่นๆ"]
    return names + list(CKAN_LICENSE_IDS) if profile == "ckan" else names


@dataclass(frozen=True)
class Answers:
    organization: str
    title_th: str
    title_en: str
    url: str  # the production portal
    profile: str = "thai-gdc"
    license: str = DEFAULT_LICENSE
    contact_name: str | None = None
    contact_email: str | None = None
    example: bool = False


# The checks, one per answer, so that a terminal prompt can re-ask just the one that is wrong.
# Each returns the cleaned value or raises InitError naming the option.

def check_organization(value: str) -> str:
    value = value.strip()
    if not SLUG.fullmatch(value):
        raise InitError(f"--organization '{value}': an organization name is 2-100 characters of "
                        "lowercase a-z, 0-9, - and _ (the portal's URL name), e.g. 'cdd'")
    return value


def check_title(value: str, option: str) -> str:
    value = " ".join(value.split())
    if not value:
        raise InitError(f"{option}: the organization's title may not be empty")
    return value


def check_portal_url(value: str) -> str:
    value = value.strip().rstrip("/")
    try:
        check_url(value, "production")
    except OpenCatalogError as exc:
        raise InitError(f"--url: {exc}") from None
    return value


def check_profile(value: str) -> str:
    if value not in PROFILES:
        raise InitError(f"--profile '{value}': use one of {', '.join(PROFILES)}")
    return value


def check_license(value: str, profile: str) -> str:
    value = value.strip()
    if value not in licenses_for(profile):
        raise InitError(f"--license '{value}' is not known to the {profile} profile; use one of: "
                        + ", ".join(licenses_for(profile)))
    return value


def check_email(value: str | None) -> str | None:
    value = (value or "").strip()
    if value and not EMAIL.fullmatch(value):
        raise InitError(f"--contact-email '{value}' is not an e-mail address")
    return value or None


def check_answers(answers: Answers) -> Answers:
    """Every answer checked together, for callers that did not check them one by one."""
    profile = check_profile(answers.profile)
    email = check_email(answers.contact_email)
    contact_name = " ".join((answers.contact_name or "").split()) or None
    checked = Answers(
        organization=check_organization(answers.organization),
        title_th=check_title(answers.title_th, "--title-th"),
        title_en=check_title(answers.title_en, "--title-en"),
        url=check_portal_url(answers.url), profile=profile,
        license=check_license(answers.license, profile),
        # a contact e-mail without a name: the agency itself is the contact
        contact_name=contact_name or (answers.title_th if email else None),
        contact_email=email, example=answers.example)
    if checked.example and not checked.contact_email:
        raise InitError("--example: a dataset needs a contact (GD Catalog requires one): "
                        "give --contact-email, the catalog's default contact")
    return checked


@dataclass(frozen=True)
class ToolSource:
    """Where a new catalog gets the tool, its action and its hook: this version's tag."""

    url: str  # https://github.com/<owner>/<name>
    ref: str  # v<version>

    @property
    def repository(self) -> str:
        return self.url.removeprefix("https://github.com/")

    @classmethod
    def installed(cls) -> ToolSource:
        urls = metadata.metadata("opencatalog").get_all("Project-URL") or []
        source = next((u.split(",", 1)[1].strip() for u in urls if u.startswith("Source,")), None)
        if not source or not source.startswith("https://github.com/"):
            raise InitError("the installed opencatalog has no GitHub Source URL in its package "
                            "metadata; reinstall it (pip install opencatalog)")
        return cls(url=source.rstrip("/"), ref=f"v{__version__}")


class _Template(string.Template):
    delimiter = "@@"


def _template(name: str) -> str:
    return files("opencatalog.scaffold").joinpath("templates", name).read_text("utf-8")


def _fill(name: str, **values: str) -> str:
    return _Template(_template(name)).substitute(values)


def _scalar(value: str) -> str:
    """`value` as a YAML scalar: plain when YAML reads it back as the same string, else quoted."""
    try:
        plain = yaml.safe_load(value) == value and "#" not in value and "\n" not in value
    except yaml.YAMLError:
        plain = False
    return value if plain else json.dumps(value, ensure_ascii=False)


def example_name(organization: str) -> str:
    return organization[:MAX_DATASET_NAME - len(EXAMPLE_SUFFIX)] + EXAMPLE_SUFFIX


def _contact_block(answers: Answers) -> str:
    lines = [f"    {key}: {_scalar(value)}" for key, value in
             (("name", answers.contact_name), ("email", answers.contact_email)) if value]
    if not lines:
        return "  # contact: {name: …, email: …}   # the default contact of every dataset"
    return "  contact:               # the default contact of every dataset\n" + "\n".join(lines)


def _example_files(answers: Answers) -> dict[str, str]:
    name = example_name(answers.organization)
    rows = io.StringIO()
    writer = csv.writer(rows, lineterminator="\n")
    writer.writerow(["organization", "name_th", "name_en", "portal_url"])
    writer.writerow([answers.organization, answers.title_th, answers.title_en,
                     f"{answers.url}/organization/{answers.organization}"])
    # stock CKAN refuses Thai vowel and tone marks in tags
    tags = "[ติดต่อ, หน่วยงาน]" if answers.profile == "thai-gdc" else "[contact, agency]"
    dataset = _fill(
        "example/dataset.yaml", dataset=name, organization=answers.organization,
        title_th=_scalar(f"ข้อมูลหน่วยงาน {answers.title_th}"),
        title_en=_scalar(f"About the {answers.title_en}"),
        data_source=_scalar(answers.title_th), tags=tags)
    return {
        f"catalog/datasets/{name}.yaml": dataset,
        f"datapackages/{name}/agency.csv": rows.getvalue(),
        f"datapackages/{name}/agency.schema.yaml": _template("example/agency.schema.yaml"),
    }


def _vscode_settings() -> str:
    schemas = {f"./.schemas/{kind}.schema.json": [pattern] for kind, pattern in (
        ("catalog", "catalog/catalog.yaml"),
        ("organization", "catalog/organizations/*.yaml"),
        ("group", "catalog/groups/*.yaml"),
        ("dataset", "catalog/datasets/*.yaml"),
    )}
    return json.dumps({"yaml.schemas": schemas, "files.encoding": "utf8",
                       "[yaml]": {"editor.insertSpaces": True, "editor.tabSize": 2}},
                      indent=2) + "\n"


def catalog_files(answers: Answers, tool: ToolSource) -> dict[str, str]:
    """The new repository's files, {relative path: text}. `answers` must be checked."""
    action_ref = f"{tool.repository}@{tool.ref}"
    out = {
        "catalog/catalog.yaml": _fill(
            "catalog.yaml", profile=answers.profile, organization=answers.organization,
            license=_scalar(answers.license), url=_scalar(answers.url),
            contact_block=_contact_block(answers)),
        f"catalog/organizations/{answers.organization}.yaml": _fill(
            "organization.yaml", organization=answers.organization,
            title_th=_scalar(answers.title_th), title_en=_scalar(answers.title_en)),
        "catalog/groups/.gitkeep": "",
        ".github/workflows/validate.yml": _fill("workflows/validate.yml", action_ref=action_ref),
        ".github/workflows/publish.yml": _fill("workflows/publish.yml", action_ref=action_ref),
        ".pre-commit-config.yaml": _fill("pre-commit-config.yaml", tool_url=tool.url,
                                         tool_ref=tool.ref, hook_id=HOOK_ID),
        ".vscode/settings.json": _vscode_settings(),
        ".gitignore": _template("gitignore"),
        "README.md": _fill("README.md", title_th=answers.title_th, title_en=answers.title_en,
                           url=answers.url, tool_url=tool.url, tool_version=__version__,
                           pip_requirement=f"git+{tool.url}@{tool.ref}"),
    }
    out.update({f".schemas/{kind}.schema.json": render(kind) for kind in SCHEMAS})
    if answers.example:
        out.update(_example_files(answers))
    else:
        out["catalog/datasets/.gitkeep"] = ""
        out["datapackages/.gitkeep"] = ""
    return out


@dataclass
class InitResult:
    root: Path
    written: list[str] = field(default_factory=list)
    overwritten: list[str] = field(default_factory=list)


def _existing_catalog(root: Path, paths: list[str]) -> list[str]:
    """What is in the way: files init would write, and anything already under catalog/."""
    clash = [p for p in paths if (root / p).exists()]
    catalog = root / "catalog"
    if catalog.is_dir():
        clash += [p.relative_to(root).as_posix() for p in sorted(catalog.rglob("*"))
                  if p.is_file() and p.relative_to(root).as_posix() not in clash]
    return clash


def init_catalog(root: str | Path, answers: Answers, *, force: bool = False,
                 tool: ToolSource | None = None) -> InitResult:
    """Write a new catalog repository into `root` (created if missing).

    Refuses (InitError) when `root` already holds a catalog or any file init writes, unless
    `force`: then those files are overwritten and nothing else is touched.
    """
    answers = check_answers(answers)
    root = Path(root)
    if root.exists() and not root.is_dir():
        raise InitError(f"{root} is a file, not a folder")
    texts = catalog_files(answers, tool or ToolSource.installed())
    clash = _existing_catalog(root, list(texts))
    if clash and not force:
        shown = ", ".join(clash[:5]) + (f" and {len(clash) - 5} more" if len(clash) > 5 else "")
        raise InitError(f"{root.resolve()} already holds a catalog ({shown}); nothing was "
                        "written. Run init in an empty folder, or add --force to overwrite "
                        "these files (others are left alone)")
    result = InitResult(root=root)
    for rel, text in texts.items():
        target = root / rel
        (result.overwritten if target.exists() else result.written).append(rel)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(text.encode("utf-8"))
    return result
