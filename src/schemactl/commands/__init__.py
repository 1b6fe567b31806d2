"""Click commands that live outside :mod:`schemactl.cli`, one module per command group.

Each module defines its command (or group) as a thin wrapper over a library function,
using the shared options of :mod:`schemactl.cli_options`, and is listed in ``COMMANDS``;
:mod:`schemactl.cli` registers them on the ``schemactl`` group.
"""

from __future__ import annotations

import click

COMMANDS: list[click.Command] = []

from schemactl.commands import pull  # noqa: E402

COMMANDS += [pull.pull_command]

from schemactl.commands import drift, snapshot  # noqa: E402

COMMANDS += [snapshot.snapshot_command, drift.drift_command]

from schemactl.commands import partitions  # noqa: E402

COMMANDS += [partitions.partitions]

from schemactl.commands import init  # noqa: E402

COMMANDS += [init.init_command]

from schemactl.commands import plan  # noqa: E402

COMMANDS += [plan.plan_command]

from schemactl.commands import refresh  # noqa: E402

COMMANDS += [refresh.refresh]

from schemactl.commands import prove  # noqa: E402

COMMANDS += [prove.prove_command]
