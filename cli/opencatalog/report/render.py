"""Renderers: one report, four views (terminal, JSON, GitHub annotations, markdown)."""

from __future__ import annotations

import json
from collections import defaultdict
from typing import IO

from rich.console import Console
from rich.markup import escape

from opencatalog.report.groups import group_findings
from opencatalog.report.model import Finding, Report

FORMATS = ("text", "json", "github", "markdown")
_STYLE = {"error": "bold red", "warning": "yellow", "info": "cyan"}


def _grouped(report: Report) -> dict[str, list[Finding]]:
    groups: dict[str, list[Finding]] = defaultdict(list)
    for finding in report.findings:
        groups[finding.dataset or "(catalog)"].append(finding)
    return groups


def _detail(finding: Finding) -> str:
    bits = []
    if finding.resource:
        bits.append(f"resource {finding.resource}")
    if finding.row:
        bits.append(f"row {finding.row}")
    if finding.field and finding.code.startswith("data."):
        bits.append(f"field {finding.field}")
    return ", ".join(bits)


def _headline(report: Report) -> str:
    n_err, n_warn = len(report.errors), len(report.warnings)
    if report.command == "validate":
        state = "valid" if report.ok else "INVALID"
        return (f"{len(report.datasets)} dataset(s) checked ({report.summary.get('profile')}): "
                f"{state} — {n_err} error(s), {n_warn} warning(s)")
    if report.command == "publish" and "counts" in report.summary:
        counts = ", ".join(f"{n} {status}" for status, n in sorted(report.summary["counts"].items()))
        return (f"publish to {report.summary.get('url')}: {counts or 'nothing to do'} — "
                f"{report.summary.get('api_calls', 0)} API call(s), "
                f"{report.summary.get('writes', 0)} write(s); {n_err} error(s), {n_warn} warning(s)")
    if report.command in ("import", "new") and "written" in report.summary:
        calls = (f" — {report.summary['api_calls']} API call(s), {report.summary['writes']} "
                 "write(s) to the portal" if "api_calls" in report.summary else "")
        return (f"{report.command}: {len(report.datasets)} dataset(s), "
                f"{len(report.summary['written'])} file(s) written{calls}; {n_err} error(s), "
                f"{n_warn} warning(s)")
    return f"{report.command}: {n_err} error(s), {n_warn} warning(s)"


def render_text(report: Report, out: IO[str], color: bool | None = None) -> None:
    console = Console(file=out, force_terminal=color, no_color=color is False, soft_wrap=True,
                      highlight=False)
    for dataset, findings in _grouped(report).items():
        console.print(f"[bold]{escape(dataset)}[/bold]")
        for group in group_findings(findings):
            _text_group(console, group.shown)
            if group.hidden:
                console.print(f"  [dim]… {escape(group.more())} \\[{escape(group.first.code)}][/dim]")
    if report.findings:
        console.print()
    style = "green" if report.ok else "red"
    console.print(f"[{style}]{escape(_headline(report))}[/]")


def _text_group(console: Console, findings: list[Finding]) -> None:
    """The shown findings of a group; the fix is said once, after the last of them."""
    for n, f in enumerate(findings):
        where = f.location or "-"
        detail = _detail(f)
        line = f"  [{_STYLE[f.severity]}]{f.severity}[/] {escape(where)}"
        if detail:
            line += f" ({escape(detail)})"
        console.print(f"{line}: {escape(f.message)} [dim]\\[{f.code}][/dim]")
        last = n == len(findings) - 1
        if f.rule and (last or f.rule != findings[-1].rule):
            console.print(f"      [dim]rule:[/dim] {escape(f.rule)}")
        if f.hint and (last or f.hint != findings[-1].hint):
            console.print(f"      [dim]fix:[/dim] {escape(f.hint)}")


def render_json(report: Report, out: IO[str]) -> None:
    json.dump(report.to_dict(), out, ensure_ascii=False, indent=2)
    out.write("\n")


def _gh_escape(text: str, prop: bool = False) -> str:
    text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    if prop:
        text = text.replace(":", "%3A").replace(",", "%2C")
    return text


def render_github(report: Report, out: IO[str]) -> None:
    """GitHub Actions workflow commands: `::error file=…,line=…::message`, one per group."""
    for group in group_findings(report.findings):
        f = group.first
        kind = {"error": "error", "warning": "warning"}.get(f.severity, "notice")
        props = []
        if f.file:
            props.append(f"file={_gh_escape(f.file, True)}")
        if f.line:
            props.append(f"line={f.line}")
        if f.column:
            props.append(f"col={f.column}")
        props.append(f"title={_gh_escape(f.code, True)}")
        message = f.message
        detail = _detail(f)
        if detail:
            message += f" ({detail})"
        if group.more(after=1):
            message += f"; {group.more(after=1)} like it"
        if f.rule:
            message += f" [{f.rule}]"
        if f.hint:
            message += f" — fix: {f.hint}"
        out.write(f"::{kind} {','.join(props)}::{_gh_escape(message)}\n")
    out.write(_headline(report) + "\n")


def _md(text: str) -> str:
    # CommonMark ends a line (and so a table row) at CR as well as LF.
    return text.replace("|", "\\|").replace("\r\n", " ").replace("\r", " ").replace("\n", " ")


def render_markdown(report: Report, out: IO[str]) -> None:
    icon = "✅" if report.ok else "❌"
    out.write(f"## {icon} OpenCatalog {report.command}\n\n{_headline(report)}\n\n")
    for dataset, findings in _grouped(report).items():
        out.write(f"### {_md(dataset)}\n\n| | where | problem | how to fix |\n|---|---|---|---|\n")
        for group in group_findings(findings):
            _markdown_group(out, group.shown)
            if group.hidden:
                out.write(f"| | | … {_md(group.more())} | |\n")
        out.write("\n")


def _markdown_group(out: IO[str], findings: list[Finding]) -> None:
    for f in findings:
        mark = {"error": "❌", "warning": "⚠️"}.get(f.severity, "ℹ️")
        where = f"`{f.location}`" if f.location else ""
        detail = _detail(f)
        if detail:
            where += f" ({detail})"
        problem = f.message + (f" — *{f.rule}*" if f.rule else "")
        out.write(f"| {mark} | {_md(where)} | {_md(problem)} | {_md(f.hint or '')} |\n")


def render(report: Report, fmt: str, out: IO[str]) -> None:
    {"text": render_text, "json": render_json, "github": render_github,
     "markdown": render_markdown}[fmt](report, out)
