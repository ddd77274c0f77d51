"""The deep-translator wrapper, driven for real against a local LibreTranslate-compatible server."""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from conftest import write
from libre_server import QuietHandler, libre_server, loopback, trickling_server

from i18n_pipeline.config import load_config
from i18n_pipeline.errors import PipelineError
from i18n_pipeline.translate.providers import (
    DraftCache,
    DraftSettings,
    MachineTranslator,
    ProviderError,
    load_settings,
    provider_language,
)


def fast(url: str, **overrides: object) -> DraftSettings:
    values: dict[str, object] = {"provider": "libre", "url": url, "timeout": 0.5, "backoff": 0.01, "retries": 3, "concurrency": 4}
    values.update(overrides)
    return DraftSettings(**values)  # type: ignore[arg-type]


def translations(translator: MachineTranslator, texts: list[str]) -> dict[str, str | None]:
    return {o.text: o.translation for o in translator.translate(texts)}


def test_translates_through_deep_translators_libre_translator() -> None:
    with libre_server() as server:
        result = translations(MachineTranslator(fast(server.url), "en", "es"), ["Hello", "Bye"])
    assert result == {"Hello": "es: Hello", "Bye": "es: Bye"}
    assert sorted(server.texts) == ["Bye", "Hello"]


@pytest.mark.parametrize("fault", ["429", "500", "503", "badjson"])
def test_transient_faults_are_retried_until_an_answer_comes(fault: str) -> None:
    with libre_server(script=[fault, fault]) as server:
        translator = MachineTranslator(fast(server.url, concurrency=1), "en", "es")
        assert translations(translator, ["Hello"]) == {"Hello": "es: Hello"}
    assert server.requests == 3
    assert translator.stats.retries == 2


def test_an_answer_without_translation_is_a_failure_for_that_text_only() -> None:
    with libre_server(per_text={"odd": "empty"}) as server:
        translator = MachineTranslator(fast(server.url), "en", "es")
        assert translations(translator, ["odd", "fine"]) == {"odd": None, "fine": "es: fine"}
    assert translator.stats.errors == ["the service returned no translation"]


def test_a_hang_past_the_timeout_is_cut_short_and_retried() -> None:
    with libre_server(script=["hang"], hang_seconds=5) as server:
        translator = MachineTranslator(fast(server.url, timeout=0.3, concurrency=1), "en", "es")
        started = time.monotonic()
        assert translations(translator, ["Hello"]) == {"Hello": "es: Hello"}
        assert time.monotonic() - started < 2
    assert server.requests == 2


def test_retry_after_header_is_honoured() -> None:
    with libre_server(script=["429"], retry_after="0.4") as server:
        started = time.monotonic()
        translations(MachineTranslator(fast(server.url, concurrency=1), "en", "es"), ["Hello"])
        assert time.monotonic() - started >= 0.4


def test_authentication_error_stops_at_once_without_showing_the_key(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LIBRE_API_KEY", "wrong-secret-key")
    with libre_server(api_key="right-key") as server:
        translator = MachineTranslator(fast(server.url, concurrency=1), "en", "es")
        with pytest.raises(ProviderError) as caught:
            list(translator.translate([f"text {i}" for i in range(20)]))
    message = caught.value.format_message()
    assert "LIBRE_API_KEY" in message and "authentication" in message
    assert "wrong-secret-key" not in message
    assert server.requests == 1


def test_key_from_the_environment_is_sent(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MY_LIBRE_KEY", "right-key")
    with libre_server(api_key="right-key") as server:
        translator = MachineTranslator(fast(server.url, api_key_env="MY_LIBRE_KEY"), "en", "es")
        assert translations(translator, ["Hi"]) == {"Hi": "es: Hi"}


def test_a_wrong_address_stops_at_once() -> None:
    with libre_server() as server:
        translator = MachineTranslator(fast(server.url + "nothing-here/", concurrency=1), "en", "es")
        with pytest.raises(ProviderError, match="404"):
            list(translator.translate(["a", "b", "c"]))
        assert server.requests == 0  # the server's 404 comes before counting /translate


def test_a_dead_server_gives_up_after_consecutive_failures() -> None:
    with libre_server() as server:
        url = server.url
    translator = MachineTranslator(fast(url, retries=1, concurrency=1), "en", "es")
    with pytest.raises(ProviderError, match="in a row failed"):
        list(translator.translate([f"t{i}" for i in range(10)]))


def test_one_bad_text_does_not_stop_the_others() -> None:
    with libre_server(per_text={"poison": "500"}) as server:
        translator = MachineTranslator(fast(server.url, retries=1), "en", "es")
        result = translations(translator, ["ok one", "poison", "ok two"])
    assert result == {"ok one": "es: ok one", "poison": None, "ok two": "es: ok two"}


def test_requests_run_concurrently() -> None:
    with libre_server(latency=0.1) as server:
        translator = MachineTranslator(fast(server.url, concurrency=8), "en", "es")
        started = time.monotonic()
        translations(translator, [f"text {i}" for i in range(32)])
        elapsed = time.monotonic() - started
    assert server.max_in_flight > 1
    assert elapsed < 32 * 0.1 / 2


def test_cache_means_a_rerun_sends_no_request(tmp_path: Path) -> None:
    with libre_server() as server:
        cache = DraftCache(tmp_path, "libre", "en", "es")
        list(MachineTranslator(fast(server.url), "en", "es", cache).translate(["a", "b"]))
        cache.flush()
        again = DraftCache(tmp_path, "libre", "en", "es")
        outcomes = list(MachineTranslator(fast(server.url), "en", "es", again).translate(["a", "b"]))
    assert server.requests == 2
    assert all(o.from_cache for o in outcomes)


def test_cache_is_keyed_by_provider_and_languages(tmp_path: Path) -> None:
    cache = DraftCache(tmp_path, "libre", "en", "es")
    cache.put("a", "A")
    cache.flush()
    assert DraftCache(tmp_path, "libre", "es", "en").get("a") is None
    assert DraftCache(tmp_path, "google", "en", "es").get("a") is None
    assert DraftCache(tmp_path, "libre", "en", "es").get("a") == "A"


def test_damaged_cache_is_ignored_not_fatal(tmp_path: Path) -> None:
    cache = DraftCache(tmp_path, "libre", "en", "es")
    write(cache.path, "{not json")
    reread = DraftCache(tmp_path, "libre", "en", "es")
    assert reread.damaged and reread.entries == {}


def test_provider_language_codes() -> None:
    assert provider_language("libre", "es") == "es"
    assert provider_language("mymemory", "es") == "es-ES"
    assert provider_language("google", "pt_BR") == "pt"


def _config(tmp_path: Path, draft: str) -> object:
    write(tmp_path / "i18n-pipeline.yaml", f"source_locale: en\nlocales: [en, es]\ndraft:\n{draft}")
    return load_config(tmp_path)


@pytest.mark.parametrize(
    "draft, message",
    [
        ("  provider: babelfish\n", "unknown provider"),
        ("  provider: libre\n", "needs the address"),
        ("  provider: libre\n  url: ftp://x\n", "not an http(s) address"),
        ("  provider: libre\n  url: http://me:secret@localhost:5000/\n", "must not hold a user or key"),
        ("  timeout: -1\n", "'draft.timeout' must be"),
        ("  concurrency: 2.5\n", "'draft.concurrency' must be an integer"),
        ("  api_key: abc\n", "never go in the config file"),
        ("  api_key_env: sk-12345 6789\n", "name* of an environment variable"),
        ("  treshold: 50\n", "unknown key 'draft.treshold'"),
    ],
)
def test_bad_draft_settings_name_the_config_file(tmp_path: Path, draft: str, message: str) -> None:
    with pytest.raises(PipelineError) as caught:  # at config load (issue 13), or at the latest when drafting
        load_settings(_config(tmp_path, draft))  # type: ignore[arg-type]
    assert message in caught.value.format_message()
    assert "i18n-pipeline.yaml" in caught.value.format_message()


@pytest.mark.parametrize(
    "draft, message",
    [
        ("  retries: 11\n", "'draft.retries' must be an integer from 0 to 10, not 11"),
        ("  batch_size: 0\n", "'draft.batch_size' must be an integer from 1 to 10000, not 0"),
        ("  timeout: true\n", "'draft.timeout' must be a number from 0.01 to 600, not True"),
        ("  threshold: '90'\n", "'draft.threshold' must be a number from 0 to 100, not '90'"),
    ],
)
def test_numeric_draft_settings_name_their_type_and_range(tmp_path: Path, draft: str, message: str) -> None:
    with pytest.raises(PipelineError) as caught:
        load_settings(_config(tmp_path, draft))  # type: ignore[arg-type]
    assert caught.value.reason == message


def test_numeric_draft_settings_keep_their_type(tmp_path: Path) -> None:
    settings = load_settings(_config(tmp_path, "  timeout: 3\n  concurrency: 2\n  backoff: 0\n"))  # type: ignore[arg-type]
    assert (settings.timeout, settings.concurrency, settings.backoff) == (3.0, 2, 0.0)
    assert isinstance(settings.timeout, float) and isinstance(settings.concurrency, int)


def test_settings_defaults_and_command_line_overrides(tmp_path: Path) -> None:
    config = _config(tmp_path, "  provider: memory\n  threshold: 75\n")
    settings = load_settings(config, provider="libre", url="http://localhost:5000")  # type: ignore[arg-type]
    assert settings.provider == "libre" and settings.url == "http://localhost:5000/"
    assert settings.threshold == 75 and settings.configured


def test_keyed_provider_without_key_says_which_variable(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("DEEPL_API_KEY", raising=False)
    config = _config(tmp_path, "  provider: deepl\n")
    with pytest.raises(PipelineError, match="DEEPL_API_KEY"):
        MachineTranslator(load_settings(config), "en", "es")  # type: ignore[arg-type]


# --- issue 13: key out of the URL, a total deadline, control characters -------


def test_libretranslate_key_travels_in_the_post_body_never_in_the_url(monkeypatch: pytest.MonkeyPatch) -> None:
    """Server access logs keep the request line; the key must not be in it."""
    monkeypatch.setenv("LIBRE_API_KEY", "sk-secret-0042")
    with libre_server(api_key="sk-secret-0042") as server:
        translator = MachineTranslator(fast(server.url), "en", "es")
        assert translations(translator, ["Hello", "Bye"]) == {"Hello": "es: Hello", "Bye": "es: Bye"}
    assert server.urls and all("sk-secret-0042" not in url and "api_key" not in url for url in server.urls)


def test_timeout_bounds_the_whole_request_not_each_byte() -> None:
    """A server that keeps sending one byte a second never trips a per-read timeout."""
    with trickling_server() as url:
        translator = MachineTranslator(fast(url, timeout=2, retries=0, concurrency=2), "en", "es")
        started = time.monotonic()
        result = translations(translator, ["Hello", "Bye"])
        elapsed = time.monotonic() - started
    assert result == {"Hello": None, "Bye": None}
    assert elapsed < 5, f"took {elapsed:.1f} s with timeout 2"
    assert translator.stats.errors == ["gave up after 1 attempts: no complete answer within 2 s"] * 2


@pytest.mark.parametrize("char", ["\x00", "\x04", "\x1b"])
def test_a_translation_with_a_control_character_is_dropped(char: str) -> None:
    with libre_server(translate=lambda text, source, target: f"es{char}: {text}" if "bad" in text else f"es: {text}") as server:
        translator = MachineTranslator(fast(server.url), "en", "es")
        assert translations(translator, ["bad one", "good one"]) == {"bad one": None, "good one": "es: good one"}
    assert translator.stats.errors == [f"the answer holds the control character U+{ord(char):04X}; draft dropped"]


def test_no_global_monkeypatching_of_requests() -> None:
    import requests.sessions

    with libre_server() as server:
        translations(MachineTranslator(fast(server.url), "en", "es"), ["Hello"])
    assert not hasattr(requests.sessions.Session.request, "__wrapped__")  # functools.wraps marks a wrapper
    assert requests.sessions.Session.request.__code__.co_filename.endswith("requests/sessions.py")


# --- the other services, against loopback servers speaking their protocol -----


@contextmanager
def service(answer: Callable[[str, str, dict[str, str], bytes], tuple[int, str, bytes]]) -> Iterator[tuple[str, list[tuple[str, str, dict[str, str], bytes]]]]:
    """A loopback HTTP server: ``answer(method, path, headers, body)`` -> (status, content type, body); requests kept."""
    seen: list[tuple[str, str, dict[str, str], bytes]] = []

    class Handler(QuietHandler):
        def _handle(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else b""
            request = (self.command, self.path, {k.lower(): v for k, v in self.headers.items()}, body)
            seen.append(request)
            status, kind, payload = answer(*request)
            self._send(status, payload, kind)

        do_GET = do_POST = _handle  # noqa: N815

    with loopback(Handler) as address:
        yield f"{address}/endpoint", seen


def _json_answer(data: object) -> Callable[..., tuple[int, str, bytes]]:
    return lambda *request: (200, "application/json", json.dumps(data).encode())


def test_deepl_gets_its_key_in_the_authorization_header(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DEEPL_API_KEY", "dl-secret-7")
    with service(_json_answer({"translations": [{"text": "Hola"}]})) as (url, seen):
        translator = MachineTranslator(fast(url, provider="deepl"), "en", "es")
        assert translations(translator, ["Hello"]) == {"Hello": "Hola"}
    method, path, headers, body = seen[0]
    assert method == "POST" and "dl-secret-7" not in path
    assert headers["authorization"] == "DeepL-Auth-Key dl-secret-7"
    assert parse_qs(body.decode()) == {"text": ["Hello"], "source_lang": ["EN"], "target_lang": ["ES"]}


def test_microsoft_gets_key_and_region_in_headers_and_the_text_as_json(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MICROSOFT_API_KEY", "ms-secret-8")
    with service(_json_answer([{"translations": [{"text": "Hola", "to": "es"}]}])) as (url, seen):
        translator = MachineTranslator(fast(url, provider="microsoft", region="westeurope"), "en", "es")
        assert translations(translator, ["Hello"]) == {"Hello": "Hola"}
    method, path, headers, body = seen[0]
    assert method == "POST" and "ms-secret-8" not in path
    assert parse_qs(urlsplit(path).query) == {"api-version": ["3.0"], "from": ["en"], "to": ["es"]}
    assert headers["ocp-apim-subscription-key"] == "ms-secret-8" and headers["ocp-apim-subscription-region"] == "westeurope"
    assert json.loads(body) == [{"text": "Hello"}]


def test_mymemory_asks_for_the_language_pair() -> None:
    with service(_json_answer({"responseData": {"translatedText": "Hola"}, "responseStatus": 200})) as (url, seen):
        translator = MachineTranslator(fast(url, provider="mymemory", email="ana@example.org"), "en", "es")
        assert translations(translator, ["Hello"]) == {"Hello": "Hola"}
    method, path, _, _ = seen[0]
    query = parse_qs(urlsplit(path).query)
    assert method == "GET" and query["q"] == ["Hello"] and query["de"] == ["ana@example.org"]
    assert query["langpair"] == [f"{provider_language('mymemory', 'en')}|{provider_language('mymemory', 'es')}"]


def test_google_reads_the_result_of_its_mobile_page() -> None:
    page = b'<html><body><div class="result-container">Hola &amp; adi\xc3\xb3s</div></body></html>'
    with service(lambda *request: (200, "text/html; charset=utf-8", page)) as (url, seen):
        translator = MachineTranslator(fast(url, provider="google"), "en", "es")
        assert translations(translator, ["Hello & goodbye"]) == {"Hello & goodbye": "Hola & adiós"}
    query = parse_qs(urlsplit(seen[0][1]).query)
    assert query == {"sl": ["en"], "tl": ["es"], "q": ["Hello & goodbye"]}


@pytest.mark.parametrize("provider", ["google", "mymemory", "deepl", "microsoft"])
def test_every_service_answers_429_with_a_retry(provider: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DEEPL_API_KEY", "k")
    monkeypatch.setenv("MICROSOFT_API_KEY", "k")
    answers = {
        "google": (200, "text/html", b'<div class="result-container">Hola</div>'),
        "mymemory": (200, "application/json", b'{"responseData": {"translatedText": "Hola"}}'),
        "deepl": (200, "application/json", b'{"translations": [{"text": "Hola"}]}'),
        "microsoft": (200, "application/json", b'[{"translations": [{"text": "Hola"}]}]'),
    }
    calls: list[int] = []

    def answer(*request: object) -> tuple[int, str, bytes]:
        calls.append(1)
        return (429, "application/json", b"{}") if len(calls) == 1 else answers[provider]

    with service(answer) as (url, _):
        translator = MachineTranslator(fast(url, provider=provider, concurrency=1), "en", "es")
        assert translations(translator, ["Hello"]) == {"Hello": "Hola"}
    assert translator.stats.retries == 1


def test_settings_left_unset_are_not_sent(monkeypatch: pytest.MonkeyPatch) -> None:
    """No key, e-mail or region: the field is left out of the request, never sent empty or as 'None'."""
    monkeypatch.delenv("LIBRE_API_KEY", raising=False)
    monkeypatch.setenv("MICROSOFT_API_KEY", "k")
    answers = {"libre": {"translatedText": "Hola"}, "mymemory": {"responseData": {"translatedText": "Hola"}}, "microsoft": [{"translations": [{"text": "Hola"}]}]}
    for provider, answer in answers.items():
        with service(_json_answer(answer)) as (url, seen):
            translator = MachineTranslator(fast(url + "/", provider=provider), "en", "es")
            assert translations(translator, ["Hello"]) == {"Hello": "Hola"}
        _, path, headers, body = seen[0]
        sent = {**parse_qs(urlsplit(path).query, keep_blank_values=True), **parse_qs(body.decode(), keep_blank_values=True), **headers}
        assert not {"api_key", "de", "ocp-apim-subscription-region"} & set(sent), provider
        assert "None" not in str(sent), provider
