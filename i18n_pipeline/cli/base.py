"""The command line: parse options, call one function, format its result.

No pipeline logic lives here; heavy modules (Babel, ruamel.yaml, Jinja2,
deep-translator) are imported inside the commands so ``--help`` stays fast.

Exit codes: 0 success; 1 a check failed (coverage below --fail-under,
quality problems, incomplete strict render); 2 bad input or usage.
"""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

import click

from i18n_pipeline.errors import EXIT_INPUT_ERROR, PipelineError

from .. import __version__

if TYPE_CHECKING:
    from i18n_pipeline.config import Config
    from i18n_pipeline.fileio import ProjectLock
    from i18n_pipeline.project import WriteReport


#: Commands in the order a project uses them; ``--help`` lists them so.
WORKFLOW = ("init", "extract", "update", "import", "draft", "review", "status", "check", "compile", "render", "build")

#: The environment variable that names the project folder (like ``--project``).
PROJECT_ENV = "I18N_PIPELINE_PROJECT"

QUIET, NORMAL, VERBOSE = 0, 1, 2


class State:
    """Per-invocation settings shared by every command, and how much it prints."""

    def __init__(self, project: Path | None, debug: bool, allow_outside: bool = False) -> None:
        self.project = project
        self.debug = debug
        self.verbosity = NORMAL
        self.allow_outside = allow_outside
        self._config: Config | None = None

    @property
    def config(self) -> Config:
        if self._config is None:
            from i18n_pipeline.config import find_root, load_config, locale_warnings

            if self.project is not None and not self.project.is_dir():
                raise PipelineError(f"the project folder {self.project} does not exist (from --project or {PROJECT_ENV})")
            root = self.project if self.project is not None else find_root(Path.cwd())
            self._config = load_config(root, allow_outside=self.allow_outside)
            for key, folder in self._config.outside:
                click.echo(f"note: {key} is outside the project: {folder}", err=True)
            for warning in locale_warnings(self._config):
                self.warn(f"{self._config.root / 'i18n-pipeline.yaml'}: {warning}")
        return self._config

    def say(self, text: str) -> None:
        """A normal line of progress or summary: hidden by --quiet."""
        if self.verbosity >= NORMAL:
            click.echo(text)

    def detail(self, text: str) -> None:
        """One line per file or message: shown only with --verbose."""
        if self.verbosity >= VERBOSE:
            click.echo(text)

    def warn(self, text: str) -> None:
        """Always shown, on stderr."""
        click.echo(f"warning: {text}", err=True)


def _state(ctx: click.Context) -> State:
    state = ctx.find_object(State)
    if state is None:  # options are parsed before the group's callback creates it
        state = ctx.obj = State(None, False)
    return state


def _set_project(ctx: click.Context, param: click.Parameter, value: Path | None) -> None:
    if value is not None:
        _state(ctx).project = value


def _set_verbosity(ctx: click.Context, param: click.Parameter, value: bool) -> None:
    if not value:
        return
    state = _state(ctx)
    wanted = QUIET if param.name == "quiet" else VERBOSE
    if state.verbosity not in (NORMAL, wanted):
        raise click.UsageError("--quiet and --verbose exclude each other", ctx)
    state.verbosity = wanted


PROJECT_HELP = f"Project folder holding i18n-pipeline.yaml (default: ${PROJECT_ENV}, else found by walking up from the current folder)."


def common_options(f: Callable[..., Any]) -> Callable[..., Any]:
    """``--project``, ``--quiet`` and ``--verbose``, accepted after the command name too."""
    options = (
        click.option("--project", type=click.Path(file_okay=False, path_type=Path), expose_value=False, is_eager=True,
                     callback=_set_project, metavar="DIR", help=PROJECT_HELP),
        click.option("-q", "--quiet", is_flag=True, expose_value=False, callback=_set_verbosity,
                     help="Print only errors, warnings and the report asked for."),
        click.option("-v", "--verbose", is_flag=True, expose_value=False, callback=_set_verbosity,
                     help="Also print every file and message concerned."),
    )
    for option in reversed(options):
        f = option(f)
    return f


def format_option(choices: tuple[str, ...], help: str = "Output format: table for people, json for scripts.") -> Callable[..., Any]:
    """The one ``--format`` of every reporting command (``--json`` stays as a hidden alias)."""

    def decorate(f: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(f)
        def wrapper(*args: Any, as_json: bool = False, **kwargs: Any) -> Any:
            if as_json:
                kwargs["fmt"] = "json"
            return f(*args, **kwargs)

        wrapper = click.option("--json", "as_json", is_flag=True, hidden=True, help="Deprecated: use --format json.")(wrapper)
        return click.option("--format", "fmt", type=click.Choice(choices), default=choices[0], show_default=True, help=help)(wrapper)

    return decorate


def to_json(result: Any) -> str:
    """A report dataclass as JSON: the same result object the table shows."""
    import dataclasses
    import json

    data = dataclasses.asdict(result) if dataclasses.is_dataclass(result) and not isinstance(result, type) else result
    return json.dumps(data, ensure_ascii=False, indent=2, default=str)


class PipelineGroup(click.Group):
    """Commands in workflow order with their whole first line; OS errors as one clear line."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        known = [name for name in WORKFLOW if name in self.commands]
        return known + sorted(set(self.commands) - set(known))

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        """Like Click's, but the one-line descriptions are never cut short with '...'."""
        rows = []
        for name in self.list_commands(ctx):
            command = self.get_command(ctx, name)
            if command is None or command.hidden:
                continue
            rows.append((name, one_line(command)))
        if rows:
            with formatter.section("Commands"):
                formatter.write_dl(rows)

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except PipelineError as exc:
            if ctx.obj is not None and ctx.obj.debug:
                import traceback

                traceback.print_exc()
            raise UserError(exc) from exc
        except OSError as exc:
            if ctx.obj is not None and ctx.obj.debug:
                raise
            where = getattr(exc, "filename", None)
            raise UserError(PipelineError(exc.strerror or str(exc), where)) from exc


class UserError(click.ClickException):
    """A :class:`PipelineError` on its way out: one ``error: file:line: …`` line on stderr, exit 2."""

    exit_code = EXIT_INPUT_ERROR

    def __init__(self, error: PipelineError) -> None:
        super().__init__(error.format_message())
        self.error = error

    def show(self, file: IO[Any] | None = None) -> None:
        click.echo(f"error: {self.message}", err=True)


def one_line(command: click.Command) -> str:
    """The first paragraph of a command's help, as one line."""
    text = command.short_help or (command.help or "").split("\n\n", 1)[0]
    return " ".join(text.split())


EPILOG = "Exit codes: 0 ok; 1 a check failed (coverage, quality, incomplete render); 2 bad input or usage."


@click.group(cls=PipelineGroup, epilog=EPILOG, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="i18n-pipeline")
@click.option(
    "--project",
    type=click.Path(file_okay=False, path_type=Path),
    envvar=PROJECT_ENV,
    metavar="DIR",
    help=PROJECT_HELP,
)
@click.option("--debug", is_flag=True, help="Show full tracebacks for errors.")
@click.option("-q", "--quiet", is_flag=True, expose_value=False, callback=_set_verbosity,
              help="Print only errors, warnings and the report asked for.")
@click.option("-v", "--verbose", is_flag=True, expose_value=False, callback=_set_verbosity,
              help="Also print every file and message concerned.")
@click.option("--allow-outside", is_flag=True, help="Allow catalog_dir/output_dir outside the project folder (an absolute path in the config allows it too).")
@click.pass_context
def main(ctx: click.Context, project: Path | None, debug: bool, allow_outside: bool) -> None:
    """Bilingual FAQ and announcement pipeline: YAML sources -> gettext catalogs
    -> reviewed drafts -> rendered pages.

    Typical flow: init, update, draft, review, status, check, render;
    `build` runs the offline part in one go. --project, --quiet and
    --verbose work after the command name too.

    \b
    Examples:
      i18n-pipeline init my-project
      i18n-pipeline --project my-project build
      I18N_PIPELINE_PROJECT=my-project i18n-pipeline status
    """
    state = _state(ctx)
    state.project = project
    state.debug = debug
    state.allow_outside = allow_outside


def print_report(state: State, report: WriteReport, fmt: str = "table") -> None:
    """A write report: a summary line, each file with --verbose, or the whole report as JSON."""
    if fmt == "json":
        click.echo(to_json(report))
        return
    for path in report.written:
        state.detail(f"wrote {path}")
    if report.written or report.unchanged:
        state.say(f"{len(report.written)} file(s) written, {len(report.unchanged)} already up to date")
    for note in report.notes:
        state.say(f"note: {note}")


def locked(state: State) -> ProjectLock:
    from i18n_pipeline.config import CACHE_DIR
    from i18n_pipeline.fileio import ProjectLock

    config = state.config
    return ProjectLock(config.root, clean=(config.catalog_path, config.output_path, config.root / CACHE_DIR))


def run() -> None:
    """Console-script entry: keep exit code 2 for usage errors, no traceback for bad input.

    SIGTERM (kill, CI time-outs) is turned into a normal exit so ``finally``
    blocks run: an atomic write in progress removes its temp file.
    """
    import signal

    signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(128 + signum))
    try:
        code = main.main(standalone_mode=False)
    except (KeyboardInterrupt, click.exceptions.Abort):
        # Click raises Abort for Ctrl-C at a prompt: same exit as any interrupt, never 1.
        click.echo("interrupted", err=True)
        sys.exit(130)
    except PipelineError as exc:
        # Raised outside a command (while Click reads the options): printed the same way.
        UserError(exc).show()
        sys.exit(exc.exit_code)
    except click.ClickException as exc:
        exc.show()
        sys.exit(exc.exit_code)
    except click.exceptions.Exit as exc:
        sys.exit(exc.exit_code)
    sys.exit(code if isinstance(code, int) else 0)
