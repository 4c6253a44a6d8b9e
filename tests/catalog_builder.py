"""A minimal, valid catalog repository for tests, independent of the sample catalog.

`VALID_FILES` maps repository-relative paths to their text.  `write_catalog(root, ...)`
writes them (with any file overridden, added or removed) so a test can start from a
catalog that passes `opencatalog validate` and change exactly one thing.

The catalog: profile thai-gdc, one organization (`test-org`), one group (`test-group`),
one statistical dataset (`village-funds`) with every GD Catalog field the standard
requires, and two CSV resources with table schemas: `provinces` (primary key `code`)
and `funds` (primary key `fund_id`, foreign key `province_code` -> `provinces.code`).
"""

from __future__ import annotations

import shutil
from collections.abc import Iterable, Mapping
from pathlib import Path

DATASET = "village-funds"
DATASET_FILE = f"catalog/datasets/{DATASET}.yaml"
DATA_DIR = f"datapackages/{DATASET}"

CATALOG_YAML = """\
language: th
profile: thai-gdc
defaults:
  organization: test-org
  license: Open Data Common
targets:
  local:
    url: local
"""

ORGANIZATION_YAML = """\
name: test-org
title: {th: หน่วยงานทดสอบ, en: Test Organization}
description: {th: หน่วยงานสำหรับการทดสอบ, en: An organization for tests}
url: https://example.go.th
"""

GROUP_YAML = """\
name: test-group
title: {th: กลุ่มทดสอบ, en: Test Group}
"""

# Line numbers matter: the broken corpus and several tests point at them.
DATASET_YAML = """\
name: village-funds
title: {th: กองทุนหมู่บ้านรายจังหวัด, en: Village funds by province}
description: {th: จำนวนเงินกองทุนหมู่บ้านแยกตามจังหวัด, en: Village fund amounts by province}
organization: test-org
groups: [test-group]
tags: [กองทุน, จังหวัด, OTOP]
license: Open Data Common
contact:
  name: ศูนย์สารสนเทศ
  email: data@example.go.th
gdc:
  data_type: ข้อมูลสถิติ
  objective: [พันธกิจหน่วยงาน]
  update_frequency_unit: ปี
  update_frequency_interval: 1
  geo_coverage: จังหวัด
  data_source: หน่วยงานทดสอบ
  data_format: [CSV]
  data_category: ข้อมูลสาธารณะ
  data_classification: เปิดเผย
  data_language: [ไทย]
  first_year_of_data: "2566"
  last_year_of_data: "2566"
resources:
  - name: provinces
    title: {th: จังหวัด, en: Provinces}
    path: provinces.csv
    schema: provinces.schema.yaml
  - name: funds
    title: {th: กองทุน, en: Funds}
    path: funds.csv
    schema: funds.schema.yaml
    gdc: {resource_first_year_of_data: "2566"}
"""

PROVINCES_SCHEMA = """\
fields:
  - name: code
    type: string
    title: รหัสจังหวัด
    constraints: {required: true, pattern: "^[1-9][0-9]$"}
  - name: name_th
    type: string
    title: ชื่อจังหวัด
    constraints: {required: true}
primaryKey: [code]
"""

PROVINCES_CSV = """\
code,name_th
10,กรุงเทพมหานคร
50,เชียงใหม่
90,สงขลา
"""

FUNDS_SCHEMA = """\
fields:
  - name: fund_id
    type: integer
    title: รหัสกองทุน
    constraints: {required: true}
  - name: province_code
    type: string
    title: รหัสจังหวัด
  - name: amount
    type: integer
    title: จำนวนเงิน (บาท)
    constraints: {minimum: 0}
primaryKey: [fund_id]
foreignKeys:
  - fields: [province_code]
    reference: {resource: provinces, fields: [code]}
"""

FUNDS_CSV = """\
fund_id,province_code,amount
1,10,1000000
2,50,250000
3,90,300000
4,50,125000
"""

VALID_FILES: dict[str, str] = {
    "catalog/catalog.yaml": CATALOG_YAML,
    "catalog/organizations/test-org.yaml": ORGANIZATION_YAML,
    "catalog/groups/test-group.yaml": GROUP_YAML,
    DATASET_FILE: DATASET_YAML,
    f"{DATA_DIR}/provinces.csv": PROVINCES_CSV,
    f"{DATA_DIR}/provinces.schema.yaml": PROVINCES_SCHEMA,
    f"{DATA_DIR}/funds.csv": FUNDS_CSV,
    f"{DATA_DIR}/funds.schema.yaml": FUNDS_SCHEMA,
}

Content = str | bytes | None


def catalog_files(overrides: Mapping[str, Content] | None = None,
                  remove: Iterable[str] = ()) -> dict[str, str | bytes]:
    """The valid files with `overrides` applied (None removes a file) and `remove` dropped."""
    files: dict[str, str | bytes] = dict(VALID_FILES)
    for path, content in (overrides or {}).items():
        if content is None:
            files.pop(path, None)
        else:
            files[path] = content
    for path in remove:
        files.pop(path, None)
    return files


def write_files(root: Path, files: Mapping[str, str | bytes]) -> Path:
    """Write `files` under `root`; text is written as UTF-8 with LF line ends."""
    root.mkdir(parents=True, exist_ok=True)
    for rel, content in files.items():
        target = root / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            target.write_bytes(content)
        else:
            target.write_bytes(content.encode("utf-8"))
    return root


def write_catalog(root: Path, overrides: Mapping[str, Content] | None = None,
                  remove: Iterable[str] = ()) -> Path:
    """Write the minimal valid catalog (with changes) under `root` and return `root`."""
    return write_files(root, catalog_files(overrides, remove))


SECOND_DATASET_FILE = "catalog/datasets/welfare-funds.yaml"


def second_dataset_yaml(title_th: str | None = None) -> str:
    """A second dataset (`welfare-funds`, one link resource), same title unless `title_th`."""
    head = replace_once(DATASET_YAML.split("resources:\n")[0], "name: village-funds\n",
                        "name: welfare-funds\n")
    if title_th is not None:
        head = replace_once(head, "กองทุนหมู่บ้านรายจังหวัด", title_th)
    return head + """\
resources:
  - name: source
    title: {th: แหล่งข้อมูลต้นทาง}
    url: https://example.go.th/welfare-funds
    format: HTML
"""


REPO_ROOT = Path(__file__).resolve().parents[1]


def copy_sample_catalog(root: Path) -> Path:
    """Copy the repository's sample catalog (catalog/ and datapackages/) to `root`."""
    for folder in ("catalog", "datapackages"):
        shutil.copytree(REPO_ROOT / folder, root / folder)
    return root


def replace_once(text: str, old: str, new: str) -> str:
    """`text` with the single occurrence of `old` replaced; fails loudly if it is not unique."""
    count = text.count(old)
    if count != 1:
        raise ValueError(f"expected exactly one {old!r} in the text, found {count}")
    return text.replace(old, new)


def line_of(text: str, needle: str) -> int:
    """1-based line of the first line containing `needle`."""
    for number, line in enumerate(text.splitlines(), start=1):
        if needle in line:
            return number
    raise ValueError(f"{needle!r} not found")
