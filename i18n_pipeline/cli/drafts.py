"""Commands of the drafts stage: ``draft`` and ``review``."""

from __future__ import annotations

from dataclasses import asdict
from typing import TYPE_CHECKING, Any

import click

from i18n_pipeline.choices import PROVIDERS, REPORT_FORMATS
from i18n_pipeline.cli.base import State, common_options, format_option, locked, main, to_json

if TYPE_CHECKING:
    from i18n_pipeline.translate.drafts import Decision
    from i18n_pipeline.translate.review import Neighbour, ReviewItem

EDITOR_CUT = "# ------ i18n-pipeline: everything below this line is ignored; the source follows ------"


@main.command()
@common_options
@format_option(REPORT_FORMATS)
@click.option("--locale", metavar="L", help="Only catalogs of this locale (es, ES and es-MX are understood).")
@click.option("--document", metavar="ID", help="Only this document.")
@click.option("--provider", type=click.Choice(PROVIDERS), help="Where drafts come from (default: draft.provider, else memory).")
@click.option("--url", metavar="URL", help="Server address: LibreTranslate (libre) or an OpenAI-compatible API such as http://localhost:11434/v1.")
@click.option("--model", metavar="NAME", help="Model name for the openai-compatible provider (default: draft.model).")
@click.option("--dry-run", is_flag=True, help="Show what would be drafted; send nothing, write nothing.")
@click.option("--limit", type=click.IntRange(min=0), metavar="N", help="Draft at most N messages.")
@click.option("--retranslate-fuzzy", is_flag=True, help="Also replace earlier drafts (never a translator's text).")
@click.pass_obj
def draft(state: State, /, fmt: str, dry_run: bool, **options: Any) -> None:
    """Fill untranslated messages with drafts for a person to review.

    Drafts are written fuzzy with their provenance (provider, match score,
    date) in a translator comment: status counts them as needs-review,
    renders leave them out, and every PO editor keeps the mark. A
    translator's text is never replaced. API keys are read only from the
    environment variable named by draft.api_key_env.

    \b
    Examples:
      i18n-pipeline draft
      i18n-pipeline draft --provider libre --url http://localhost:5000/ --locale es
      i18n-pipeline draft --provider openai-compatible --url http://localhost:11434/v1 --model llama3.1
      i18n-pipeline draft --dry-run --limit 10
    """
    from i18n_pipeline.translate.drafts import draft_project

    with locked(state):
        # The options are draft_project's own keywords: --locale, --document, --provider, --url, --model, --limit, --retranslate-fuzzy.
        report = draft_project(state.config, dry_run=dry_run, progress=fmt != "json" and state.verbosity > 0, **options)
    if fmt == "json":
        click.echo(to_json(report))
        return
    if dry_run:
        for item in report.planned:
            verb = "redraft" if item.replaces else "draft"
            state.say(f"would {verb} {item.path}: {item.key}")
        state.say(f"{len(report.planned)} message(s) would be drafted with {report.provider} (dry run: nothing sent or written)")
    else:
        for path in report.written:
            state.say(f"wrote {path}")
        parts = [f"{report.drafted} draft(s) from {report.provider}"]
        if report.without_draft:
            parts.append(f"{report.without_draft} without a draft" + (" (no match above the threshold)" if report.provider == "memory" else ""))
        if report.provider != "memory":
            parts.append(f"{report.requests} request(s), {report.from_cache} from cache, {report.retries} retried")
        state.say(", ".join(parts) + f" in {report.seconds:.1f} s")
    if report.skipped_rejected:
        state.say(f"{report.skipped_rejected} message(s) skipped: a reviewer rejected this provider's draft")
    for problem in report.problems:
        click.echo(f"warning: {problem} (kept as a draft; 'check --include-fuzzy' reports it)", err=True)
    if summary := report.failure_summary():
        state.warn(summary)
    for failure in report.failures:
        state.detail(f"  no draft for {failure}")
    for note in report.notes:
        state.say(f"note: {note}")
    if not dry_run and report.drafted:
        state.say("Drafts need review: run 'i18n-pipeline review'.")


def _show(item: ReviewItem, position: int, total: int) -> None:
    click.secho(f"[{position}/{total}] {item.locale} · {item.document} · {item.key}", bold=True)
    for ref in item.references:
        click.echo(f"  from {ref}")
    for note in item.notes:
        click.secho(f"  note: {note}", fg="cyan")
    _show_neighbours("before:", item.before)
    if item.previous_source is not None:
        click.echo(f"  source was: {item.previous_source}")
    click.echo(f"  source: {item.source}")
    click.secho(f"  draft:  {item.draft}", fg="yellow")
    click.echo("  from:   " + "; ".join(f"{k}={v}" for k, v in item.provenance.items()))
    for problem in item.problems:
        click.secho(f"  problem: {problem}", fg="red")
    _show_neighbours("after: ", item.after)


def _show_neighbours(label: str, neighbours: tuple[Neighbour, ...]) -> None:
    for n in neighbours:
        click.secho(f"  {label} {n.source}", dim=True)
        click.secho(f"          {n.translation or '(untranslated)'} [{n.state}]", dim=True)


def _from_editor(item: ReviewItem) -> str | None:
    edited = click.edit(f"{item.draft}\n\n{EDITOR_CUT}\n{item.source}\n")
    return (edited.split(EDITOR_CUT, 1)[0].strip() or None) if edited is not None else None


@main.command()
@common_options
@format_option(REPORT_FORMATS, "Output format of --list, --accept and --reject: table, or json (implies --list without them).")
@click.option("--locale", metavar="L", help="Only drafts of this locale (es, ES and es-MX are understood).")
@click.option("--document", metavar="ID", help="Only this document.")
@click.option("--list", "as_list", is_flag=True, help="List the drafts awaiting review and exit.")
@click.option("--accept", "accepts", multiple=True, metavar="KEY", help="Accept the draft with this key (msgctxt); repeatable.")
@click.option("--reject", "rejects", multiple=True, metavar="KEY", help="Reject (clear) the draft with this key; repeatable.")
@click.option("--reviewer", metavar="NAME", help="Who reviews (default: review.reviewer, then git config user.name).")
@click.option("--context", type=click.IntRange(0, 10), help="Neighbouring paragraphs shown each side (default: review.context or 1).")
@click.pass_obj
def review(
    state: State,
    fmt: str,
    locale: str | None,
    document: str | None,
    as_list: bool,
    accepts: tuple[str, ...],
    rejects: tuple[str, ...],
    reviewer: str | None,
    context: int | None,
) -> None:
    """Walk through the drafts: accept, edit, reject or skip each one.

    Each decision is saved at once. Accepting clears fuzzy and records who
    and when in the entry (`# i18n-pipeline reviewed: by=...; date=...`);
    rejecting empties the translation. For scripts: --list [--format json],
    --accept KEY, --reject KEY.

    \b
    Examples:
      i18n-pipeline review
      i18n-pipeline review --locale es --reviewer Ana
      i18n-pipeline review --list --format json
      i18n-pipeline review --accept faq/learning-space/title --reviewer Ana
    """
    from i18n_pipeline.errors import PipelineError
    from i18n_pipeline.translate.drafts import current_item, record_decision, resolve_reviewer, review_keys, review_queue

    config = state.config
    if accepts or rejects:
        with locked(state):
            report = review_keys(config, accept=accepts, reject=rejects, reviewer=reviewer, locale=locale, document=document)
        if fmt == "json":
            click.echo(to_json(report))
            return
        for verb, done in (("accepted", report.accepted), ("rejected", report.rejected), ("wrote", report.written)):
            for entry in done:
                state.say(f"{verb} {entry}")
        return
    items = review_queue(config, locale=locale, document=document, context=context)
    if fmt == "json":
        click.echo(to_json([asdict(waiting) for waiting in items]))
        return
    if as_list:
        for waiting in items:
            flag = f" [{len(waiting.problems)} problem(s)]" if waiting.problems else ""
            click.echo(f"{waiting.locale}\t{waiting.key}\t{waiting.provenance.get('provider', '?')}{flag}\t{waiting.draft}")
        click.echo(f"{len(items)} draft(s) awaiting review")
        return
    if not items:
        click.echo("No drafts awaiting review.")
        return
    name = resolve_reviewer(config, reviewer)
    tally = {"accepted": 0, "edited": 0, "rejected": 0, "skipped": 0}
    for position, listed in enumerate(items, 1):
        # Each screen shows the catalog as it is now: earlier decisions (and anyone's edits) included.
        item = current_item(config, listed, context=context)
        if item is None:
            click.echo(f"{listed.locale}: {listed.key}: no longer awaiting review (changed on disk); skipped")
            tally["skipped"] += 1
            continue
        _show(item, position, len(items))
        while True:
            choice = click.prompt("[a]ccept [e]dit [o]pen in $EDITOR [r]eject [s]kip [q]uit", type=click.Choice(list("aeorsq")), show_choices=False)
            text: str | None = None
            if choice == "e":
                text = click.prompt("translation", default=item.draft).strip() or None
            elif choice == "o":
                text = _from_editor(item)
                if text is None:
                    click.echo("editor closed without changes")
                    continue
            break
        if choice == "q":
            tally["skipped"] += len(items) - position + 1
            break
        if choice == "s":
            tally["skipped"] += 1
            continue
        decision: Decision = "reject" if choice == "r" else ("edit" if text is not None and text != item.draft else "accept")
        try:
            with locked(state):
                record_decision(config, item, decision, name, text=text)
        except PipelineError as exc:
            click.echo(f"error: {exc.format_message()} (skipped)", err=True)
            tally["skipped"] += 1
            continue
        key = {"accept": "accepted", "edit": "edited", "reject": "rejected"}[decision]
        tally[key] += 1
        click.echo(f"{key}, saved {item.path}")
    click.echo(", ".join(f"{v} {k}" for k, v in tally.items()))
