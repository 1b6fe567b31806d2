"""Refresh schedules without a server: parsing, pg_cron syntax, the worker's clock, config."""

from __future__ import annotations

import random
from datetime import UTC, datetime
from pathlib import Path

import pytest

from schemactl.config import load_settings
from schemactl.errors import ConfigError
from schemactl.refresh.cron import job_name
from schemactl.refresh.every import (
    UnsupportedSchedule,
    next_run,
    parse_every,
    pg_cron_schedule,
)
from schemactl.refresh.worker import backoff

T = datetime(2026, 11, 30, 13, 47, 12, 500000, tzinfo=UTC)


@pytest.mark.parametrize(
    ("text", "seconds", "cron"),
    [
        ("10s", 10, None),
        ("10 seconds", 10, None),
        ("5m", 300, None),
        ("2 hours", 7200, None),
        ("*/5 * * * *", None, "*/5 * * * *"),
        ("  0  3 * * 1-5 ", None, "0 3 * * 1-5"),
    ],
)
def test_parse(text: str, seconds: int | None, cron: str | None) -> None:
    every = parse_every(text)
    assert (every.seconds, every.cron) == (seconds, cron)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("0s", "is no interval"),
        ("10x", "unknown unit 'x'"),
        ("*/10 * * * * *", "reads '*/10 * * * * *' as every 10 MINUTES"),
        ("61 * * * *", "minute field '61': values must lie in 0-59"),
        ("* 24 * * *", "hour field"),
        ("*/0 * * * *", "bad step"),
        ("soon", "neither an interval nor a 5-field cron line"),
    ],
)
def test_parse_refuses(text: str, message: str) -> None:
    with pytest.raises(ValueError, match=message.replace("*", r"\*").replace("(", r"\(")):
        parse_every(text)


@pytest.mark.parametrize(
    ("text", "old", "new"),
    [
        ("10s", None, "10 seconds"),
        ("59s", None, "59 seconds"),
        ("60s", "* * * * *", "* * * * *"),
        ("1m", "* * * * *", "* * * * *"),
        ("15m", "*/15 * * * *", "*/15 * * * *"),
        ("1h", "0 * * * *", "0 * * * *"),
        ("6h", "0 */6 * * *", "0 */6 * * *"),
        ("24h", "0 0 * * *", "0 0 * * *"),
        ("7m", None, None),
        ("90s", None, None),
        ("5h", None, None),
        ("*/7 * * * *", "*/7 * * * *", "*/7 * * * *"),
    ],
)
def test_pg_cron_schedule(text: str, old: str | None, new: str | None) -> None:
    """old: pg_cron 1.4 (Debian's PostgreSQL 15), new: 1.6. None: refused."""
    every = parse_every(text)
    for version, expected in (((1, 4), old), ((1, 6), new)):
        if expected is None:
            with pytest.raises(UnsupportedSchedule):
                pg_cron_schedule(every, version)
        else:
            assert pg_cron_schedule(every, version) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("10s", "2026-11-30T13:47:20"),
        ("1s", "2026-11-30T13:47:13"),
        ("5m", "2026-11-30T13:50:00"),
        ("*/5 * * * *", "2026-11-30T13:50:00"),
        ("30 2 * * 1", "2026-12-07T02:30:00"),  # the next Monday
        ("0 0 29 2 *", "2028-02-29T00:00:00"),
        ("0 0 1 * 1", "2026-12-01T00:00:00"),  # day or weekday when both are restricted
        ("0 12 * 1 *", "2027-01-01T12:00:00"),
    ],
)
def test_next_run(text: str, expected: str) -> None:
    assert next_run(parse_every(text), T) == datetime.fromisoformat(expected + "+00:00")


def test_intervals_are_aligned_so_workers_meet() -> None:
    every = parse_every("10s")
    one = next_run(every, datetime(2026, 1, 1, 0, 0, 3, tzinfo=UTC))
    other = next_run(every, datetime(2026, 1, 1, 0, 0, 7, 900000, tzinfo=UTC))
    assert one == other == datetime(2026, 1, 1, 0, 0, 10, tzinfo=UTC)


def test_backoff_doubles_is_capped_and_jittered() -> None:
    rng = random.Random(7)
    for failures, low, high in ((1, 0.25, 0.5), (2, 0.5, 1.0), (3, 1.0, 2.0), (20, 15, 30)):
        waits = {backoff(failures, 30.0, rng) for _ in range(50)}
        assert all(low <= w <= high for w in waits)
        assert len(waits) > 1  # jittered
    assert backoff(10, 2.0, rng) <= 2.0


def test_job_names_fit_a_postgres_name() -> None:
    assert job_name("app", "public.v") == "schemactl refresh app.public.v"
    long = job_name("d" * 60, "public.v")
    assert len(long.encode()) == 63
    assert long != job_name("d" * 59 + "e", "public.v")


def write(tmp_path: Path, text: str) -> Path:
    (tmp_path / "pyproject.toml").write_text(text)
    return tmp_path


def test_config_schedules(tmp_path: Path) -> None:
    project = write(
        tmp_path,
        '[tool.schemactl]\nsql_dir = "sql"\n\n'
        '[tool.schemactl.refresh.project_realtime_stats]\nevery = "10s"\n\n'
        '[tool.schemactl.refresh."reports.daily"]\nevery = "0 3 * * *"\n',
    )
    settings = load_settings(project, env={})
    assert settings.refresh == {"project_realtime_stats": "10s", "reports.daily": "0 3 * * *"}
    assert settings.sources["refresh.project_realtime_stats"] == f"{project}/pyproject.toml:4"


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ('[tool.schemactl.refresh.v]\nevery = "10x"\n', r"pyproject\.toml:2: refresh\.v\.every: unknown unit"),
        ("[tool.schemactl.refresh.v]\nevery = 10\n", r"pyproject\.toml:2: refresh\.v\.every must be a string, not an integer"),
        ('[tool.schemactl.refresh.v]\nevry = "10s"\n', r"pyproject\.toml:2: unknown setting refresh\.v\.evry"),
        ("[tool.schemactl.refresh.v]\n", r"pyproject\.toml:1: refresh\.v has no 'every'"),
        ('[tool.schemactl]\nrefresh = "10s"\n', r"pyproject\.toml:2: refresh must be a table of views, not a string"),
        ('[tool.schemactl.refresh]\nv = "10s"\n', r"pyproject\.toml:2: refresh\.v must be a table, not a string"),
    ],
)
def test_config_errors_name_file_and_line(tmp_path: Path, body: str, message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        load_settings(write(tmp_path, body), env={})


def test_no_environment_variable_for_schedules(tmp_path: Path) -> None:
    settings = load_settings(write(tmp_path, ""), env={"SCHEMACTL_REFRESH": "10s"})
    assert settings.refresh == {}
