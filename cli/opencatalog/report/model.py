"""One report model shared by validate, plan and publish.

A report is data; the renderers in this package turn it into a terminal view,
JSON, GitHub annotations or markdown.  Every problem a user can act on is a
`Finding` that names the file and place (line/column for YAML, row/field for data).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Literal

Severity = Literal["error", "warning", "info"]


@dataclass(frozen=True)
class Finding:
    code: str  # stable machine name, e.g. "yaml.duplicate-key", "gdc.choice", "data.type-error"
    message: str  # one sentence a data steward understands
    severity: Severity = "error"
    file: str | None = None  # repository-relative, posix separators
    line: int | None = None  # 1-based
    column: int | None = None  # 1-based
    dataset: str | None = None
    resource: str | None = None
    row: int | None = None  # data row number as frictionless counts it (header = 1)
    field: str | None = None  # data field or metadata key path
    hint: str | None = None  # how to fix it
    rule: str | None = None  # the portal rule or profile rule that failed

    def to_dict(self) -> dict[str, Any]:
        return {k: v for k, v in asdict(self).items() if v is not None}

    @property
    def location(self) -> str:
        """`file:line:col` (or `file`) for terminal and markdown output."""
        if not self.file:
            return ""
        parts = [self.file]
        if self.line:
            parts.append(str(self.line))
            if self.column:
                parts.append(str(self.column))
        return ":".join(parts)


@dataclass
class Report:
    command: str  # "validate", "plan", "publish"
    findings: list[Finding] = field(default_factory=list)
    datasets: list[str] = field(default_factory=list)  # datasets the command looked at
    summary: dict[str, Any] = field(default_factory=dict)  # command-specific figures

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == "error"]

    @property
    def warnings(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == "warning"]

    @property
    def ok(self) -> bool:
        return not self.errors

    def extend(self, findings: list[Finding]) -> None:
        self.findings.extend(findings)

    def for_dataset(self, name: str | None) -> list[Finding]:
        return [f for f in self.findings if f.dataset == name]

    def to_dict(self) -> dict[str, Any]:
        return {
            "command": self.command,
            "valid": self.ok,
            "errors": len(self.errors),
            "warnings": len(self.warnings),
            "datasets": self.datasets,
            "summary": self.summary,
            "findings": [f.to_dict() for f in self.findings],
        }
