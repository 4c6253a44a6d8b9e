"""Floods of one mistake shown as one group: the first rows, then "and N more rows (rows a–b)".

A systematic mistake (a date column in the wrong format) gives one finding per row; the
report keeps them all (JSON has every one), the views for people and GitHub group those of
the same code on the same field of the same file.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from opencatalog.report.model import Finding

SHOWN = 3  # rows shown of a group before "and N more rows"


@dataclass
class Group:
    findings: list[Finding] = field(default_factory=list)

    @property
    def first(self) -> Finding:
        return self.findings[0]

    @property
    def shown(self) -> list[Finding]:
        return self.findings[:SHOWN]

    @property
    def hidden(self) -> list[Finding]:
        return self.findings[SHOWN:]

    def more(self, after: int = SHOWN) -> str:
        """"and N more rows (rows a–b)" for the findings after the first `after`; "" if none."""
        rest = [f.row for f in self.findings[after:] if f.row is not None]
        if not rest:
            return ""
        span = f"row {rest[0]}" if len(rest) == 1 else f"rows {min(rest)}–{max(rest)}"
        return f"and {len(rest):,} more row{'s' if len(rest) > 1 else ''} ({span})"


def group_findings(findings: list[Finding]) -> list[Group]:
    """Groups in the order of their first finding; a finding without a row is its own group."""
    groups: list[Group] = []
    by_key: dict[tuple, Group] = {}
    for finding in findings:
        if finding.row is None:
            groups.append(Group([finding]))
            continue
        key = (finding.code, finding.file, finding.resource, finding.field, finding.severity)
        if key not in by_key:
            by_key[key] = Group()
            groups.append(by_key[key])
        by_key[key].findings.append(finding)
    return groups
