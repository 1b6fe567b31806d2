"""Pure period math and config of `schemactl partitions` (no server)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from schemactl.config import PartitionConfig, load_settings
from schemactl.errors import ConfigError
from schemactl.partitions.drift import HORIZON_CHECK, without_managed
from schemactl.partitions.periods import (
    Period,
    at_midnight,
    gaps_and_overlaps,
    is_covered,
    overlaps,
    parse_range_bound,
    parse_retention,
    partition_name,
    periods_covered_ahead,
    retention_cutoff,
    suffix,
    wanted_periods,
)

D = dt.date


def test_month_periods_roll_over_the_year() -> None:
    periods = wanted_periods(D(2026, 11, 30), "month", 3)
    assert periods == [
        Period(D(2026, 11, 1), D(2026, 12, 1)),
        Period(D(2026, 12, 1), D(2027, 1, 1)),
        Period(D(2027, 1, 1), D(2027, 2, 1)),
        Period(D(2027, 2, 1), D(2027, 3, 1)),
    ]
    assert [partition_name("agent_telemetry", p.start, "month") for p in periods] == [
        "agent_telemetry_2026_11",
        "agent_telemetry_2026_12",
        "agent_telemetry_2027_01",
        "agent_telemetry_2027_02",
    ]


def test_day_periods_and_names() -> None:
    periods = wanted_periods(D(2024, 2, 28), "day", 2)
    assert [p.start for p in periods] == [D(2024, 2, 28), D(2024, 2, 29), D(2024, 3, 1)]
    assert periods[-1].end == D(2024, 3, 2)
    assert suffix(D(2026, 12, 1), "day") == "2026_12_01"


def test_weeks_are_iso_weeks_starting_on_monday() -> None:
    # 2024-12-30 is the Monday of ISO week 1 of 2025; 2026-11-30 is week 49 of 2026
    assert wanted_periods(D(2025, 1, 2), "week", 0) == [Period(D(2024, 12, 30), D(2025, 1, 6))]
    assert suffix(D(2024, 12, 30), "week") == "2025_w01"
    assert partition_name("t", D(2026, 11, 30), "week") == "t_2026_w49"
    # a 53-week ISO year
    assert suffix(D(2026, 12, 28), "week") == "2026_w53"


def test_a_name_postgresql_would_truncate_is_refused() -> None:
    with pytest.raises(ValueError, match="longer than 63 bytes"):
        partition_name("x" * 60, D(2026, 1, 1), "month")


def test_retention_parsing_and_cutoff() -> None:
    assert str(parse_retention("13months")) == "13 months"
    assert str(parse_retention(" 1 Year ")) == "1 year"
    assert retention_cutoff(D(2026, 11, 30), parse_retention("13 months")) == D(2025, 10, 30)
    assert retention_cutoff(D(2026, 3, 31), parse_retention("1 month")) == D(2026, 2, 28)
    assert retention_cutoff(D(2026, 3, 10), parse_retention("2 weeks")) == D(2026, 2, 24)
    for bad in ("13", "0 months", "13 fortnights", "", "-1 day"):
        with pytest.raises(ValueError):
            parse_retention(bad)


def test_bounds_as_postgresql_prints_them() -> None:
    utc = dt.UTC
    assert parse_range_bound(
        "FOR VALUES FROM ('2025-01-01 00:00:00+00') TO ('2025-02-01 00:00:00+00')"
    ) == (dt.datetime(2025, 1, 1, tzinfo=utc), dt.datetime(2025, 2, 1, tzinfo=utc))
    assert parse_range_bound("FOR VALUES FROM ('2025-01-01') TO ('2025-02-01')") == (
        dt.datetime(2025, 1, 1, tzinfo=utc),
        dt.datetime(2025, 2, 1, tzinfo=utc),
    )
    lo, hi = parse_range_bound("FOR VALUES FROM (MINVALUE) TO ('2025-01-01 00:00:00')") or ()
    assert lo < hi == dt.datetime(2025, 1, 1, tzinfo=utc)
    assert parse_range_bound("DEFAULT") is None
    with pytest.raises(ValueError):
        parse_range_bound("FOR VALUES IN (1, 2)")
    # a bound in another offset is the same instant
    assert parse_range_bound(
        "FOR VALUES FROM ('2025-01-01 01:00:00+01') TO ('2025-02-01 00:00:00+00')"
    ) == (dt.datetime(2025, 1, 1, tzinfo=utc), dt.datetime(2025, 2, 1, tzinfo=utc))


def _r(a: dt.date, b: dt.date) -> tuple[dt.datetime, dt.datetime]:
    return at_midnight(a), at_midnight(b)


def test_coverage_overlap_gaps() -> None:
    ranges = [_r(D(2026, 1, 1), D(2026, 2, 1)), _r(D(2026, 2, 1), D(2026, 4, 1))]
    assert is_covered(Period(D(2026, 3, 1), D(2026, 4, 1)), ranges)  # inside a wider one
    assert is_covered(Period(D(2026, 1, 15), D(2026, 2, 15)), ranges)  # across two
    assert not is_covered(Period(D(2026, 3, 15), D(2026, 4, 15)), ranges)
    assert overlaps(Period(D(2026, 3, 15), D(2026, 4, 15)), ranges)
    assert not overlaps(Period(D(2026, 4, 1), D(2026, 5, 1)), ranges)
    gaps, overlapping = gaps_and_overlaps(
        [("a", _r(D(2026, 1, 1), D(2026, 2, 1))), ("c", _r(D(2026, 3, 1), D(2026, 4, 1))),
         ("b", _r(D(2026, 2, 15), D(2026, 3, 15)))]
    )  # fmt: skip
    assert gaps == [_r(D(2026, 2, 1), D(2026, 2, 15))]
    assert overlapping == ["b overlaps c"]


def test_periods_covered_ahead() -> None:
    months = [_r(D(2026, m, 1), D(2026, m + 1, 1)) for m in range(10, 12)]
    assert periods_covered_ahead(D(2026, 10, 5), "month", months) == 1
    assert periods_covered_ahead(D(2026, 9, 5), "month", months) == -1
    assert periods_covered_ahead(D(2026, 11, 5), "month", months) == 0


def _write(tmp_path: Path, text: str) -> None:
    (tmp_path / "pyproject.toml").write_text(text)


def test_partitions_config_is_read(tmp_path: Path) -> None:
    _write(
        tmp_path,
        '[tool.schemactl]\nsql_dir = "sql"\n\n'
        "[tool.schemactl.partitions.agent_telemetry]\n"
        'interval = "month"\npremake = 4\nretention = "13 months"\n\n'
        '[tool.schemactl.partitions."audit.events"]\ninterval = "day"\ndefault-partition = false\n',
    )
    settings = load_settings(tmp_path, env={})
    assert settings.partitions == (
        PartitionConfig("agent_telemetry", "month", 4, "13 months", True),
        PartitionConfig("audit.events", "day", 3, None, False),
    )
    assert settings.partitions[0].source == f"{tmp_path / 'pyproject.toml'}:4"
    assert load_settings(tmp_path / "nowhere", env={}).partitions == ()


@pytest.mark.parametrize(
    ("body", "line", "message"),
    [
        ('interval = "year"', 3, "interval must be one of day, week, month, not 'year'"),
        ("interval = 1", 3, "interval must be one of day, week, month, not an integer"),
        ('premake = "3"', 3, "premake must be an integer, not a string"),
        ("premake = -1", 3, "premake must be between 0 and 1000"),
        ('retention = "13 fortnights"', 3, "retention '13 fortnights' is not a retention"),
        ('default_partition = "yes"', 3, "default_partition must be true or false"),
        ("premaek = 3", 3, "unknown setting 'premaek' of partitions.t (did you mean 'premake'?)"),
    ],
)
def test_bad_partitions_config_names_file_and_line(
    tmp_path: Path, body: str, line: int, message: str
) -> None:
    _write(tmp_path, f"[tool.schemactl.partitions.t]\n# comment\n{body}\n")
    with pytest.raises(ConfigError) as caught:
        load_settings(tmp_path, env={})
    assert caught.value.message.startswith(f"{tmp_path / 'pyproject.toml'}:{line}: ")
    assert message in caught.value.message


def test_partitions_that_are_not_tables_are_errors(tmp_path: Path) -> None:
    _write(tmp_path, '[tool.schemactl]\npartitions = "agent_telemetry"\n')
    with pytest.raises(ConfigError, match=r"pyproject.toml:2: partitions must be a table"):
        load_settings(tmp_path, env={})
    _write(tmp_path, "[tool.schemactl.partitions]\nagent_telemetry = 3\n")
    with pytest.raises(ConfigError, match=r"pyproject.toml:2: partitions.agent_telemetry must"):
        load_settings(tmp_path, env={})


def test_the_projects_own_config_is_valid() -> None:
    root = Path(__file__).resolve().parents[2]
    (config,) = load_settings(root, env={}).partitions
    assert (config.table, config.interval, config.premake) == ("agent_telemetry", "month", 3)


def test_diff_filter_drops_managed_tables_and_what_hangs_on_them() -> None:
    from schemactl.core.catalog import CatalogModel, Constraint, Grant, Index, Table

    part = ("public", "t_2026_12")
    model = CatalogModel(
        tables={("public", "t"): Table("public", "t"), part: Table("public", "t_2026_12"),
                ("public", "t_default"): Table("public", "t_default")},
        constraints={
            ("public", "t_2026_12", "t_2026_12_pkey"): Constraint("public", "t_2026_12", "t_2026_12_pkey", "p", "PRIMARY KEY (id)"),
            ("public", "t_default", HORIZON_CHECK): Constraint("public", "t_default", HORIZON_CHECK, "c", "CHECK (ts < x)"),
        },
        indexes={("public", "t_2026_12_ts_idx"): Index("public", "t_2026_12_ts_idx", part, "CREATE INDEX ...")},
        grants=frozenset({Grant("TABLE", "public.t_2026_12", None, "service_role", "SELECT", False, "rel public.t_2026_12")}),
    )  # fmt: skip
    other = CatalogModel(tables={("public", "t"): Table("public", "t")})
    kept = without_managed(model, {part}, other)
    assert set(kept.tables) == {("public", "t"), ("public", "t_default")}
    assert kept.constraints == {} and kept.indexes == {} and kept.grants == frozenset()
    # a partition the files define too is compared as usual
    both = without_managed(model, {part}, model)
    assert part in both.tables and len(both.constraints) == 2
