"""Draft settings, and where machine drafts come from: a translation service or a language model (:mod:`llm`).

Each service is reached through a ``requests.Session`` this module owns;
deep-translator supplies only the language-code tables, because its HTTP
calls set no timeout, cannot take a key anywhere but the URL, and hide the
status code, so it cannot give what drafting needs:

- a total deadline per request (``draft.timeout``), however slowly a server
  trickles its answer (see :class:`_Http`),
- several requests in flight at once (a thread pool),
- retries with exponential back-off and jitter on 429, 5xx, timeouts,
  connection errors and garbled answers, honouring ``Retry-After``,
- an immediate stop on authentication errors, with a message that names the
  environment variable and never the key; keys travel in the POST body or a
  header, never in a URL that a server's access log keeps,
- answers holding control characters dropped (a catalog cannot hold them),
- a cache keyed by (provider, source locale, target locale, text) under
  ``.i18n-pipeline-cache/`` so a rerun sends nothing for text already drafted.

Settings come from the ``draft:`` section of ``i18n-pipeline.yaml``; API keys
come only from environment variables.
"""

from __future__ import annotations

import json
import os
import random
import re
import threading
from collections.abc import Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, ThreadPoolExecutor, wait
from contextlib import suppress
from dataclasses import dataclass, field, fields, replace
from itertools import islice
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from i18n_pipeline.choices import MEMORY, OPENAI_COMPATIBLE, PROVIDERS
from i18n_pipeline.config import CACHE_DIR, Config, config_path
from i18n_pipeline.errors import PipelineError
from i18n_pipeline.fileio import atomic_write

#: deep-translator's own environment variables, used when ``draft.api_key_env`` is not set.
DEFAULT_KEY_ENV = {"libre": "LIBRE_API_KEY", "deepl": "DEEPL_API_KEY", "microsoft": "MICROSOFT_API_KEY"}
NEEDS_KEY = ("deepl", "microsoft")

#: Text keys, with what each names (said when a value is not text).
_TEXTS = {
    "url": "the LibreTranslate server, e.g. http://localhost:5000/; an OpenAI-compatible API, e.g. http://localhost:11434/v1; other providers: an endpoint replacing the public one",
    "api_key_env": "name of the environment variable holding the API key",
    "region": "Microsoft Translator region",
    "email": "MyMemory contact address (raises its daily quota)",
    "model": "openai-compatible: the model name the server knows, e.g. llama3.1",
}
#: Numeric keys: (lowest, highest, type).
_NUMBERS: dict[str, tuple[float, float, type[float]]] = {
    "threshold": (0, 100, float),
    "timeout": (0.01, 600, float),
    "backoff": (0, 60, float),
    "concurrency": (1, 32, int),
    "retries": (0, 10, int),
    "batch_size": (1, 10_000, int),
}
#: Providers that need a server's address: what the server is, and an example for ``--url``.
_SERVERS = {"libre": ("a LibreTranslate server", "http://localhost:5000/"),
            OPENAI_COMPATIBLE: ("an OpenAI-compatible server", "http://localhost:11434/v1 for Ollama")}


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
    def key_env(self) -> str | None:
        return self.api_key_env or DEFAULT_KEY_ENV.get(self.provider)


#: The keys of ``draft:``, in the order the error for an unknown one lists them.
_KEYS = [f.name for f in fields(DraftSettings) if f.name != "configured"]


def load_settings(config: Config, *, provider: str | None = None, url: str | None = None, model: str | None = None) -> DraftSettings:
    """Validate ``draft:`` from the config; ``provider``/``url`` (command line) win."""
    where = config_path(config)
    line = config.line_of("draft")
    section = config.section("draft")
    if "api_key" in section or "key" in section:
        raise PipelineError("API keys never go in the config file: remove 'draft.api_key' and name the environment variable that holds the key in 'draft.api_key_env'", where, line)
    if unknown := sorted(set(section) - set(_KEYS)):
        from i18n_pipeline.sources.yamlio import suggest

        raise PipelineError(f"unknown key 'draft.{unknown[0]}'{suggest(unknown[0], _KEYS)} (known: {', '.join(_KEYS)})", where, line)
    values: dict[str, Any] = {"threshold": config.memory_threshold}
    configured = section.get("provider") is not None
    chosen = provider if provider is not None else section.get("provider", MEMORY)
    if not isinstance(chosen, str) or chosen.lower() not in PROVIDERS:
        source = "--provider" if provider is not None else "'draft.provider'"
        raise PipelineError(f"{source}: unknown provider {chosen!r} (choose from {', '.join(PROVIDERS)})", None if provider is not None else where, None if provider is not None else line)
    values["provider"] = chosen.lower()
    for name, what in _TEXTS.items():
        if section.get(name) is not None:
            if not isinstance(section[name], str) or not section[name].strip():
                raise PipelineError(f"'draft.{name}' must be a non-empty text value ({what})", where, line)
            values[name] = section[name].strip()
    values.update({name: given for name, given in (("url", url), ("model", model)) if given is not None})
    for name, (low, high, kind) in _NUMBERS.items():
        if name not in section:
            continue
        value = section[name]
        if isinstance(value, bool) or not isinstance(value, (int, kind)) or not low <= value <= high:
            article = "an integer" if kind is int else "a number"
            raise PipelineError(f"'draft.{name}' must be {article} from {low:g} to {high:g}, not {value!r}", where, line)
        values[name] = kind(value)
    for name in ("free_api", "cache", "stream"):
        if name in section:
            if not isinstance(section[name], bool):
                raise PipelineError(f"'draft.{name}' must be true or false", where, line)
            values[name] = section[name]
    if values.get("api_key_env") is not None and not values["api_key_env"].replace("_", "").isalnum():
        raise PipelineError(f"'draft.api_key_env' must be the *name* of an environment variable (like LIBRE_API_KEY), not {values['api_key_env'][:4]}...", where, line)
    settings = DraftSettings(configured=configured, **values)
    if settings.provider in _SERVERS:
        server, example = _SERVERS[settings.provider]
        if not settings.url:
            raise PipelineError(f"the {settings.provider} provider needs the address of {server}: pass --url (e.g. {example}) or set 'draft.url'", where, line)
        parts = urlsplit(settings.url)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise PipelineError(f"not an http(s) address for {server}: {settings.url!r}", where, line if url is None else None)
        if parts.username or parts.password:  # error messages show the address
            raise PipelineError("the server address must not hold a user or key; name the key's environment variable in 'draft.api_key_env'", where, line if url is None else None)
        if settings.provider == "libre" and not settings.url.endswith("/"):  # requests go to <url>translate
            settings = replace(settings, url=settings.url + "/")
    if settings.provider == OPENAI_COMPATIBLE:
        if not settings.model:
            raise PipelineError("the openai-compatible provider needs a model name: pass --model NAME or set 'draft.model'", where, line)
        if any(ch in settings.model for ch in ";=\n\r"):
            raise PipelineError(f"model name {settings.model!r} must not contain ';', '=' or line breaks (it is recorded in each draft)", where, line)
    return settings


def validate_section(config: Config) -> None:
    """The ``draft:`` section at config load; the server address and model may still come from ``--url``/``--model``."""
    section = config.section("draft")
    load_settings(config, url=None if section.get("url") is not None else "http://127.0.0.1/",
                  model=None if section.get("model") is not None else "model-from-the-command-line")


def api_key(settings: DraftSettings) -> str | None:
    """The key from the environment; an error names the variable, never a value."""
    env = settings.key_env
    value = os.environ.get(env, "").strip() if env else ""
    if value:
        return value
    if settings.provider in NEEDS_KEY or (settings.api_key_env and settings.provider != "google"):
        raise PipelineError(f"the {settings.provider} provider needs an API key: set the environment variable {env} (or name another variable in 'draft.api_key_env'); keys are never read from files")
    return None


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
            data = None
        entries = data.get("entries") if isinstance(data, dict) else None
        if not isinstance(entries, dict) or not all(isinstance(k, str) and isinstance(v, str) for k, v in entries.items()):
            self.damaged = True
        elif all(data.get(k) == v for k, v in self.key.items()):  # a file of another provider or pair is not used
            self.entries = dict(entries)

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
    errors: list[str] = field(default_factory=list)


class NoTranslation(Exception):
    """The service answered, but with no usable translation."""


class Malformed(Exception):
    """An answer that cannot be read (worth a retry: often a proxy's error page)."""


class _Http:
    """A ``requests.Session`` of our own (one per worker thread) with a total deadline per request.

    ``requests``' timeout bounds each socket read, so a server sending one
    byte a second never trips it. Each request runs in a daemon thread and
    the caller waits at most ``timeout`` seconds for the whole answer; a late
    one is closed and abandoned (a daemon thread never delays the exit).
    """

    def __init__(self, timeout: float) -> None:
        self.timeout = timeout
        self._threads = threading.local()

    def request(self, method: str, url: str, **kwargs: Any) -> Any:
        """The whole answer within the deadline (else ``requests.Timeout``); ``requests.HTTPError`` for an error status.

        Like ``requests`` itself, it leaves out parameters, form fields and headers whose value is None.
        """
        import requests

        if getattr(self._threads, "session", None) is None:
            self._threads.session = requests.Session()
        session = self._threads.session
        box: dict[str, Any] = {}
        done = threading.Event()

        def run() -> None:
            try:
                response = box["response"] = session.request(method, url, timeout=self.timeout, stream=True, **kwargs)
                response.content  # noqa: B018 - read the whole body here, under the deadline
            except BaseException as exc:  # handed to the caller's thread as it is
                box["error"] = exc
            finally:
                done.set()

        threading.Thread(target=run, daemon=True, name="draft-http").start()
        if not done.wait(self.timeout):
            _hang_up(box.get("response"))
            self._threads.session = None  # the abandoned request may still be using it
            raise requests.Timeout(f"no complete answer within {self.timeout:g} s")
        if "error" in box:
            raise box["error"]
        box["response"].raise_for_status()
        return box["response"]


def _hang_up(response: Any) -> None:
    """End a late answer's connection so its thread stops reading soon.

    ``response.close()`` would wait for the reading thread (the buffer's lock);
    shutting the socket down does not. Where urllib3 keeps no socket to reach,
    the daemon thread is simply left to finish.
    """
    import socket

    with suppress(OSError, AttributeError):  # AttributeError: no answer yet, or no socket to reach
        response.raw._connection.sock.shutdown(socket.SHUT_RDWR)


#: Characters a draft must not hold: msgfmt refuses U+0004, NUL cuts the compiled text, the rest is noise.
_CONTROL_RE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def _control_problem(translation: str) -> str | None:
    found = _CONTROL_RE.search(translation)
    return None if found is None else f"the answer holds the control character U+{ord(found.group()):04X}; draft dropped"


def _found(response: Any, *path: str | int) -> str:
    """The text at ``path`` (keys and indexes) in a JSON answer; :class:`Malformed` if it is not JSON, else :class:`NoTranslation` if no text is there."""
    try:
        value = response.json()
    except ValueError:
        raise Malformed("not JSON") from None
    try:
        for step in path:
            value = value[step]
    except (KeyError, IndexError, TypeError):
        raise NoTranslation() from None
    if not isinstance(value, str) or not value.strip():
        raise NoTranslation()
    return value


def _libre(http: _Http, settings: DraftSettings, key: str | None, source: str, target: str, text: str) -> str:
    """LibreTranslate: the key goes in the POST body, so it never reaches a server's access log."""
    data = {"q": text, "source": source, "target": target, "format": "text", "api_key": key}
    return _found(http.request("POST", f"{settings.url}translate", data=data), "translatedText")


def _google(http: _Http, settings: DraftSettings, key: str | None, source: str, target: str, text: str) -> str:
    """Google's public mobile page, as deep-translator reads it (no key)."""
    import html

    response = http.request("GET", settings.url or "https://translate.google.com/m", params={"sl": source, "tl": target, "q": text})
    found = re.search(r'<div class="result-container">(.*?)</div>', response.text, re.DOTALL)
    translation = html.unescape(re.sub(r"<[^>]+>", "", found.group(1))).strip() if found else ""
    if not translation:
        raise NoTranslation()
    return translation


def _mymemory(http: _Http, settings: DraftSettings, key: str | None, source: str, target: str, text: str) -> str:
    params = {"q": text, "langpair": f"{source}|{target}", "de": settings.email}
    return _found(http.request("GET", settings.url or "https://api.mymemory.translated.net/get", params=params), "responseData", "translatedText")


def _deepl(http: _Http, settings: DraftSettings, key: str | None, source: str, target: str, text: str) -> str:
    """DeepL: the key in the Authorization header, as DeepL asks (never in the URL)."""
    url = settings.url or f"https://{'api-free.deepl.com' if settings.free_api else 'api.deepl.com'}/v2/translate"
    data = {"text": text, "source_lang": source.upper(), "target_lang": target.upper()}
    return _found(http.request("POST", url, headers={"Authorization": f"DeepL-Auth-Key {key}"}, data=data), "translations", 0, "text")


def _microsoft(http: _Http, settings: DraftSettings, key: str | None, source: str, target: str, text: str) -> str:
    url = settings.url or "https://api.cognitive.microsofttranslator.com/translate"
    headers = {"Ocp-Apim-Subscription-Key": key or "", "Ocp-Apim-Subscription-Region": settings.region}
    response = http.request("POST", url, params={"api-version": "3.0", "from": source, "to": target}, headers=headers, json=[{"text": text}])
    return _found(response, 0, "translations", 0, "text")


def _openai_compatible(http: _Http, settings: DraftSettings, key: str | None, source: str, target: str, text: str) -> str:
    """A chat-completions server (Ollama, llama.cpp, vLLM, LocalAI): see :mod:`llm`."""
    from i18n_pipeline.translate.llm import chat

    return chat(http, settings, key, source, target, text)


#: One function per service: (http, settings, key, source code, target code, text) -> translation.
#: ``draft.url`` replaces the public endpoint of the others (a proxy, or a test server).
_CLIENTS = {"libre": _libre, "google": _google, "mymemory": _mymemory, "deepl": _deepl, "microsoft": _microsoft,
            OPENAI_COMPATIBLE: _openai_compatible}
#: deep-translator's language-code table of each service (the others take our codes).
_CODE_TABLES = {"libre": "LIBRE_LANGUAGES_TO_CODES", "google": "GOOGLE_LANGUAGES_TO_CODES",
                "mymemory": "MY_MEMORY_LANGUAGES_TO_CODES", "deepl": "DEEPL_LANGUAGE_TO_CODE"}


def provider_language(provider: str, locale: str) -> str:
    """Our locale (``es``, ``pt_BR``) as the code deep-translator's provider expects."""
    from deep_translator import constants

    lang, _, region = locale.partition("_")
    table: dict[str, str] = getattr(constants, _CODE_TABLES.get(provider, ""), {})
    if not table:
        return locale.replace("_", "-").lower() if region else lang
    codes = list(table.values())
    with_region = [f"{lang}-{region}", f"{lang}-{region.lower()}"] if region else []
    for candidate in (*with_region, lang, lang.upper()):
        if candidate in codes:
            return candidate
    try:
        from babel import Locale

        name = (Locale.parse(lang).english_name or "").lower()
    except (ValueError, TypeError):
        name = ""
    found = table.get(name) or next((c for c in codes if c.lower().startswith(lang + "-")), None)
    if found:
        return found
    raise PipelineError(f"the {provider} provider does not support the language '{locale}'")


#: What to do about a failed call: stop drafting (the service refuses us), retry it, or skip that text.
_STOP, _RETRY, _SKIP = "stop", "retry", "skip"


class MachineTranslator:
    """Translate many texts through one service, concurrently and politely.

    Requests go through a ``requests.Session`` this class owns (:class:`_Http`):
    no global patching of ``requests``, a total deadline per request, and
    the HTTP status of every answer at hand for deciding what to do.
    """

    def __init__(self, settings: DraftSettings, source: str, target: str, cache: DraftCache | None = None) -> None:
        self.settings = settings
        self.name = settings.provider
        self.cache = cache
        self.stats = MachineStats()
        self._key = api_key(settings)
        self._client = _CLIENTS[self.name]
        self._codes = (provider_language(self.name, source), provider_language(self.name, target))
        self._http = _Http(settings.timeout)
        self._stop = threading.Event()
        self._count_lock = threading.Lock()

    def _classify(self, exc: BaseException) -> tuple[str, str, str | None]:
        """What to do about a failed call, how to describe it (never with the key), and any Retry-After."""
        import requests

        where = f" at {self.settings.url}" if self.settings.url else ""
        env = self.settings.key_env
        key_hint = f"check the key in the environment variable {env}" if env else "this provider refuses anonymous use"
        response = exc.response if isinstance(exc, requests.HTTPError) else None
        status = None if response is None else response.status_code
        retry_after = None if response is None else response.headers.get("Retry-After")
        if status in (401, 402, 403):
            return _STOP, f"{self.name}{where} refused the request (HTTP {status}, authentication): {key_hint}", None
        if isinstance(exc, requests.Timeout):
            return _RETRY, f"no complete answer within {self.settings.timeout:g} s", None
        if isinstance(exc, requests.ConnectionError):
            return _RETRY, f"cannot connect to {self.name}{where}", None
        if status == 429:
            return _RETRY, "HTTP 429 (too many requests)", retry_after
        if status is not None and status >= 500:
            return _RETRY, f"HTTP {status} (server error)", retry_after
        if status == 404:
            return _STOP, f"{self.name}{where} answered HTTP 404 (not found): check the address", None
        if status is not None:
            return _SKIP, f"HTTP {status}", None
        if isinstance(exc, NoTranslation):
            return _SKIP, str(exc) or "the service returned no translation", None
        if isinstance(exc, Malformed):
            return _RETRY, f"malformed answer from {self.name} ({exc})", None
        return _SKIP, (str(exc).replace(self._key, "***") if self._key else str(exc)) or type(exc).__name__, None

    def _delay(self, attempt: int, retry_after: str | None) -> float:
        base: float = min(30.0, self.settings.backoff * (2**attempt))
        delay = base * (0.5 + random.random() / 2)
        if retry_after:
            with suppress(ValueError):  # an HTTP date is not honoured
                delay = max(delay, min(30.0, float(retry_after)))
        return delay

    def _translate_one(self, text: str) -> Outcome:
        """Runs in a worker thread: one text, with retries."""
        import requests

        last = ""
        for attempt in range(self.settings.retries + 1):
            if self._stop.is_set():
                return Outcome(text, error="cancelled")
            try:
                with self._count_lock:
                    self.stats.requests += 1
                result = self._client(self._http, self.settings, self._key, *self._codes, text)
                problem = _control_problem(result)
                return Outcome(text, error=problem) if problem else Outcome(text, translation=result)
            except (requests.RequestException, NoTranslation, Malformed) as exc:
                kind, last, retry_after = self._classify(exc)
                if kind == _STOP:
                    self._stop.set()  # queued texts must not hit a server that refused us
                    raise ProviderError(last) from None
                if kind == _SKIP:
                    return Outcome(text, error=last)
                if attempt < self.settings.retries:
                    with self._count_lock:
                        self.stats.retries += 1
                    if self._stop.wait(self._delay(attempt, retry_after)):
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
            if cached is not None and _control_problem(cached) is None:
                yield Outcome(text, translation=cached, from_cache=True)
            else:
                pending.append(text)
        if not pending:
            return
        self._stop.clear()
        executor = ThreadPoolExecutor(max_workers=min(self.settings.concurrency, len(pending)), thread_name_prefix=f"draft-{self.name}")
        queue = iter(pending)
        failures_in_a_row = 0
        try:
            in_flight = {executor.submit(self._translate_one, text) for text in islice(queue, self.settings.concurrency * 2)}
            while in_flight:
                done, in_flight = wait(in_flight, return_when=FIRST_COMPLETED)
                for future in done:
                    outcome = future.result()
                    if outcome.translation is not None:
                        failures_in_a_row = 0
                        if self.cache is not None:
                            self.cache.put(outcome.text, outcome.translation)
                    else:
                        self.stats.errors.append(outcome.error or "")
                        if (outcome.error or "").startswith("gave up"):
                            failures_in_a_row += 1
                            if failures_in_a_row >= give_up_after:
                                raise ProviderError(f"{self.name}: {failures_in_a_row} texts in a row failed; last: {outcome.error}")
                    yield outcome
                    in_flight.update(executor.submit(self._translate_one, text) for text in islice(queue, 1))
        finally:
            self._stop.set()
            executor.shutdown(wait=True, cancel_futures=True)
