"""The glossary: terms that must stay as they are, and preferred translations.

Project-wide do-not-translate terms live in ``i18n-pipeline.yaml``
(``glossary.do_not_translate``); per-locale files ``glossary/<locale>.yaml``
add their own ``do_not_translate`` list and ``terms`` (source term ->
preferred translation). Drafting protects the do-not-translate terms from the
machine; ``check`` verifies both.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from i18n_pipeline.config import Config, config_path
from i18n_pipeline.errors import PipelineError


@dataclass(frozen=True)
class Glossary:
    do_not_translate: tuple[str, ...] = ()
    #: Source-language term -> preferred translation in the target locale.
    terms: dict[str, str] = field(default_factory=dict)


def glossary_settings(config: Config) -> list[str]:
    """The ``glossary:`` section of the config, validated: its do-not-translate terms."""
    section = config.section("glossary")
    shown_config = config_path(config)
    line = config.line_of("glossary")
    unknown = set(section) - {"dir", "do_not_translate"}
    if unknown:
        raise PipelineError(f"unknown key '{sorted(unknown)[0]}' in 'glossary' (expected dir, do_not_translate)", shown_config, line)
    keep = section.get("do_not_translate") or []
    if not isinstance(keep, list) or not all(isinstance(t, str) and t.strip() for t in keep):
        raise PipelineError("'glossary.do_not_translate' must be a list of terms", shown_config, line)
    if "dir" in section and (not isinstance(section["dir"], str) or not section["dir"].strip()):
        raise PipelineError("'glossary.dir' must be a folder name", shown_config, line)
    return keep


def load_glossary(config: Config, locale: str) -> Glossary:
    """The glossary for translating into ``locale`` (project terms + the locale's file)."""
    from i18n_pipeline.sources import yamlio

    keep = glossary_settings(config)
    terms: dict[str, str] = {}
    path = config.root / str(config.section("glossary").get("dir", "glossary")) / f"{locale}.yaml"
    if path.is_file():
        shown = config.relative(path)
        node = yamlio.compose(yamlio.read_text(path, shown), shown)
        if node is not None and not yamlio.is_null(node):
            entries = yamlio.mapping_items(node, shown, "the glossary", ("do_not_translate", "terms"))
            yamlio.refuse_duplicate_keys(node, shown, "the glossary")
            data = {k: yamlio.plain(v) for k, (_, v) in entries.items()}
            extra = data.get("do_not_translate") or []
            if not isinstance(extra, list) or not all(isinstance(t, str) and t.strip() for t in extra):
                raise PipelineError("'do_not_translate' must be a list of terms", shown, yamlio.line_of(entries["do_not_translate"][1]))
            keep = [*keep, *extra]
            raw_terms = data.get("terms") or {}
            if not isinstance(raw_terms, dict) or not all(isinstance(k, str) and isinstance(v, str) for k, v in raw_terms.items()):
                raise PipelineError("'terms' must map source terms to their preferred translation", shown, yamlio.line_of(entries["terms"][1]))
            terms = dict(raw_terms)
    return Glossary(do_not_translate=tuple(dict.fromkeys(t.strip() for t in keep)), terms=terms)
