"""A :class:`~schemactl.prove.run.Proof` as text for a DBA."""

from __future__ import annotations

from schemactl.errors import one_line
from schemactl.prove.run import Proof

__all__ = ["render_proof"]


def _secs(value: float | None) -> str:
    if value is None:
        return "?"
    return f"{value * 1000:.0f} ms" if value < 1 else f"{value:.1f} s"


def render_proof(proof: Proof) -> str:
    """What was proved: statements with lock and estimate, state, data per table, failures."""
    sample = (
        "every row" if proof.rows_per_table is None else f"{proof.rows_per_table} rows per table"
    )
    lines = [f"prove on {proof.target}: clone on {proof.clone_server}, {sample}"]
    if proof.statements:
        lines.append("statements (time on the clone; lock; estimate on the target):")
        for s in proof.statements:
            where = f" on {s.table}" if s.table else ""
            lines.append(
                f"  {_secs(s.seconds):>8}  {s.lock}{where}; est. {_secs(s.estimate_seconds)}: "
                f"{one_line(s.statement)[:100]}"
            )
    for failure in proof.failures:
        lines.append(f"FAILED: {failure.message}")
        lines.append(f"  in: {one_line(failure.statement)[:120]}")
    if proof.not_run:
        lines.append(f"not run after the failure: {len(proof.not_run)} statement(s)")
    if not proof.failures or proof.differences:
        if proof.differences:
            lines.append(f"state: {len(proof.differences)} difference(s) from the desired schema:")
            lines.extend(f"  {d}" for d in proof.differences)
        else:
            lines.append("state: the clone's schema equals the desired one (0 differences)")
    if proof.data:
        lines.append("data (rows before -> after):")
        width = max(len(c.table) for c in proof.data)
        for c in proof.data:
            after = "-" if c.after is None else str(c.after)
            note = f"  {c.note}" if c.note else ""
            mark = "" if c.ok else "  FAILED"
            lines.append(f"  {c.table:<{width}}  {c.check}: {c.before} -> {after}{note}{mark}")
    lines.extend(f"data loss: {line}" for line in proof.data_loss)
    lines.extend(f"warning: {line}" for line in proof.warnings)
    parts = ", ".join(f"{k} {_secs(proof.seconds[k])}" for k in ("clone", "apply", "compare", "drop")
                      if k in proof.seconds)  # fmt: skip
    verdict = "proved" if proof.ok else "NOT proved"
    lines.append(f"{verdict} in {_secs(proof.seconds.get('total'))} ({parts})")
    return "\n".join(lines) + "\n"
