"""The command line: parse options, call one function, format its result.

No pipeline logic lives here; heavy modules (Babel, ruamel.yaml, Jinja2,
deep-translator) are imported inside the commands so ``--help`` stays fast.

Exit codes: 0 success; 1 a check failed (coverage below --fail-under,
quality problems, incomplete strict render); 2 bad input or usage.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from .. import __version__
from i18n_pipeline.errors import EXIT_INPUT_ERROR, PipelineError

if TYPE_CHECKING:
    from i18n_pipeline.config import Config
    from i18n_pipeline.project import WriteReport


class State:
    """Per-invocation settings shared by every command."""

    def __init__(self, project: Path | None, debug: bool, allow_outside: bool = False) -> None:
        self.project = project
        self.debug = debug
        self.allow_outside = allow_outside
        self._config: Config | None = None

    @property
    def config(self) -> Config:
        if self._config is None:
            from i18n_pipeline.config import find_root, load_config

            root = self.project if self.project is not None else find_root(Path.cwd())
            self._config = load_config(root, allow_outside=self.allow_outside)
            for key, folder in self._config.outside:
                click.echo(f"note: {key} is outside the project: {folder}", err=True)
        return self._config


class PipelineGroup(click.Group):
    """Turns unexpected OS errors into one clear line; ``--debug`` shows tracebacks."""

    def invoke(self, ctx: click.Context):  # type: ignore[override]
        try:
            return super().invoke(ctx)
        except PipelineError as exc:
            if ctx.obj is not None and ctx.obj.debug:
                import traceback

                traceback.print_exc()
            raise
        except OSError as exc:
            if ctx.obj is not None and ctx.obj.debug:
                raise
            where = getattr(exc, "filename", None)
            raise PipelineError(exc.strerror or str(exc), where) from exc


EPILOG = "Exit codes: 0 ok; 1 a check failed (coverage, quality, incomplete render); 2 bad input or usage."


@click.group(cls=PipelineGroup, epilog=EPILOG, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="i18n-pipeline")
@click.option(
    "--project",
    type=click.Path(file_okay=False, path_type=Path),
    help="Project folder holding i18n-pipeline.yaml (default: found by walking up from the current folder).",
)
@click.option("--debug", is_flag=True, help="Show full tracebacks for errors.")
@click.option("--allow-outside", is_flag=True, help="Allow catalog_dir/output_dir outside the project folder (an absolute path in the config allows it too).")
@click.pass_context
def main(ctx: click.Context, project: Path | None, debug: bool, allow_outside: bool) -> None:
    """Bilingual FAQ and announcement pipeline: YAML sources -> gettext catalogs
    -> reviewed drafts -> rendered pages.

    Typical flow: extract, update, draft, review, status, check, render;
    `build` runs the offline part in one go.
    """
    ctx.obj = State(project, debug, allow_outside)


def print_report(report: WriteReport, verb: str = "wrote") -> None:
    for path in report.written:
        click.echo(f"{verb} {path}")
    if report.unchanged:
        click.echo(f"{len(report.unchanged)} file(s) already up to date")
    for note in report.notes:
        click.echo(f"note: {note}")


def locked(state: State):
    from i18n_pipeline.fileio import ProjectLock

    config = state.config
    return ProjectLock(config.root, clean=(config.catalog_path, config.output_path, config.root / ".i18n-pipeline-cache"))


def run() -> None:
    """Console-script entry: keep exit code 2 for usage errors, no traceback for bad input.

    SIGTERM (kill, CI time-outs) is turned into a normal exit so ``finally``
    blocks run: an atomic write in progress removes its temp file.
    """
    import gc
    import signal

    signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(128 + signum))
    # A run builds tens of thousands of small objects and frees them all at the end;
    # the default thresholds traverse them again and again (about 20% of a large update).
    gc.set_threshold(50_000, 20, 100)
    try:
        code = main.main(standalone_mode=False)
    except KeyboardInterrupt:
        click.echo("interrupted", err=True)
        sys.exit(130)
    except click.exceptions.Abort:
        # Click raises Abort for Ctrl-C at a prompt: same exit as any interrupt, never 1.
        click.echo("interrupted", err=True)
        sys.exit(130)
    except click.ClickException as exc:
        exc.show()
        sys.exit(exc.exit_code)
    except click.exceptions.Exit as exc:
        sys.exit(exc.exit_code)
    _exit_now(code if isinstance(code, int) else 0)


def _exit_now(code: int) -> None:
    """Exit without tearing down every object one by one: the work is done and written.

    Files are closed and the project lock released by then (context managers);
    only the standard streams still need flushing.
    """
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except (OSError, ValueError):
        sys.exit(code)
    os._exit(code)
