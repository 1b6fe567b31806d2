"""Pure period math of ``schemactl partitions``: periods, names, bounds, coverage, retention.

No connection, no I/O: every function takes the clock (``today``) as an argument, so the
whole calendar logic is tested without a server (tests/unit/test_partitions_periods.py).

Periods are in UTC and start at midnight: a day, an ISO week (Monday to Monday) or a
calendar month. A partition of table ``t`` for a period is named after the period's start:
``t_2026_12_01`` (day), ``t_2026_w49`` (ISO week 49 of ISO year 2026: the week of
2026-11-30 is ``t_2026_w49``, and the week of 2024-12-30 is ``t_2025_w01``), ``t_2026_12``
(month). The SQL function ``schemactl.ensure_partitions`` (pg_cron) names them the same way
(``to_char`` with ``YYYY_MM_DD``, ``IYYY_"w"IW``, ``YYYY_MM``).
"""

from __future__ import annotations

import datetime as dt
import itertools
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

INTERVALS = ("day", "week", "month")
# PostgreSQL truncates longer names: a partition name must fit as it is
MAX_IDENTIFIER_BYTES = 63

_RETENTION = re.compile(r"^\s*([0-9]{1,5})\s*(day|week|month|year)s?\s*$", re.IGNORECASE)


@dataclass(frozen=True, order=True)
class Period:
    """One partition's range ``[start, end)``: dates at UTC midnight."""

    start: dt.date
    end: dt.date


@dataclass(frozen=True)
class Retention:
    """How long partitions are kept, e.g. 13 months."""

    count: int
    unit: str  # day, week, month, year

    def __str__(self) -> str:
        return f"{self.count} {self.unit}{'s' if self.count != 1 else ''}"


def parse_retention(text: str) -> Retention:
    """``"13 months"``, ``"13months"``, ``"90 days"``, ``"1 year"``; ValueError otherwise."""
    match = _RETENTION.match(text)
    if match is None or int(match[1]) == 0:
        raise ValueError(
            f"{text!r} is not a retention such as '13 months' (a number > 0 and one of "
            "days, weeks, months, years)"
        )
    return Retention(int(match[1]), match[2].lower())


def add_months(day: dt.date, months: int) -> dt.date:
    """``day`` moved by ``months`` calendar months (the day clamped to the month's end)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    last = (dt.date(year + month // 12, month % 12 + 1, 1) - dt.timedelta(days=1)).day
    return dt.date(year, month, min(day.day, last))


def period_start(day: dt.date, interval: str) -> dt.date:
    """The first day of the period of ``interval`` that contains ``day``."""
    if interval == "day":
        return day
    if interval == "week":
        return day - dt.timedelta(days=day.weekday())
    if interval == "month":
        return day.replace(day=1)
    raise ValueError(f"unknown interval {interval!r} (one of {', '.join(INTERVALS)})")


def shift(start: dt.date, interval: str, count: int) -> dt.date:
    """The start of the period ``count`` periods after the one starting at ``start``."""
    if interval == "day":
        return start + dt.timedelta(days=count)
    if interval == "week":
        return start + dt.timedelta(weeks=count)
    return add_months(start, count)


def period_of(day: dt.date, interval: str) -> Period:
    """The period of ``interval`` that contains ``day``."""
    start = period_start(day, interval)
    return Period(start, shift(start, interval, 1))


def wanted_periods(today: dt.date, interval: str, ahead: int) -> list[Period]:
    """The current period and the ``ahead`` periods after it, in order."""
    first = period_start(today, interval)
    return [
        Period(shift(first, interval, i), shift(first, interval, i + 1)) for i in range(ahead + 1)
    ]


def suffix(start: dt.date, interval: str) -> str:
    """``2026_12`` (month), ``2026_12_01`` (day), ``2026_w49`` (ISO week)."""
    if interval == "month":
        return start.strftime("%Y_%m")
    if interval == "day":
        return start.strftime("%Y_%m_%d")
    if interval == "week":
        return start.strftime("%G_w%V")
    raise ValueError(f"unknown interval {interval!r}")


def partition_name(parent: str, start: dt.date | None, interval: str) -> str:
    """The name of ``parent``'s partition for the period starting at ``start``.

    ``start`` None with ``interval`` "default": the DEFAULT partition, ``<parent>_default``.
    ValueError when it is longer than PostgreSQL's 63 bytes (it would be truncated, and two
    periods could get the same name).
    """
    name = f"{parent}_{'default' if start is None else suffix(start, interval)}"
    if len(name.encode("utf-8")) > MAX_IDENTIFIER_BYTES:
        raise ValueError(
            f"partition name {name!r} is longer than {MAX_IDENTIFIER_BYTES} bytes "
            "(PostgreSQL would truncate it)"
        )
    return name


def retention_cutoff(today: dt.date, retention: Retention) -> dt.date:
    """The day before which a partition's whole range must end for it to be pruned."""
    if retention.unit == "day":
        return today - dt.timedelta(days=retention.count)
    if retention.unit == "week":
        return today - dt.timedelta(weeks=retention.count)
    months = retention.count * (12 if retention.unit == "year" else 1)
    return add_months(today, -months)


# ---------------------------------------------------------------------------------------------
# Existing partitions: bounds as PostgreSQL prints them, coverage, gaps and overlaps

_RANGE_BOUND = re.compile(r"^FOR VALUES FROM \((?P<lo>.+)\) TO \((?P<hi>.+)\)$")
_MIN = dt.datetime.min.replace(tzinfo=dt.UTC)
_MAX = dt.datetime.max.replace(tzinfo=dt.UTC)


def parse_bound_value(text: str) -> dt.datetime:
    """One bound of ``pg_get_expr(relpartbound)`` (session TimeZone UTC) as an aware datetime.

    ``'2025-01-01 00:00:00+00'`` (timestamptz), ``'2025-01-01 00:00:00'`` (timestamp, read as
    UTC), ``'2025-01-01'`` (date), ``MINVALUE``, ``MAXVALUE``. ValueError for anything else
    (an expression key, several columns).
    """
    text = text.strip()
    if text == "MINVALUE":
        return _MIN
    if text == "MAXVALUE":
        return _MAX
    if len(text) < 2 or text[0] != "'" or text[-1] != "'":
        raise ValueError(f"not a date or timestamp bound: {text}")
    value = text[1:-1]
    if re.search(r"[+-][0-9]{2}$", value):
        value += ":00"
    parsed = dt.datetime.fromisoformat(value)
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=dt.UTC)


def parse_range_bound(bound: str) -> tuple[dt.datetime, dt.datetime] | None:
    """``(from, to)`` of a range partition's bound; None for ``DEFAULT``; ValueError otherwise."""
    if bound.strip() == "DEFAULT":
        return None
    match = _RANGE_BOUND.match(bound.strip())
    if match is None:
        raise ValueError(f"not a range bound of one column: {bound}")
    return parse_bound_value(match["lo"]), parse_bound_value(match["hi"])


def at_midnight(day: dt.date) -> dt.datetime:
    """UTC midnight at the start of ``day``."""
    return dt.datetime(day.year, day.month, day.day, tzinfo=dt.UTC)


Range = tuple[dt.datetime, dt.datetime]


def is_covered(period: Period, ranges: Iterable[Range]) -> bool:
    """Whether the union of ``ranges`` covers all of ``period``."""
    lo, hi = at_midnight(period.start), at_midnight(period.end)
    for start, end in sorted(ranges):
        if start > lo:
            return False
        if end > lo:
            lo = end
            if lo >= hi:
                return True
    return lo >= hi


def overlaps(period: Period, ranges: Iterable[Range]) -> bool:
    """Whether any of ``ranges`` overlaps ``period`` at all."""
    lo, hi = at_midnight(period.start), at_midnight(period.end)
    return any(start < hi and end > lo for start, end in ranges)


def gaps_and_overlaps(ranges: Sequence[tuple[str, Range]]) -> tuple[list[Range], list[str]]:
    """Holes between consecutive partitions, and ``"a overlaps b"`` for partitions that overlap.

    PostgreSQL never lets two partitions of one table overlap; the check is there for a
    report over partitions read from elsewhere. A hole before the first or after the last
    partition is not a gap.
    """
    gaps: list[Range] = []
    overlapping: list[str] = []
    ordered = sorted(ranges, key=lambda item: item[1])
    for (name_a, (_, end_a)), (name_b, (start_b, _)) in itertools.pairwise(ordered):
        if start_b > end_a:
            gaps.append((end_a, start_b))
        elif start_b < end_a:
            overlapping.append(f"{name_a} overlaps {name_b}")
    return gaps, overlapping


def periods_covered_ahead(today: dt.date, interval: str, ranges: Iterable[Range]) -> int:
    """How many whole periods after the current one are covered without a hole.

    -1 when the current period itself is not covered (inserts for today may fail or land in
    the default partition); at most 1000.
    """
    ranges = list(ranges)
    current = period_start(today, interval)
    count = -1
    for i in range(1001):
        start = shift(current, interval, i)
        if not is_covered(Period(start, shift(start, interval, 1)), ranges):
            break
        count = i
    return count
