"""Publish progress: a bar on a terminal, numbered lines in logs."""

from __future__ import annotations

import io

from opencatalog.commands.progress import PublishProgress


def test_log_lines_are_numbered_and_steps_are_indented():
    out = io.StringIO()
    with PublishProgress(2, out, bar=False) as progress:
        progress("organization cdd: unchanged")
        progress("datastore provinces: 10,000 rows")
        progress("dataset thai-provinces: created")
    assert out.getvalue().splitlines() == [
        "  [1/2] organization cdd: unchanged",
        "  datastore provinces: 10,000 rows",
        "  [2/2] dataset thai-provinces: created",
    ]


def test_bar_counts_finished_objects_and_prints_each():
    out = io.StringIO()
    with PublishProgress(3, out, bar=True) as progress:
        for name in ("a", "b", "c"):
            progress(f"dataset {name}: updated")
    text = out.getvalue()
    assert progress.done == 3
    assert "dataset b: updated" in text
    assert "3/3" in text


def test_nothing_to_do_draws_no_bar():
    out = io.StringIO()
    for bar in (True, False):
        with PublishProgress(0, out, bar=bar) as progress:
            progress("dataset a: unchanged")
    assert out.getvalue() == ""
