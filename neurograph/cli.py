"""The ``neurograph`` command line: a thin click layer over the library.

Every error ends in one ``Error: ...`` line on stderr: exit 1 for bad input (an unreadable or
hostile file, a value out of range, an output that cannot be written), exit 2 for bad usage (an
unknown option, a missing argument, a name that matches no structure). No traceback is shown;
set ``NEUROGRAPH_TRACEBACK=1`` to see one for an unexpected error when reporting it.
"""

from __future__ import annotations

import errno
import json
import os
import sys

import click

from neurograph.errors import AmbiguousSideError, NeurographError, UnknownNameError
from neurograph.schema import PHASES

__all__ = ["main"]

_anatomy_option = click.option(
    "--anatomy",
    "anatomy_file",
    type=click.Path(dir_okay=False),
    default=None,
    help="A GraphML anatomy of your own (default: the packaged anatomy).",
)

_dpi_option = click.option(
    "--dpi", default=200, show_default=True, type=click.IntRange(10, 2400),
    help="Resolution of a PNG; one over the pixel budget is refused, naming the largest allowed.",
)

_size_option = click.option(
    "--size", default="free", show_default=True, type=click.Choice(["free", "slide", "a4"]),
    help="Figure size: 'free' fits the diagram, 'slide' a 16:9 slide (text at least 14 px at 1920 x 1080), "
    "'a4' a landscape A4 page.",
)

#: Earlier command names, still accepted: the commands are named as the Python functions are.
ALIASES = {"path": "pathway", "supplies": "supplied-by"}


_variant_option = click.option(
    "--variant", "variant_names", multiple=True, metavar="NAME",
    help="An anatomical variant to apply (repeatable; see neurograph.variants.catalogue()), e.g. martin_gruber.",
)


def _load(anatomy_file, variant_names=()):
    from neurograph.io import load_anatomy

    G = load_anatomy(anatomy_file)
    if variant_names:
        from neurograph.variants import apply_variants

        G = apply_variants(G, variant_names)
    return G


def _fail(message, exit_code):
    """Print ``Error: MESSAGE`` as one line on stderr and exit."""
    click.echo("Error: " + " ".join(str(message).splitlines()), err=True)
    sys.exit(exit_code)


class _Group(click.Group):
    """Turns every error into one ``Error: ...`` line on stderr, never a traceback.

    A name that matches no structure is a usage error (exit 2, with the closest names); bad
    input such as an unreadable file or a value out of range exits 1. Click's own usage errors
    (an unknown option, a value out of range) exit 2 in the same one-line form.
    """

    def get_command(self, ctx, name):
        return super().get_command(ctx, ALIASES.get(name, name))

    def resolve_command(self, ctx, args):
        _, command, rest = super().resolve_command(ctx, args)
        return command.name, command, rest

    def main(self, args=None, prog_name=None, complete_var=None, standalone_mode=True, **extra):
        if not standalone_mode:
            return super().main(args, prog_name, complete_var, standalone_mode=False, **extra)
        try:
            exit_code = super().main(args, prog_name, complete_var, standalone_mode=False, **extra)
        except click.UsageError as error:
            hint = f" (see '{error.ctx.command_path} --help')" if error.ctx is not None else ""
            _fail(error.format_message() + hint, error.exit_code)
        except click.ClickException as error:
            _fail(error.format_message(), error.exit_code)
        except click.Abort:
            _fail("aborted", 1)
        sys.exit(exit_code if isinstance(exit_code, int) else 0)

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except (click.ClickException, click.exceptions.Exit, click.Abort):
            raise
        except (UnknownNameError, AmbiguousSideError) as error:
            _fail(error, 2)
        except NeurographError as error:
            _fail(error, 1)
        except MemoryError:
            _fail("out of memory: the input is too large for this machine", 1)
        except RecursionError:
            _fail("the input is nested too deeply", 1)
        except Exception as error:
            if os.environ.get("NEUROGRAPH_TRACEBACK") == "1" or (isinstance(error, OSError) and error.errno == errno.EPIPE):
                raise  # a broken pipe is click's to handle
            _fail(f"internal error ({type(error).__name__}: {error}); please report it with the command", 1)


@click.group(cls=_Group)
@click.version_option(package_name="neurograph", prog_name="neurograph")
def main():
    """Simulate lesions of the motor, sensory and cranial nerve pathways on an anatomical graph.

    The commands are named as the Python functions are; 'path' and 'supplies' still work as
    other names of 'pathway' and 'supplied-by'.

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
@_anatomy_option
def validate(graphml, as_json, anatomy_file):
    """Check a GraphML anatomy (the packaged one by default) and list every violation.

    The file may be given as GRAPHML or with --anatomy. Exits 1 when any rule is broken.

    \b
    Example:
      neurograph validate my_anatomy.graphml
    """
    from neurograph.io import load_anatomy, read_graphml
    from neurograph.validation import validate as run_validation

    if graphml and anatomy_file:
        raise click.UsageError("give the file as GRAPHML or with --anatomy, not both")
    path = graphml or anatomy_file
    # Read unchecked, so that every structural problem is listed, not only the first few.
    violations = run_validation(read_graphml(path, check=False) if path else load_anatomy())
    if as_json:
        click.echo(json.dumps([violation.to_dict() for violation in violations], indent=2))
    else:
        for violation in violations:
            click.echo(f"{violation.rule}: {violation.message}")
        if not violations:
            click.echo("valid: no violations")
    if violations:
        # The list goes to standard output (pure JSON with --json); the verdict is the one error line.
        click.echo(f"Error: {path or 'the packaged anatomy'}: {len(violations)} violation(s)", err=True)
        sys.exit(1)


def _parse_site(text):
    """``NAME`` or ``NAME@SEVERITY`` (``"left C7 root@0.5"``)."""
    name, at, severity = text.rpartition("@")
    if not at:
        return text
    try:
        return (name, float(severity))
    except ValueError:
        raise click.BadParameter(f"{text!r}: the severity after '@' must be a number", param_hint="SITE") from None


def _lesion_options(command):
    """The options every command that simulates a lesion takes."""
    for option in reversed((
        click.argument("sites", nargs=-1),
        click.option("--preset", help="A named lesion (see 'neurograph presets')."),
        click.option("--level", help="Segment for a preset that takes one (transection, brown_sequard)."),
        click.option("--levels", help="Run of segments for a preset that takes one (central_cord, polio, ...)."),
        click.option("--side", type=click.Choice(["left", "right"]), help="Side for a preset that takes one."),
        click.option("--phase", type=click.Choice(PHASES), default="chronic", show_default=True),
        _variant_option,
    )):
        command = option(command)
    return command


@main.command()
@_lesion_options
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")
@click.option("--output", "output", type=click.Path(dir_okay=False), help="Write the diagram: .svg, .png or .pdf.")
@_dpi_option
@_size_option
@click.option("--isncsci", "as_isncsci", is_flag=True,
              help="Print the ISNCSCI exam the lesion gives (key muscle scores) and its classification.")
@_anatomy_option
def lesion(sites, preset, level, levels, side, phase, variant_names, as_json, output, dpi, size, as_isncsci, anatomy_file):
    """Simulate a lesion of one or more SITES and print the deficits.

    A site is a structure or region with side words, optionally with a severity after '@'.

    \b
    Examples:
      neurograph lesion C7
      neurograph lesion "right radial nerve at the spiral groove"
      neurograph lesion "left C7 root@0.5" "left C8 root@0.5" --phase acute
      neurograph lesion --preset brown_sequard --level T10 --side left --json
      neurograph lesion C7 --output c7.svg
      neurograph lesion C6 --isncsci
      neurograph lesion "right median nerve at the elbow" --variant martin_gruber
    """
    if output:
        _check_output(output)
    G, result = _simulate(sites, preset, level, levels, side, phase, anatomy_file, variant_names)
    if output:
        _write_diagram(G, result, output, dpi, size=size)
    if as_isncsci:
        _echo_isncsci(result, as_json)
    else:
        click.echo(json.dumps(result.to_dict(), indent=2) if as_json else result.summary())
    if output and not as_json:
        click.echo(f"Diagram written to {output}")


@main.command()
@_lesion_options
@click.option("--body-map", is_flag=True, help="Draw the body map instead of the pathway diagram (as --figure body-map).")
@click.option("--figure", "figure_kind", type=click.Choice(["pathway", "body-map", "sensory-map", "limb-map", "ascending", "plexus", "cross-section",
                                                          "corticobulbar"]),
              default="pathway", show_default=True,
              help="Which figure: the pathway diagram, the body map (motor), the sensory map, the limb map (one "
              "side's limb dermatomes and cutaneous nerve territories, the side with more altered skin), the "
              "ascending pathways, the plexus schematic, the cord cross-section or the corticobulbar pathways "
              "with the cranial nerve nuclei and muscles.")
@click.option("--segment", help="The cord segment of --figure cross-section (default: the lesion's most rostral).")
@click.option("--plexus", type=click.Choice(["brachial", "lumbosacral"]),
              help="The plexus of --figure plexus (default: the one the lesion lies in or weakens most).")
@click.option("--ascending/--no-ascending", default=None,
              help="Draw the ascending tracts in the pathway diagram (default: where the lesion cuts one centrally).")
@click.option("--draw-side", type=click.Choice(["left", "right"]),
              help="Draw one side of the body: the pathway diagram of that side alone (the whole width), the plexus "
              "schematic of that side's plexus, the limb map of that side's limbs (default: the pathway diagram draws "
              "both sides, the others the side the lesion touches most).")
@click.option("--dot", "as_dot", is_flag=True, help="Write Graphviz DOT text instead of a figure.")
@click.option("--output", "output", required=True, type=click.Path(dir_okay=False),
              help="The file to write: .svg, .png or .pdf (.dot with --dot).")
@_dpi_option
@_size_option
@_anatomy_option
def render(sites, preset, level, levels, side, phase, variant_names, body_map, figure_kind, segment, plexus, ascending, draw_side,
           as_dot, output, dpi, size, anatomy_file):
    """Draw the diagram (or body map, or Graphviz DOT) of a lesion of SITES into a file.

    \b
    Examples:
      neurograph render "right radial nerve at the spiral groove" --output radial.pdf
      neurograph render C7 --size slide --output c7_slide.png
      neurograph render --preset erb --figure plexus --output erb_plexus.svg
      neurograph render --preset brown_sequard --level T10 --side left --body-map --output bs.png
      neurograph render --preset central_cord --figure cross-section --size slide --output central.svg
      neurograph render --preset brown_sequard --figure sensory-map --size slide --output bs_sensation.svg
      neurograph render --preset brown_sequard --level T10 --side left --draw-side right --output bs_right.svg
      neurograph render C7 --dot --output c7.dot
    """
    _check_output(output, "dot" if as_dot else None)
    if body_map:
        figure_kind = "body-map"
    if plexus and figure_kind != "plexus":
        raise click.UsageError("--plexus goes with --figure plexus")
    if segment and figure_kind != "cross-section":
        raise click.UsageError("--segment goes with --figure cross-section")
    if ascending is not None and (figure_kind != "pathway" or as_dot):
        raise click.UsageError("--ascending goes with the pathway diagram (--figure pathway)")
    if draw_side and (figure_kind not in _ONE_SIDED_FIGURES or as_dot):
        raise click.UsageError("--draw-side goes with --figure " + ", ".join(_ONE_SIDED_FIGURES) + " (not --dot)")
    G, result = _simulate(sites, preset, level, levels, side, phase, anatomy_file, variant_names)
    if as_dot:
        from neurograph.drawing.dot import to_dot
        from neurograph.writing import write_file

        write_file(output, to_dot(G, result).encode("utf-8"), "dot")
    else:
        _write_diagram(G, result, output, dpi, kind=figure_kind, size=size, plexus=plexus, segment=segment, ascending=ascending,
                       draw_side=draw_side)
    click.echo(f"Wrote {output}")


#: The figures that can be drawn for one side of the body (render's --draw-side).
_ONE_SIDED_FIGURES = ("pathway", "plexus", "limb-map")


@main.command("explore")
@click.option("--output", "output", required=True, type=click.Path(dir_okay=False),
              help="The page to write (.html): one file, usable offline.")
@_anatomy_option
def explore_command(output, anatomy_file):
    """Write the interactive lesion explorer: one self-contained HTML page that works offline.

    Click a structure to lesion it, shift-click to add a second site; the page lists the
    deficits (muscles with MRC grade and UMN/LMN class, reflexes, plantar responses) as
    'neurograph lesion' would.

    \b
    Example:
      neurograph explore --output explorer.html
    """
    from neurograph.explorer import write_explorer
    from neurograph.writing import check_output

    check_output(output, "html")
    size = write_explorer(_load(anatomy_file), output)
    click.echo(f"Wrote {output} ({size:,} bytes)")


def _echo_isncsci(result, as_json):
    """The lesion's ISNCSCI exam (motor scores, VAC, light touch, pin prick, DAP) and its classification."""
    from neurograph.isncsci import MOTOR_LEVELS, classify

    exam = result.isncsci()
    classification = classify(exam)
    if as_json:
        click.echo(json.dumps({"exam": exam.to_dict(), "classification": classification.to_dict()}, indent=2))
        return
    ungraded = "" if result.sensory_levels else " (sensation not graded: light touch, pin prick, DAP NT)"
    click.echo(f"ISNCSCI exam of {result.lesion_label}{ungraded}")
    click.echo("Key muscle   " + " ".join(f"{level:>3}" for level in MOTOR_LEVELS))
    for side in ("right", "left"):
        click.echo(f"  {side:<10} " + " ".join(f"{score:>3}" for score in getattr(exam, f"{side}_motor")))
    click.echo(str(classification))


def _simulate(sites, preset, level, levels, side, phase, anatomy_file, variant_names=()):
    from neurograph.lesion import simulate
    from neurograph.presets import preset_lesion

    if not sites and not preset:
        raise click.UsageError("give at least one SITE or a --preset")
    if not preset and (level or levels or side):
        raise click.UsageError("--level, --levels and --side go with --preset")
    G = _load(anatomy_file, variant_names)
    chosen = [_parse_site(site) for site in sites]
    if preset:
        parameters = {"level": level, "levels": levels, "side": side}
        chosen += preset_lesion(G, preset, **{k: v for k, v in parameters.items() if v is not None})
    return G, simulate(G, chosen, phase=phase)


def _check_output(output, file_format=None):
    """Refuse a bad extension, a missing folder or a special file before any work is done.

    Without ``file_format``, the output is a figure: .svg, .png or .pdf.
    """
    from pathlib import Path

    from neurograph.errors import InvalidValueError
    from neurograph.writing import check_output

    if file_format is None:
        file_format = Path(output).suffix.lower().lstrip(".")
        if file_format not in ("svg", "png", "pdf"):
            raise InvalidValueError("output file extension", Path(output).suffix or output, ".svg, .png or .pdf")
    check_output(output, file_format)


def _write_diagram(G, result, output, dpi, kind="pathway", size="free", plexus=None, segment=None, ascending=None,
                   draw_side=None):
    """Draw figure ``kind`` (pathway, body-map, sensory-map, limb-map, ascending, plexus, cross-section, corticobulbar), then write it atomically.

    A PNG over the pixel budget is refused before drawing. ``plexus`` names the plexus of the
    plexus schematic (None: the lesion's own), ``segment`` that of the cross-section,
    ``ascending`` whether the pathway diagram draws the ascending tracts (None: its default),
    ``draw_side`` ("left", "right") the side a pathway diagram, plexus schematic or limb map draws
    (None: their default).
    """
    import matplotlib

    matplotlib.use("Agg")
    from neurograph.drawing import save_figure
    from neurograph.drawing.ascending import ascending_figure
    from neurograph.drawing.body import body_map_figure, limb_map_figure, sensory_map_figure
    from neurograph.drawing.cranial import corticobulbar_figure
    from neurograph.drawing.cross_section import cross_section_figure
    from neurograph.drawing.pathway import lesion_figure
    from neurograph.drawing.plexus import plexus_figure

    # Only a PNG is rendered at dpi; the figures' SVG and PDF are vector only.
    budget = dpi if output.lower().endswith(".png") else None
    code = {"left": "L", "right": "R"}.get(draw_side)
    if kind == "plexus":
        figure = plexus_figure(G, result, plexus=plexus, side=code, size=size, dpi=budget)
    elif kind == "cross-section":
        figure = cross_section_figure(G, result, segment=segment, size=size, dpi=budget)
    elif kind == "sensory-map":
        figure = sensory_map_figure(G, result, size=size, dpi=budget)
    elif kind == "limb-map":
        altered_sides = [finding.side for finding in result.sensation]
        side = draw_side or ("left" if altered_sides.count("L") > altered_sides.count("R") else "right")
        figure = limb_map_figure(G, result, side=side, size=size, dpi=budget)
    elif kind == "ascending":
        figure = ascending_figure(G, result, size=size, dpi=budget)
    elif kind == "corticobulbar":
        figure = corticobulbar_figure(G, result, size=size, dpi=budget)
    elif kind == "body-map":
        figure = body_map_figure(G, result, size=size, dpi=budget)
    else:
        figure = lesion_figure(G, result, side=code, size=size, dpi=budget, ascending=ascending)
    save_figure(figure, output, dpi=dpi)


@main.command("pathway")
@click.argument("source")
@click.argument("muscle", required=False)
@click.option("--json", "as_json", is_flag=True, help="Print the route as JSON.")
@_anatomy_option
def pathway_command(source, muscle, as_json, anatomy_file):
    """Print the route from SOURCE (a cortical area or any structure on the way) to MUSCLE, or
    the ascending routes from SOURCE, a place of skin, to the somatosensory cortex.

    Also accepted as 'path'.

    \b
    Examples:
      neurograph pathway "left arm area" "right triceps"
      neurograph pathway "right C6 key point"
    """
    from neurograph.paths import pathway

    G = _load(anatomy_file)
    result = pathway(G, source, muscle)
    if as_json:
        click.echo(json.dumps(result.to_dict(), indent=2))
        return
    click.echo(f"{result.source} -> {result.target}")
    if hasattr(result.routes[0], "tract"):
        for route in result.routes:
            click.echo(f"{route.segment} ({route.tract.replace('_', ' ')}):")
            click.echo("  peripheral: " + " -> ".join(G.nodes[node]["label"] for node in route.peripheral))
            click.echo("  central: " + " -> ".join(G.nodes[node]["label"] for node in route.central[1:]))
        return
    for route in result.routes:
        labels = [G.nodes[node]["label"] for node in route.umn]
        click.echo(f"{route.segment}:")
        click.echo("  UMN: " + " -> ".join(labels))
        click.echo("  LMN: " + " -> ".join(G.nodes[node]["label"] for node in route.lmn[1:]))


@main.command()
@click.argument("muscle")
@click.option("--json", "as_json", is_flag=True, help="Print as JSON.")
@_anatomy_option
def innervation(muscle, as_json, anatomy_file):
    """Print how MUSCLE (or a place of skin) is supplied: nerves, plexus, roots, segments,
    cortical area (for skin: cutaneous nerve, nerve chain, ganglia, roots, cord, dermatome).

    \b
    Examples:
      neurograph innervation "left FDI"
      neurograph innervation "right first web space of the foot"
    """
    from neurograph.paths import innervation as muscle_innervation

    G = _load(anatomy_file)
    result = muscle_innervation(G, muscle)
    if as_json:
        click.echo(json.dumps(result.to_dict(), indent=2))
        return
    click.echo(result.label)
    for key, value in result.to_dict().items():
        if key in ("muscle", "label"):
            continue
        if isinstance(value, dict):  # a cranial muscle's cortical areas with their share of the drive
            value = [f"{G.nodes[v]['label'] if v in G else v}: {share:g}" for v, share in value.items()]
        shown = ", ".join(G.nodes[v]["label"] if v in G else v for v in value) if isinstance(value, list) else value
        click.echo(f"  {key.replace('_', ' ')}: {shown or '-'}")


@main.command()
@click.argument("segment")
@click.option("--side", type=click.Choice(["left", "right"]), help="One side only.")
@click.option("--json", "as_json", is_flag=True, help="Print as JSON.")
@_anatomy_option
def dermatome(segment, side, as_json, anatomy_file):
    """Print the skin of SEGMENT: its ISNCSCI key point and the skin places its fibres reach.

    \b
    Example:
      neurograph dermatome C6 --side right
    """
    from neurograph.paths import dermatome as segment_dermatome

    G = _load(anatomy_file)
    result = segment_dermatome(G, segment, side={"left": "L", "right": "R"}.get(side))
    if as_json:
        click.echo(json.dumps(result.to_dict(), indent=2))
        return
    click.echo(f"dermatome {result.segment}")
    click.echo("  key points: " + ("; ".join(G.nodes[node]["label"] for node in result.key_points) or "-"))
    click.echo("  places: " + ("; ".join(G.nodes[node]["label"] for node in result.places) or "-"))


@main.command()
@click.argument("structure")
@click.option("--json", "as_json", is_flag=True, help="Print as JSON.")
@_anatomy_option
def territory(structure, as_json, anatomy_file):
    """Print the skin STRUCTURE serves: wholly (every route passes it) or in part.

    \b
    Example:
      neurograph territory "right superficial radial nerve"
    """
    from neurograph.paths import territory as skin_territory

    G = _load(anatomy_file)
    result = skin_territory(G, structure)
    if as_json:
        click.echo(json.dumps(result.to_dict(), indent=2))
        return
    click.echo(f"territory of {result.site.label}")
    click.echo("  whole: " + ("; ".join(G.nodes[node]["label"] for node in result.whole) or "-"))
    click.echo("  partial: " + ("; ".join(G.nodes[node]["label"] for node in result.partial) or "-"))


@main.command("supplied-by")
@click.argument("site")
@click.option("--json", "as_json", is_flag=True, help="Print as JSON.")
@_anatomy_option
def supplied_by_command(site, as_json, anatomy_file):
    """Print every muscle and reflex that depends on SITE, split LMN and UMN.

    Also accepted as 'supplies'.

    \b
    Example:
      neurograph supplied-by "right ulnar nerve at the elbow"
    """
    from neurograph.paths import supplied_by

    G = _load(anatomy_file)
    result = supplied_by(G, site)
    if as_json:
        click.echo(json.dumps(result.to_dict(), indent=2))
        return
    click.echo(f"Supplied by {result.site.label}:")
    for part, entries in (("LMN", result.lmn), ("UMN", result.umn)):
        for muscle, segments in entries:
            click.echo(f"  {part}  {G.nodes[muscle]['label']} ({', '.join(segments)})")
    for reflex in result.reflexes:
        click.echo(f"  reflex  {G.nodes[reflex]['label']}")


@main.command("find")
@click.argument("query")
@click.option("--limit", default=20, show_default=True, type=click.IntRange(1, 500))
@_anatomy_option
def find_command(query, limit, anatomy_file):
    """Search structure names and aliases for QUERY.

    \b
    Example:
      neurograph find peroneal
    """
    from neurograph.resolve import find

    matches = find(_load(anatomy_file), query, limit=limit)
    for name, label in matches:
        click.echo(name if name == label else f"{name}  ({label})")
    if not matches:
        click.echo(f"no structure matches {query!r}")


@main.command("presets")
@click.option("--json", "as_json", is_flag=True, help="Print as JSON.")
@_anatomy_option
def presets_command(as_json, anatomy_file):
    """List the named lesions with their parameters and sources.

    With --anatomy, each preset is also built on that anatomy, and one that names a structure
    the anatomy lacks is marked "not available".

    \b
    Example:
      neurograph presets
    """
    from neurograph.presets import list_presets, preset_lesion

    G = _load(anatomy_file) if anatomy_file else None
    entries = []
    for preset in list_presets():
        entry = preset.to_dict()
        if G is not None:
            try:
                preset_lesion(G, preset.name)
                entry["available"] = True
            except NeurographError as error:
                entry["available"], entry["problem"] = False, str(error)
        entries.append(entry)
    if as_json:
        click.echo(json.dumps(entries, indent=2))
        return
    for entry in entries:
        parameters = ", ".join(f"{k}={v}" for k, v in entry["parameters"].items())
        missing = "" if entry.get("available", True) else f" (not available: {entry['problem']})"
        click.echo(f"{entry['name']}: {entry['label']}" + (f" [{parameters}]" if parameters else "") + missing)
        click.echo(f"    {entry['description']} ({entry['source']})")


@main.command("isncsci")
@click.argument("exam_file", type=click.Path(dir_okay=False))
@click.option("--json", "as_json", is_flag=True, help="Print the classification as JSON.")
@click.option("--output", "output", type=click.Path(dir_okay=False),
              help="Draw the worksheet of a single exam: .svg, .png or .pdf.")
@_dpi_option
def isncsci_command(exam_file, as_json, output, dpi):
    """Classify the ISNCSCI exams in EXAM_FILE (.json: one exam or a list; .csv: one a row).

    A JSON exam gives the worksheet's classification box; a CSV of exams gives a CSV of
    classifications, one row each (the exam's id first). The fields are those of the
    reference cases (c2RightTouch ... s1LeftMotor, analContraction, analSensation).

    \b
    Examples:
      neurograph isncsci exam.json
      neurograph isncsci exam.json --output worksheet.pdf
      neurograph isncsci cohort.csv > classified.csv
    """
    from neurograph.isncsci import classifications_csv, classify, read_exams

    if output:
        _check_output(output)
    exams = read_exams(exam_file)
    results = [classify(exam) for exam in exams]
    if output:
        _write_sheet(exams, results, output, dpi)
    if as_json:
        payload = [result.to_dict() for result in results]
        click.echo(json.dumps(payload[0] if len(payload) == 1 and not exam_file.lower().endswith(".csv") else payload,
                              indent=2))
    elif exam_file.lower().endswith(".csv"):
        click.echo(classifications_csv(results), nl=False)
    else:
        for number, result in enumerate(results):
            if len(results) > 1:
                click.echo(("\n" if number else "") + f"Exam {result.id or number + 1}")
            click.echo(str(result))
    if output and not as_json:
        click.echo(f"Worksheet written to {output}")


def _write_sheet(exams, results, output, dpi):
    """Check the exam count before drawing (the output was checked first), then draw and write atomically."""
    from neurograph.errors import InvalidValueError

    if len(exams) != 1:
        raise InvalidValueError("number of exams for --output", len(exams), "one exam (the worksheet draws one)")
    import matplotlib

    matplotlib.use("Agg")
    from neurograph.drawing import save_figure
    from neurograph.drawing.isncsci_sheet import isncsci_figure

    save_figure(isncsci_figure(exams[0], results[0]), output, dpi=dpi)


@main.command("cohort")
@click.argument("spec_file", type=click.Path(dir_okay=False))
@click.option("--output", "output", type=click.Path(dir_okay=False),
              help="Write one row per patient to this file: .csv, or .parquet (with pyarrow).")
@click.option("--json", "as_json", is_flag=True, help="Print the summary as JSON.")
@click.option("--workers", type=click.IntRange(1, 256), help="Run on a local Dask cluster of N worker processes.")
@click.option("--scheduler", help="Run on the Dask scheduler at this address (tcp://...).")
@click.option("--progress", is_flag=True, help="Show the progress line on stderr even when it is not a terminal.")
@click.option("--quiet", is_flag=True, help="No progress line (shown by default when stderr is a terminal).")
def cohort_command(spec_file, output, as_json, workers, scheduler, progress, quiet):
    """Simulate, examine and localize the virtual patients of the cohort spec SPEC_FILE (YAML or JSON).

    \b
    Examples:
      neurograph cohort spec.yaml --output patients.csv
      neurograph cohort spec.yaml --workers 2 --quiet
    """
    from neurograph.cohort import ProgressLine, format_summary, read_spec, run_cohort

    if output:
        _check_output(output, "parquet" if output.endswith(".parquet") else "csv")
    spec = read_spec(spec_file)
    stderr = sys.stderr
    line = ProgressLine(stderr) if not quiet and (progress or stderr.isatty()) else None
    try:
        result = run_cohort(spec, workers=workers, scheduler=scheduler, output=output, keep_rows=False, progress=line)
    finally:
        if line is not None:
            line.close()
    click.echo(json.dumps(result.summary, indent=2) if as_json else format_summary(result.summary))
    if output and not as_json:
        click.echo(f"Rows written to {output}")


@main.command("localize")
@click.argument("findings_file", type=click.Path(dir_okay=False))
@click.option("--max-sites", default=2, show_default=True, type=click.IntRange(1, 2), help="Consider pairs of sites too.")
@click.option("--top", default=10, show_default=True, type=click.IntRange(1, 100), help="How many hypotheses to list.")
@click.option(
    "--ranking", default="posterior", show_default=True, type=click.Choice(["posterior", "score"]),
    help="Rank by posterior probability (with the next tests), or by score (explained minus contradicted and unexplained).",
)
@click.option("--tests", "test_count", default=3, show_default=True, type=click.IntRange(0, 20), help="How many next tests to rank (posterior ranking).")
@click.option("--priors", "priors_file", type=click.Path(dir_okay=False), help="Priors in the format of data/sources/inference/priors.csv, instead of that table.")
@click.option(
    "--examination-model", "model_file", type=click.Path(dir_okay=False),
    help="The examination's error in the format of data/sources/inference/examination_error.csv, instead of that table.",
)
@click.option("--json", "as_json", is_flag=True, help="Print the ranking as JSON.")
@click.option("--output", "output", type=click.Path(dir_okay=False), help="Write the best hypothesis's diagram.")
@_dpi_option
@_size_option
@_variant_option
@_anatomy_option
def localize_command(
    findings_file, max_sites, top, ranking, test_count, priors_file, model_file, as_json, output, dpi, size, variant_names, anatomy_file,
):
    """Rank the lesion sites that best explain the examination in FINDINGS_FILE (JSON or YAML).

    By posterior probability (priors, partial lesions and the examination's error), with the
    unexamined items that would tell the most; --ranking score ranks by score.

    \b
    Example:
      neurograph localize exam.json --output best.svg
      neurograph localize exam.json --ranking score --json
      neurograph localize exam.json --priors my_priors.csv --examination-model strict.csv
    """
    from neurograph.findings import read_findings
    from neurograph.inference import read_examination_model, read_priors
    from neurograph.lesion import simulate
    from neurograph.localization import localize

    if output:
        _check_output(output)
    priors = read_priors(priors_file) if priors_file else None
    model = read_examination_model(model_file) if model_file else None
    G = _load(anatomy_file, variant_names)
    findings = read_findings(G, findings_file)
    result = localize(
        G, findings, max_sites=max_sites, top=top, priors=priors, model=model, ranking=ranking,
        tests=test_count if ranking == "posterior" else 0,
    )
    if output:
        _write_diagram(G, simulate(G, list(result.best.sites), phase=findings.phase), output, dpi, size=size)
    if as_json:
        click.echo(json.dumps(result.to_dict(), indent=2))
        return
    for rank, hypothesis in enumerate(result.hypotheses, start=1):
        weight = f"{hypothesis.probability_words}; score {hypothesis.score:g}" if ranking == "posterior" else f"score {hypothesis.score:g}"
        click.echo(f"{rank:>2}. {hypothesis.label}  ({weight})")
        click.echo(f"    {hypothesis.explanation}")
    if ranking == "posterior":
        click.echo(f"Every other hypothesis weighed: p = {result.remainder:.3g}")
    if len(result.ties) > 1:
        click.echo(result.tie_sentence)
    if result.tests:
        click.echo("Next tests, most informative first:")
        for test in result.tests:
            click.echo(f" - {test.sentence}")
    if output:
        click.echo(f"Diagram of the best hypothesis written to {output}")
