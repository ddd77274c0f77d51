"""Where drafts come from: the translation memory, or a machine-translation service.

Machine translation goes through deep-translator, which sets no timeout,
retries nothing and translates a batch one text after another. This module
wraps it so drafting a page is fast and survives a flaky service:

- a request timeout (deep-translator calls ``requests`` without one; see
  :func:`_install_request_hook`),
- several requests in flight at once (a thread pool, one translator object
  per thread because some deep-translator classes keep per-call state),
- retries with exponential back-off and jitter on 429, 5xx, timeouts,
  connection errors and garbled answers, honouring ``Retry-After``,
- an immediate stop on authentication errors, with a message that names the
  environment variable and never the key,
- a cache keyed by (provider, source locale, target locale, text) under
  ``.i18n-pipeline-cache/`` so a rerun sends nothing for text already drafted.

Settings come from the ``draft:`` section of ``i18n-pipeline.yaml``; API keys
come only from environment variables.
"""

from __future__ import annotations

import functools
import json
import os
import random
import threading
from collections.abc import Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from i18n_pipeline.config import Config
from i18n_pipeline.errors import PipelineError
from i18n_pipeline.fileio import atomic_write

from i18n_pipeline.choices import MACHINE_PROVIDERS, MEMORY, OPENAI_COMPATIBLE, PROVIDERS  # noqa: F401  (one list, shared with the CLI)
#: deep-translator's own environment variables, used when ``draft.api_key_env`` is not set.
DEFAULT_KEY_ENV = {"libre": "LIBRE_API_KEY", "deepl": "DEEPL_API_KEY", "microsoft": "MICROSOFT_API_KEY"}
NEEDS_KEY = ("deepl", "microsoft")
CACHE_DIR = ".i18n-pipeline-cache"

_KEYS = {
    "provider": " | ".join(PROVIDERS),
    "url": "the LibreTranslate server, e.g. http://localhost:5000/, or an OpenAI-compatible API, e.g. http://localhost:11434/v1",
    "threshold": "memory match score 0-100",
    "api_key_env": "name of the environment variable holding the API key",
    "timeout": "seconds per request",
    "concurrency": "requests in flight at once",
    "retries": "retries per text on 429/5xx/connection errors",
    "backoff": "first retry delay in seconds (doubles each time)",
    "batch_size": "drafts saved per write",
    "region": "Microsoft Translator region",
    "free_api": "DeepL free API (true) or pro (false)",
    "email": "MyMemory contact address (raises its daily quota)",
    "cache": "keep machine translations in .i18n-pipeline-cache/",
    "model": "openai-compatible: the model name the server knows, e.g. llama3.1",
    "stream": "openai-compatible: ask for a streamed answer (true/false)",
}


@dataclass(frozen=True)
class DraftSettings:
    """The validated ``draft:`` section, with command-line overrides applied."""

    provider: str = MEMORY
    url: str | None = None
    threshold: float = 90.0
    api_key_env: str | None = None
    timeout: float = 10.0
    concurrency: int = 8
    retries: int = 4
    backoff: float = 0.5
    batch_size: int = 20
    region: str | None = None
    free_api: bool = True
    email: str | None = None
    cache: bool = True
    model: str | None = None
    stream: bool = False
    #: True when the config itself names a provider (``build`` drafts only then).
    configured: bool = False

    @property
    def is_machine(self) -> bool:
        return self.provider != MEMORY

    @property
    def key_env(self) -> str | None:
        return self.api_key_env or DEFAULT_KEY_ENV.get(self.provider)


def _number(value: object, name: str, where: str, line: int | None, low: float, high: float, integer: bool = False) -> Any:
    ok = isinstance(value, (int, float)) and not isinstance(value, bool) and low <= value <= high
    if integer:
        ok = ok and isinstance(value, int)
    if not ok:
        kind = "an integer" if integer else "a number"
        raise PipelineError(f"'draft.{name}' must be {kind} from {low:g} to {high:g}, not {value!r}", where, line)
    return value


def load_settings(config: Config, *, provider: str | None = None, url: str | None = None, model: str | None = None) -> DraftSettings:
    """Validate ``draft:`` from the config; ``provider``/``url`` (command line) win."""
    where = str(config.root / "i18n-pipeline.yaml")
    line = (config.sections.get("_lines") or {}).get("draft")
    section = config.section("draft")
    if "api_key" in section or "key" in section:
        raise PipelineError(
            "API keys never go in the config file: remove 'draft.api_key' and name the environment variable "
            "that holds the key in 'draft.api_key_env'",
            where,
            line,
        )
    unknown = sorted(set(section) - set(_KEYS))
    if unknown:
        from i18n_pipeline.sources.yamlio import suggest

        raise PipelineError(f"unknown key 'draft.{unknown[0]}'{suggest(unknown[0], list(_KEYS))} (known: {', '.join(_KEYS)})", where, line)
    values: dict[str, Any] = {"threshold": config.memory_threshold}
    configured = section.get("provider") is not None
    chosen = provider if provider is not None else section.get("provider", MEMORY)
    if not isinstance(chosen, str) or chosen.lower() not in PROVIDERS:
        source = "--provider" if provider is not None else "'draft.provider'"
        raise PipelineError(f"{source}: unknown provider {chosen!r} (choose from {', '.join(PROVIDERS)})", None if provider is not None else where, None if provider is not None else line)
    values["provider"] = chosen.lower()
    for name in ("url", "api_key_env", "region", "email", "model"):
        if section.get(name) is not None:
            if not isinstance(section[name], str) or not section[name].strip():
                raise PipelineError(f"'draft.{name}' must be a non-empty text value ({_KEYS[name]})", where, line)
            values[name] = section[name].strip()
    if url is not None:
        values["url"] = url
    if model is not None:
        values["model"] = model
    if "threshold" in section:
        values["threshold"] = float(_number(section["threshold"], "threshold", where, line, 0, 100))
    if "timeout" in section:
        values["timeout"] = float(_number(section["timeout"], "timeout", where, line, 0.01, 600))
    if "backoff" in section:
        values["backoff"] = float(_number(section["backoff"], "backoff", where, line, 0, 60))
    for name, high in (("concurrency", 32), ("retries", 10), ("batch_size", 10_000)):
        if name in section:
            values[name] = _number(section[name], name, where, line, 0 if name == "retries" else 1, high, integer=True)
    for name in ("free_api", "cache", "stream"):
        if name in section:
            if not isinstance(section[name], bool):
                raise PipelineError(f"'draft.{name}' must be true or false", where, line)
            values[name] = section[name]
    if values.get("api_key_env") is not None and not values["api_key_env"].replace("_", "").isalnum():
        raise PipelineError(
            f"'draft.api_key_env' must be the *name* of an environment variable (like LIBRE_API_KEY), not {values['api_key_env'][:4]}...",
            where,
            line,
        )
    settings = DraftSettings(configured=configured, **values)
    if settings.provider == "libre":
        if not settings.url:
            raise PipelineError(
                "the libre provider needs the address of a LibreTranslate server: pass --url or set 'draft.url'", where, line
            )
        settings = replace(settings, url=normalize_url(settings.url, where, line if url is None else None))
    if settings.provider == OPENAI_COMPATIBLE:
        from i18n_pipeline.translate.llm import check_settings

        check_settings(settings, where, line)
    return settings


def normalize_url(url: str, where: str | None = None, line: int | None = None) -> str:
    """deep-translator appends ``translate`` to the URL, so it must end with a slash."""
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise PipelineError(f"not an http(s) address for a LibreTranslate server: {url!r}", where, line)
    return url if url.endswith("/") else url + "/"


def api_key(settings: DraftSettings) -> str | None:
    """The key from the environment; an error names the variable, never a value."""
    env = settings.key_env
    value = os.environ.get(env, "").strip() if env else ""
    if value:
        return value
    if settings.provider in NEEDS_KEY or (settings.api_key_env and settings.provider != "google"):
        raise PipelineError(
            f"the {settings.provider} provider needs an API key: set the environment variable {env} "
            "(or name another variable in 'draft.api_key_env'); keys are never read from files"
        )
    return None


# ---------------------------------------------------------------------------
# The memory provider


@dataclass(frozen=True)
class Suggestion:
    translation: str
    score: float


class MemoryProvider:
    """Exact and fuzzy matches from every final translation in the project."""

    name = MEMORY

    def __init__(self, catalogs: Iterable[tuple[Any, str, str]], threshold: float) -> None:
        self._catalogs = list(catalogs)
        self.threshold = threshold
        self._memories: dict[tuple[str, str], Any] = {}

    def suggest(self, text: str, source: str, target: str) -> Suggestion | None:
        from i18n_pipeline.translate.memory import TranslationMemory

        pair = (source, target)
        if pair not in self._memories:
            self._memories[pair] = TranslationMemory.from_catalogs(self._catalogs, source, target)
        match = self._memories[pair].lookup(text, self.threshold)
        if match is None or match.translation == "":
            return None
        return Suggestion(match.translation, match.score)


# ---------------------------------------------------------------------------
# The cache


class DraftCache:
    """Machine translations already received, per (provider, source, target).

    Keyed by the exact text sent (after protection). One JSON file per
    language pair under ``.i18n-pipeline-cache/drafts/<provider>/``, written
    atomically; a damaged cache file is ignored (it only costs requests).
    """

    def __init__(self, root: Path, provider: str, source: str, target: str) -> None:
        self.path = Path(root) / CACHE_DIR / "drafts" / provider / f"{source}-{target}.json"
        self.key = {"provider": provider, "source": source, "target": target}
        self.entries: dict[str, str] = {}
        self.damaged = False
        self._dirty = False
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return
        except (OSError, ValueError):
            self.damaged = True
            return
        entries = data.get("entries") if isinstance(data, dict) else None
        if isinstance(entries, dict) and all(isinstance(k, str) and isinstance(v, str) for k, v in entries.items()):
            if {k: data.get(k) for k in self.key} == self.key:
                self.entries = dict(entries)
        else:
            self.damaged = True

    def get(self, text: str) -> str | None:
        return self.entries.get(text)

    def put(self, text: str, translation: str) -> None:
        if self.entries.get(text) != translation:
            self.entries[text] = translation
            self._dirty = True

    def flush(self) -> None:
        if not self._dirty:
            return
        data = {**self.key, "version": 1, "entries": dict(sorted(self.entries.items()))}
        atomic_write(self.path, json.dumps(data, ensure_ascii=False, indent=1) + "\n")
        self._dirty = False


# ---------------------------------------------------------------------------
# Machine translation


class ProviderError(PipelineError):
    """The service cannot be used right now (bad key, wrong address, down)."""


@dataclass(frozen=True)
class Outcome:
    """The answer for one text: a translation, or why there is none."""

    text: str
    translation: str | None = None
    error: str | None = None
    from_cache: bool = False


@dataclass
class MachineStats:
    requests: int = 0
    retries: int = 0
    cached: int = 0
    failed: int = 0
    errors: list[str] = field(default_factory=list)


_local = threading.local()
_hook_lock = threading.Lock()
_hook_installed = False


def _install_request_hook() -> None:
    """Give deep-translator's ``requests`` calls a timeout, and see their status codes.

    deep-translator calls ``requests.get/post`` without ``timeout=`` (a hung
    server hangs the run forever) and turns every HTTP status into a few
    exception types that lose the code (ServerException keeps only a text
    such as "ERR_INTERNAL_SERVER_ERROR", and maps 404 to a quota message).
    ``requests.get/post`` go through ``Session.request``; wrapping it once,
    and acting only in threads that set ``_local.timeout`` (our workers),
    adds the timeout and records the status and ``Retry-After`` of each
    answer without changing anything for other callers.
    """
    global _hook_installed
    with _hook_lock:
        if _hook_installed:
            return
        import requests.sessions

        original = requests.sessions.Session.request

        @functools.wraps(original)
        def request(self: Any, method: str, url: str, *args: Any, **kwargs: Any) -> Any:
            timeout = getattr(_local, "timeout", None)
            if timeout is None:
                return original(self, method, url, *args, **kwargs)
            if kwargs.get("timeout") is None and len(args) < 7:
                kwargs["timeout"] = timeout
            _local.requests = getattr(_local, "requests", 0) + 1
            response = original(self, method, url, *args, **kwargs)
            _local.status = response.status_code
            _local.retry_after = response.headers.get("Retry-After")
            return response

        requests.sessions.Session.request = request  # type: ignore[method-assign]
        _hook_installed = True


def provider_language(provider: str, locale: str) -> str:
    """Our locale (``es``, ``pt_BR``) as the code deep-translator's provider expects."""
    from deep_translator import constants

    lang, _, region = locale.partition("_")
    tables = {
        "libre": getattr(constants, "LIBRE_LANGUAGES_TO_CODES", {}),
        "google": getattr(constants, "GOOGLE_LANGUAGES_TO_CODES", {}),
        "mymemory": getattr(constants, "MY_MEMORY_LANGUAGES_TO_CODES", {}),
        "deepl": getattr(constants, "DEEPL_LANGUAGE_TO_CODE", {}),
    }
    table = tables.get(provider)
    if not table:
        return locale.replace("_", "-").lower() if region else lang
    codes = list(table.values())
    for candidate in (f"{lang}-{region}" if region else None, f"{lang}-{region.lower()}" if region else None, lang, lang.upper()):
        if candidate and candidate in codes:
            return candidate
    try:
        from babel import Locale

        name = (Locale.parse(lang).english_name or "").lower()
    except (ValueError, TypeError):
        name = ""
    if name in table:
        return table[name]
    prefixed = [c for c in codes if c.lower().startswith(lang + "-")]
    if prefixed:
        return prefixed[0]
    raise PipelineError(f"the {provider} provider does not support the language '{locale}'")


def _translator_class(provider: str) -> Any:
    import deep_translator

    if provider == OPENAI_COMPATIBLE:
        from i18n_pipeline.translate.llm import ChatTranslator

        return ChatTranslator
    return {
        "libre": deep_translator.LibreTranslator,
        "google": deep_translator.GoogleTranslator,
        "mymemory": deep_translator.MyMemoryTranslator,
        "deepl": deep_translator.DeeplTranslator,
        "microsoft": deep_translator.MicrosoftTranslator,
    }[provider]


_AUTH, _FATAL, _RETRY, _SKIP = "auth", "fatal", "retry", "skip"


class MachineTranslator:
    """Translate many texts through one deep-translator provider, concurrently and politely."""

    def __init__(self, settings: DraftSettings, source: str, target: str, cache: DraftCache | None = None) -> None:
        from deep_translator import exceptions as dt_errors

        self.settings = settings
        self.name = settings.provider
        self.source = source
        self.target = target
        self.cache = cache
        self.stats = MachineStats()
        self._key = api_key(settings)
        self._kwargs = self._translator_kwargs()
        self._threads = threading.local()
        self._stop = threading.Event()
        self._count_lock = threading.Lock()
        try:
            self._make()
        except (dt_errors.LanguageNotSupportedException, dt_errors.InvalidSourceOrTargetLanguage) as exc:
            raise PipelineError(f"the {self.name} provider does not support {source} -> {target}: {exc.val!r}") from None
        except dt_errors.ApiKeyException:
            raise PipelineError(f"the {self.name} provider needs an API key: set the environment variable {settings.key_env}") from None
        _install_request_hook()

    def _translator_kwargs(self) -> dict[str, Any]:
        s = self.settings
        kwargs: dict[str, Any] = {
            "source": provider_language(self.name, self.source),
            "target": provider_language(self.name, self.target),
        }
        if self.name == "libre":
            # deep-translator refuses to run without a key even when a self-hosted server needs none.
            kwargs.update(api_key=self._key or "none", custom_url=s.url)
        elif self.name == "deepl":
            kwargs.update(api_key=self._key, use_free_api=s.free_api)
        elif self.name == "microsoft":
            kwargs.update(api_key=self._key)
            if s.region:
                kwargs["region"] = s.region
        elif self.name == "mymemory" and s.email:
            kwargs["email"] = s.email
        elif self.name == OPENAI_COMPATIBLE:
            kwargs.update(source=self.source, target=self.target, url=s.url, model=s.model, api_key=self._key,
                          timeout=s.timeout, stream=s.stream, key_env=s.key_env)
        return kwargs

    def _make(self) -> Any:
        return _translator_class(self.name)(**self._kwargs)

    def _translator(self) -> Any:
        translator = getattr(self._threads, "translator", None)
        if translator is None:
            translator = self._threads.translator = self._make()
        return translator

    def _scrub(self, text: str) -> str:
        return text.replace(self._key, "***") if self._key else text

    def _classify(self, exc: BaseException, status: int | None) -> tuple[str, str]:
        """What to do about a failed call, and how to describe it (never with the key)."""
        import requests
        from deep_translator import exceptions as dt_errors

        where = f" at {self.settings.url}" if self.settings.url else ""
        env = self.settings.key_env
        key_hint = f"check the key in the environment variable {env}" if env else "this provider refuses anonymous use"
        if isinstance(exc, (dt_errors.AuthorizationException, dt_errors.ApiKeyException)) or status in (401, 402, 403):
            return _AUTH, f"{self.name}{where} refused the request (HTTP {status or 403}, authentication): {key_hint}"
        if isinstance(exc, requests.Timeout):
            return _RETRY, f"no answer within {self.settings.timeout:g} s"
        if isinstance(exc, requests.ConnectionError) or (isinstance(exc, AttributeError) and status is None):
            return _RETRY, f"cannot connect to {self.name}{where}"
        if isinstance(exc, dt_errors.TooManyRequests) or status == 429:
            return _RETRY, "HTTP 429 (too many requests)"
        if status is not None and status >= 500:
            return _RETRY, f"HTTP {status} (server error)"
        if status == 404:
            return _FATAL, f"{self.name}{where} answered HTTP 404 (not found): check the address"
        if status is not None and status >= 400:
            return _SKIP, f"HTTP {status} ({self._scrub(str(exc)) or type(exc).__name__})"
        if isinstance(exc, dt_errors.TranslationNotFound):
            return _SKIP, "the service returned no translation"
        if isinstance(exc, (ValueError, KeyError, TypeError, IndexError, dt_errors.ServerException, dt_errors.RequestError)):
            return _RETRY, f"malformed answer from {self.name} ({type(exc).__name__})"
        if isinstance(exc, dt_errors.NotValidLength):
            return _SKIP, "text too long for this provider"
        return _SKIP, self._scrub(str(exc)) or type(exc).__name__

    def _delay(self, attempt: int) -> float:
        base = min(30.0, self.settings.backoff * (2**attempt))
        delay = base * (0.5 + random.random() / 2)
        retry_after = getattr(_local, "retry_after", None)
        if retry_after:
            try:
                delay = max(delay, min(30.0, float(retry_after)))
            except ValueError:
                pass
        return delay

    def _translate_one(self, text: str) -> Outcome:
        """Runs in a worker thread: one text, with retries."""
        import requests
        from deep_translator import exceptions as dt_errors

        _local.timeout = self.settings.timeout
        translator = self._translator()
        last = ""
        for attempt in range(self.settings.retries + 1):
            if self._stop.is_set():
                return Outcome(text, error="cancelled")
            _local.status = None
            _local.retry_after = None
            _local.requests = 0
            try:
                try:
                    result = translator.translate(text)
                finally:
                    with self._count_lock:
                        self.stats.requests += _local.requests
                if not isinstance(result, str):
                    raise TypeError(f"expected text, got {type(result).__name__}")
                return Outcome(text, translation=result)
            except (
                requests.RequestException,
                dt_errors.BaseError,
                dt_errors.ServerException,
                dt_errors.AuthorizationException,
                dt_errors.TooManyRequests,
                dt_errors.RequestError,
                dt_errors.MicrosoftAPIerror,
                ValueError,
                KeyError,
                TypeError,
                IndexError,
                AttributeError,
            ) as exc:
                kind, last = self._classify(exc, getattr(_local, "status", None))
                if kind in (_AUTH, _FATAL):
                    self._stop.set()  # queued texts must not hit a server that refused us
                    raise ProviderError(last) from None
                if kind == _SKIP:
                    return Outcome(text, error=last)
                if attempt < self.settings.retries:
                    with self._count_lock:
                        self.stats.retries += 1
                    if self._stop.wait(self._delay(attempt)):
                        return Outcome(text, error="cancelled")
        return Outcome(text, error=f"gave up after {self.settings.retries + 1} attempts: {last}")

    def translate(self, texts: Iterable[str], *, give_up_after: int = 3) -> Iterator[Outcome]:
        """Yield one outcome per distinct text, as they arrive (cache hits first).

        Stops at once (raising :class:`ProviderError`) on authentication
        errors, a wrong address, or ``give_up_after`` texts in a row failing
        even after retries: the service is down, and the caller saves what it
        has. Closing the iterator early cancels what has not started.
        """
        pending: list[str] = []
        for text in dict.fromkeys(texts):
            cached = self.cache.get(text) if self.cache is not None else None
            if cached is not None:
                self.stats.cached += 1
                yield Outcome(text, translation=cached, from_cache=True)
            else:
                pending.append(text)
        if not pending:
            return
        self._stop.clear()
        executor = ThreadPoolExecutor(max_workers=min(self.settings.concurrency, len(pending)), thread_name_prefix=f"draft-{self.name}")
        in_flight: set[Future[Outcome]] = set()
        queue = iter(pending)
        failures_in_a_row = 0
        try:
            for text in queue:
                in_flight.add(executor.submit(self._translate_one, text))
                if len(in_flight) >= self.settings.concurrency * 2:
                    break
            while in_flight:
                done, in_flight = wait(in_flight, return_when=FIRST_COMPLETED)
                for future in done:
                    outcome = future.result()
                    if outcome.translation is not None:
                        failures_in_a_row = 0
                        if self.cache is not None:
                            self.cache.put(outcome.text, outcome.translation)
                    else:
                        self.stats.failed += 1
                        self.stats.errors.append(outcome.error or "")
                        if (outcome.error or "").startswith("gave up"):
                            failures_in_a_row += 1
                            if failures_in_a_row >= give_up_after:
                                raise ProviderError(
                                    f"{self.name}: {failures_in_a_row} texts in a row failed; last: {outcome.error}"
                                )
                    yield outcome
                    next_text = next(queue, None)
                    if next_text is not None:
                        in_flight.add(executor.submit(self._translate_one, next_text))
        finally:
            self._stop.set()
            executor.shutdown(wait=True, cancel_futures=True)


def make_cache(config: Config, settings: DraftSettings, source: str, target: str) -> DraftCache | None:
    return DraftCache(config.root, settings.provider, source, target) if settings.cache else None

