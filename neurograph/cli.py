"""The ``neurograph`` command line: a thin click layer over the library.

Errors in the input print ``Error: ...`` on stderr and exit 1; usage errors exit 2.
"""

from __future__ import annotations

import json
import sys

import click

from neurograph.errors import NeurographError

__all__ = ["main"]

_anatomy_option = click.option(
    "--anatomy",
    "anatomy_file",
    type=click.Path(dir_okay=False),
    default=None,
    help="A GraphML anatomy of your own (default: the packaged anatomy).",
)


def _load(anatomy_file):
    from neurograph.io import load_anatomy

    return load_anatomy(anatomy_file)


class _Group(click.Group):
    """Turns every neurograph error into ``Error: ...`` and exit status 1, never a traceback."""

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except NeurographError as error:
            click.echo(f"Error: {error}", err=True)
            sys.exit(1)


@click.group(cls=_Group)
@click.version_option(package_name="neurograph", prog_name="neurograph")
def main():
    """Simulate lesions of the human motor system on an anatomical graph.

    \b
    Example:
      neurograph stats
    """


@main.command()
@_anatomy_option
@click.option("--json", "as_json", is_flag=True, help="Print the counts as JSON.")
def stats(anatomy_file, as_json):
    """Count the anatomy's nodes and edges by kind.

    \b
    Example:
      neurograph stats --json
    """
    from neurograph.stats import anatomy_stats, format_stats

    counts = anatomy_stats(_load(anatomy_file))
    click.echo(json.dumps(counts, indent=2) if as_json else format_stats(counts))


@main.command()
@click.argument("graphml", required=False, type=click.Path(dir_okay=False))
@click.option("--json", "as_json", is_flag=True, help="Print the violations as JSON.")
def validate(graphml, as_json):
    """Check a GraphML anatomy (the packaged one by default) and list every violation.

    Exits 1 when any rule is broken.

    \b
    Example:
      neurograph validate my_anatomy.graphml
    """
    from neurograph.validate import validate as run_validation

    violations = run_validation(_load(graphml))
    if as_json:
        click.echo(json.dumps([violation.to_dict() for violation in violations], indent=2))
    else:
        for violation in violations:
            click.echo(f"{violation.rule}: {violation.message}")
        click.echo(f"{len(violations)} violation(s)" if violations else "valid: no violations")
    if violations:
        sys.exit(1)
