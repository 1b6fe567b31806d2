"""Refresh schedules: ``10s``, ``5m``, ``1h`` or a 5-field cron expression. Pure: no server.

One schedule text is read three ways: validated in the config (``every = "10s"``), turned
into pg_cron's schedule syntax for ``schemactl refresh schedule``, and followed by
``schemactl refresh worker`` (:func:`next_run`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

__all__ = ["Every", "UnsupportedSchedule", "next_run", "parse_every", "pg_cron_schedule"]

_UNITS = {
    "s": 1,
    "sec": 1,
    "secs": 1,
    "second": 1,
    "seconds": 1,
    "m": 60,
    "min": 60,
    "mins": 60,
    "minute": 60,
    "minutes": 60,
    "h": 3600,
    "hour": 3600,
    "hours": 3600,
}
_INTERVAL = re.compile(r"^\s*(\d{1,7})\s*([a-z]+)\s*$")
# field ranges of a 5-field cron line: minute, hour, day of month, month, day of week
_RANGES = ((0, 59), (0, 23), (1, 31), (1, 12), (0, 7))
_FIELD_NAMES = ("minute", "hour", "day of month", "month", "day of week")
_EXAMPLES = "10s, 5m, 1h or a cron line such as '*/5 * * * *'"


class UnsupportedSchedule(ValueError):
    """The schedule is valid but pg_cron cannot express it."""


@dataclass(frozen=True)
class Every:
    """A parsed schedule: an interval in seconds, or a 5-field cron expression."""

    text: str
    seconds: int | None = None
    cron: str | None = None

    @property
    def sub_minute(self) -> bool:
        """An interval shorter than a minute (pg_cron < 1.5 cannot run it)."""
        return self.seconds is not None and self.seconds < 60


def parse_every(text: str) -> Every:
    """``text`` as a schedule; ValueError with a one-line reason when it is none."""
    stripped = text.strip()
    match = _INTERVAL.match(stripped.lower())
    if match:
        number, unit = int(match[1]), match[2]
        if unit not in _UNITS:
            raise ValueError(f"unknown unit {unit!r} in {text!r}: write {_EXAMPLES}")
        if number == 0:
            raise ValueError(f"{text!r} is no interval: write {_EXAMPLES}")
        return Every(stripped, seconds=number * _UNITS[unit])
    fields = stripped.split()
    if len(fields) == 6:
        raise ValueError(
            f"{text!r} has 6 fields: pg_cron before 1.5 reads '*/10 * * * * *' as every 10 "
            "MINUTES; write a seconds interval such as 10s instead"
        )
    if len(fields) != 5:
        raise ValueError(f"{text!r} is neither an interval nor a 5-field cron line: write {_EXAMPLES}")
    for name, field, bounds in zip(_FIELD_NAMES, fields, _RANGES, strict=True):
        try:
            _cron_field(field, *bounds)
        except ValueError as exc:
            raise ValueError(f"{text!r}: {name} field {field!r}: {exc}") from None
    return Every(" ".join(fields), cron=" ".join(fields))


def _cron_field(field: str, low: int, high: int) -> frozenset[int]:
    """The values a cron field allows: ``*``, ``*/n``, ``a``, ``a-b``, ``a-b/n``, lists of those."""
    values: set[int] = set()
    for part in field.split(","):
        base, _, step_text = part.partition("/")
        step = 1
        if step_text:
            if not step_text.isdigit() or int(step_text) == 0:
                raise ValueError(f"bad step {step_text!r}")
            step = int(step_text)
        if base == "*":
            start, end = low, high
        elif re.fullmatch(r"\d+-\d+", base):
            start, end = (int(x) for x in base.split("-"))
        elif base.isdigit():
            start = int(base)
            end = high if step_text else start
        else:
            raise ValueError("write numbers, ranges a-b, * and steps /n")
        if not low <= start <= end <= high:
            raise ValueError(f"values must lie in {low}-{high}")
        values.update(range(start, end + 1, step))
    return frozenset(values)


def pg_cron_schedule(every: Every, version: tuple[int, int]) -> str:
    """The schedule text pg_cron ``version`` runs as ``every``.

    Raises :class:`UnsupportedSchedule` for a sub-minute interval before pg_cron 1.5 (it
    has no seconds syntax) and for an interval cron cannot keep evenly (7m, 90s, 5h).
    """
    if every.cron is not None:
        return every.cron
    assert every.seconds is not None
    seconds = every.seconds
    if seconds < 60:
        if version < (1, 5):
            raise UnsupportedSchedule(
                f"pg_cron {version[0]}.{version[1]} has no seconds schedules (1.5 added them)"
            )
        return f"{seconds} seconds"
    if seconds % 60:
        raise UnsupportedSchedule("pg_cron runs whole minutes: write the interval in minutes")
    minutes = seconds // 60
    if minutes == 1:
        return "* * * * *"
    if minutes < 60 and 60 % minutes == 0:
        return f"*/{minutes} * * * *"
    if minutes % 60 == 0:
        hours = minutes // 60
        if hours == 1:
            return "0 * * * *"
        if hours < 24 and 24 % hours == 0:
            return f"0 */{hours} * * *"
        if hours == 24:
            return "0 0 * * *"
    raise UnsupportedSchedule(
        f"cron cannot run every {every.text} evenly: use a divisor of 60 minutes or of 24 "
        "hours, or a cron line"
    )


def next_run(every: Every, after: datetime) -> datetime:
    """The first run strictly after ``after`` (aware, UTC).

    Intervals are aligned to the epoch (a 10s schedule runs at :00, :10, :20...), so that
    several workers aim at the same moments and one refresh serves them all. Cron lines
    are read in UTC, as pg_cron does by default.
    """
    after = after.astimezone(UTC)
    if every.seconds is not None:
        step = every.seconds
        stamp = after.timestamp()
        return datetime.fromtimestamp((int(stamp // step) + 1) * step, UTC)
    assert every.cron is not None
    fields = every.cron.split()
    minutes, hours, days, months, weekdays = (
        _cron_field(f, *b) for f, b in zip(fields, _RANGES, strict=True)
    )
    weekdays = frozenset(d % 7 for d in weekdays)
    any_day, any_weekday = fields[2] == "*", fields[4] == "*"
    moment = after.replace(second=0, microsecond=0) + timedelta(minutes=1)
    limit = moment + timedelta(days=366 * 5)  # "0 0 29 2 *" waits up to 4 years
    while moment < limit:
        if moment.month not in months:
            year, month = divmod(moment.month, 12)  # to the 1st of the next month
            moment = moment.replace(year=moment.year + year, month=month + 1, day=1, hour=0, minute=0)
            continue
        day_ok = moment.day in days
        weekday_ok = (moment.isoweekday() % 7) in weekdays
        # cron: with both restricted, either one matches
        if not ((day_ok and weekday_ok) if (any_day or any_weekday) else (day_ok or weekday_ok)):
            moment = moment.replace(hour=0, minute=0) + timedelta(days=1)
            continue
        if moment.hour not in hours:
            moment = moment.replace(minute=0) + timedelta(hours=1)
            continue
        if moment.minute in minutes:
            return moment
        moment += timedelta(minutes=1)
    raise ValueError(f"{every.text!r} never runs")
