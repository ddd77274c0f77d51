"""i18n-pipeline: YAML sources -> gettext catalogs -> reviewed drafts -> rendered bilingual pages."""

__version__ = "0.1.0"
