"""Running the rules: over a catalog snapshot, over a live database, or over a SQL directory
applied to a throw-away shadow database."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

import psycopg

from schemactl.config import checked_database_url, load_settings
from schemactl.db.catalog import CatalogSnapshot, load_catalog
from schemactl.errors import ConfigError
from schemactl.lint.model import Finding, LintContext, LintReport, Rule
from schemactl.lint.registry import all_rules
from schemactl.model import Namespace, ObjectRef, Plan, Statement

# `-- noqa` silences every rule, `-- noqa: RLS002, PERF003` the codes listed
_NOQA = re.compile(
    r"--\s*noqa\b(?:\s*:\s*(?P<codes>[a-z0-9_]+(?:\s*,\s*[a-z0-9_]+)*))?", re.IGNORECASE
)


class SourceIndex:
    """Which statement of a plan created each object, and what it says about noqa."""

    def __init__(self, plan: Plan | None) -> None:
        self._creators: dict[ObjectRef, Statement] = {}
        self._folded: dict[tuple[Namespace, str], Statement] = {}
        for statement in plan.statements if plan is not None else ():
            for ref in statement.creates:
                # the first creator wins: a later CREATE OR REPLACE is not where it was born
                self._creators.setdefault(ref, statement)
                self._folded.setdefault((ref.namespace, ref.name.lower()), statement)

    def statement_for(self, ref: ObjectRef) -> Statement | None:
        """The statement that created ``ref``; a policy falls back on its table's statement."""
        found = self._creators.get(ref) or self._folded.get((ref.namespace, ref.name.lower()))
        if found is None and ref.namespace is Namespace.POLICY:
            schema, table, _ = [*ref.name.split(".", 2), "", ""][:3]
            return self.statement_for(ObjectRef(Namespace.RELATION, f"{schema}.{table}"))
        return found


def noqa_codes(statement: Statement) -> frozenset[str] | None:
    """Codes silenced by ``-- noqa`` comments of a statement; ``{"*"}`` for a bare noqa.

    The statement's own text is read, and the rest of the line where it ends (so that
    ``CREATE TABLE t (...); -- noqa: RLS001`` works); ``None`` when there is no noqa.
    """
    text = statement.file.text
    end = statement.offset + len(statement.sql)
    line_end = text.find("\n", end)
    scope = statement.sql + text[end : len(text) if line_end < 0 else line_end]
    codes: set[str] = set()
    for match in _NOQA.finditer(scope):
        listed = match.group("codes")
        if listed is None:
            codes.add("*")
        else:
            codes.update(code.strip().upper() for code in listed.split(","))
    return frozenset(codes) if codes else None


def _sort_key(finding: Finding) -> tuple[object, ...]:
    if finding.location is None:
        return (1, "", 0, 0, finding.object, finding.code)
    path, line, col = [*finding.location.rsplit(":", 2), "0", "0"][:3]
    line_no = int(line) if line.isdigit() else 0
    col_no = int(col) if col.isdigit() else 0
    return (0, path, line_no, col_no, finding.code, finding.object)


def run_rules(
    catalog: CatalogSnapshot,
    *,
    plan: Plan | None = None,
    rules: Sequence[Rule] | None = None,
    exposed_schemas: Sequence[str] = ("public",),
) -> LintReport:
    """Run ``rules`` (default: all) over a catalog snapshot.

    With a ``plan`` of the SQL directory the snapshot came from, each finding points to the
    statement that created its object and that statement's ``-- noqa`` comments apply.
    """
    chosen = tuple(all_rules() if rules is None else rules)
    ctx = LintContext(catalog=catalog, exposed_schemas=tuple(exposed_schemas))
    sources = SourceIndex(plan)
    findings: list[Finding] = []
    seen: set[tuple[str, str, str]] = set()
    suppressed = 0
    for rule in chosen:
        for hit in rule.check(ctx):
            if (rule.code, hit.ref.name, hit.message) in seen:
                continue
            seen.add((rule.code, hit.ref.name, hit.message))
            statement = sources.statement_for(hit.ref)
            if statement is not None:
                silenced = noqa_codes(statement)
                if silenced is not None and ("*" in silenced or rule.code in silenced):
                    suppressed += 1
                    continue
            findings.append(
                Finding(
                    code=rule.code,
                    severity=rule.severity,
                    object=hit.ref.name,
                    message=hit.message,
                    location=statement.location if statement is not None else None,
                )
            )
    findings.sort(key=_sort_key)
    return LintReport(
        findings=tuple(findings), rules=tuple(r.code for r in chosen), suppressed=suppressed
    )


def select_rules(codes: Iterable[str] | None) -> tuple[Rule, ...]:
    """The rules named by ``codes`` (case-insensitive); all rules for ``None``."""
    rules = all_rules()
    if codes is None:
        return rules
    wanted = {code.strip().upper() for code in codes if code.strip()}
    unknown = wanted - {r.code for r in rules}
    if unknown:
        raise ConfigError(
            f"unknown lint rule(s): {', '.join(sorted(unknown))}",
            hint="`schemactl lint --list-rules` lists them",
        )
    return tuple(r for r in rules if r.code in wanted)


def lint_database(
    database_url: str,
    *,
    plan: Plan | None = None,
    rules: Sequence[Rule] | None = None,
) -> LintReport:
    """Read the catalog of a live database and run the rules over it (nothing is changed)."""
    from schemactl.db.connect import connect, database_error

    with connect(database_url) as conn:
        try:
            catalog = load_catalog(conn)
        except psycopg.Error as exc:
            raise database_error(exc) from None
        finally:
            conn.rollback()  # the catalog was only read
    return run_rules(catalog, plan=plan, rules=rules)


@contextmanager
def shadow_database(server_url: str) -> Iterator[str]:
    """A fresh, uniquely named scratch database on ``server_url``, dropped on exit."""
    from schemactl.db.connect import connect
    from schemactl.db.scratch import create_scratch_database, drop_scratch_database, scratch_name

    name = scratch_name("lint")
    with connect(server_url, autocommit=True) as admin:
        url = create_scratch_database(
            admin, server_url, name, what="lint", hint="the server's role needs CREATEDB"
        )
    try:
        yield url
    finally:
        with connect(server_url, autocommit=True) as admin:
            drop_scratch_database(admin, name)


def lint(
    sql_dir: Path | str | None = None,
    *,
    database_url: str | None = None,
    project_dir: Path | str | None = None,
    shadow_url: str | None = None,
    rules: Iterable[str] | None = None,
) -> LintReport:
    """Lint a SQL directory (applied to a shadow database) or a live database.

    With ``database_url`` the live database is linted as it is; findings point to files only
    when ``sql_dir`` is given too. Without it, a scratch database is created on ``shadow_url``
    (a server URL; default: the project's embedded server), ``sql_dir`` (default: the configured
    one) is applied to it with :func:`schemactl.api.apply`, linted and dropped. ``rules``
    restricts the run to some codes. Errors among the findings do not raise: look at
    ``report.errors``.
    """
    from schemactl import api

    chosen = select_rules(rules)
    # an empty --database-url (an unset shell variable) is an error, not "lint the SQL dir"
    live_url = checked_database_url(database_url, "--database-url")
    if live_url is not None:
        plan = api.order(sql_dir, project_dir=project_dir) if sql_dir is not None else None
        return lint_database(live_url, plan=plan, rules=chosen)

    # parse once, first: a broken file fails fast, before any database is created
    settings = load_settings(project_dir, sql_dir=sql_dir)
    plan = api.plan_for(settings)
    if shadow_url is None:
        from schemactl.db import embedded

        shadow_url = embedded.start(settings)
    with shadow_database(shadow_url) as url:
        api.apply_planned(plan, url, settings)
        return lint_database(url, plan=plan, rules=chosen)
