"""Click commands that live outside :mod:`schemactl.cli`, one module per command group.

Each module defines its command (or group) as a thin wrapper over a library function,
using the shared options of :mod:`schemactl.cli_options`, and is listed in ``COMMANDS``;
:mod:`schemactl.cli` registers them on the ``schemactl`` group.
"""

from __future__ import annotations

import click

from schemactl.commands import drift, init, partitions, plan, prove, pull, refresh, snapshot

COMMANDS: list[click.Command] = [
    drift.drift_command,
    init.init_command,
    partitions.partitions,
    plan.plan_command,
    prove.prove_command,
    pull.pull_command,
    refresh.refresh,
    snapshot.snapshot_command,
]
