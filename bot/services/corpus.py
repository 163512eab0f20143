"""The corpus behind every interface: ask, timeline, sources, context, name completion, reload.

Discord handlers and terminal commands both call this; it never imports discord. Retrieval runs in
one dedicated worker thread so the event loop keeps heartbeating and acknowledging interactions:
retrieval is pure Python under the GIL, so more threads would add no throughput, only contention
that stalls the loop (measured with `python -m tests.load_discord`).
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any, NamedTuple, TypeVar

from bot.errors import BadFilter, UnusableFile
from bot.files import write_private
from bot.records import LogEntry, SourceRef, new_answer_id
from bot.services.policy import AnswerCache
from bot.services.recording import Origin, Recorder
from bot.services.watching import WatchState, build_engine, reload_request_path, watch_state
from bot.settings import Settings
from retrieval.engine import Engine, SavedFiles, new_file_cache
from retrieval.evaluation.answers import EvalReport, evaluate, read_cases
from retrieval.evaluation.timeline import TimelineScore, read_gold, score_timeline
from retrieval.models import Answer, Quote, SkippedFile
from retrieval.text.names import complete, corpus_names
from retrieval.timeline.events import Timeline, build_timeline, parse_bound

logger = logging.getLogger(__name__)
T = TypeVar("T")

WATCH_INTERVAL_SECONDS = 2.0  # how often a running bot looks for `corpusbot reload` and corpus changes
TIMELINE_LOGGED_EVENTS = 20  # a timeline's log row cites its first events, not the whole corpus


@dataclass(frozen=True, slots=True)
class Served:
    """An answer with the id its log row and buttons share, and how long retrieval took."""

    answer: Answer
    answer_id: str
    latency_ms: int


class Reloaded(NamedTuple):
    """Corpus versions and document counts before and after a reload."""

    old: str
    new: str
    old_documents: int
    new_documents: int


class CorpusSummary(NamedTuple):
    """What `corpusbot check` and `corpusbot reload` report about the loaded corpus."""

    version: str
    documents: int
    passages: int
    skipped: tuple[SkippedFile, ...]


class Context(NamedTuple):
    """A quote found again by its span, with the paragraph around it and its place in that paragraph."""

    quote: Quote
    paragraph: str
    span: tuple[int, int]


class CorpusService:
    """Holds the current engine; swaps it atomically on reload. Questions are recorded by ``recorder``."""

    def __init__(
        self,
        settings: Settings,
        engine: Engine,
        recorder: Recorder | None = None,
        seen: WatchState | None = None,
        cache: SavedFiles | None = None,
        *,
        serving: bool = False,
    ) -> None:
        """Serve ``engine``; reloads go through ``cache``.

        ``seen`` is the watch state taken before ``engine`` was loaded (now, when not given); ``cache``
        the saved index it was loaded through (kept: a reload re-reads only changed files); ``serving``
        a long-running process (the bot), which loads the compiled top-k kernel on reloads too.
        """
        self.settings = settings
        self.serving = serving
        self.engine = engine
        self.cache = cache if cache is not None else new_file_cache(settings.cache_dir)
        self.answers = AnswerCache()
        self._recorder = recorder
        self._reload_lock = asyncio.Lock()
        self._seen = seen or watch_state(settings)  # the state the current engine was loaded from
        self._worker = ThreadPoolExecutor(max_workers=1, thread_name_prefix="retrieval")
        self._names: tuple[str, list[str]] = ("", [])
        self._titles: tuple[str, dict[str, str]] = ("", {})
        self.on_reloaded: Callable[[str], None] | None = None  # told the new version after `reload`
        self._background_reloads: set[asyncio.Task[None]] = set()

    async def _off_loop(self, function: Callable[..., T], *args: Any) -> T:
        return await asyncio.get_running_loop().run_in_executor(self._worker, function, *args)

    def close(self) -> None:
        """Stop the retrieval thread (at shutdown)."""
        self._worker.shutdown(wait=False, cancel_futures=True)

    @property
    def version(self) -> str:
        """The current corpus version (a hash of its files)."""
        return self.engine.version

    @property
    def document_count(self) -> int:
        """How many documents the current corpus holds."""
        return len(self.engine.corpus.documents)

    def summary(self) -> CorpusSummary:
        """Version, document and passage counts, and the files that were skipped as unreadable."""
        corpus = self.engine.corpus
        return CorpusSummary(corpus.version, len(corpus.documents), len(corpus.passages), tuple(corpus.skipped))

    async def ask(self, question: str, origin: Origin) -> Served:
        """Answer in the worker thread, queue the log row (never waits for the disk), keep it for "More"."""
        engine = self.engine  # the engine this question started on, whatever a reload does meanwhile
        started = time.perf_counter()
        answer = await self._off_loop(engine.ask, question)
        latency_ms = round((time.perf_counter() - started) * 1000)
        answer_id = new_answer_id()
        if self._recorder is not None:
            await self._recorder.record(
                LogEntry.from_answer(
                    answer,
                    interface=origin.interface,
                    latency_ms=latency_ms,
                    guild_id=origin.guild_id,
                    channel_id=origin.channel_id,
                    user_id=origin.user_id,
                    answer_id=answer_id,
                )
            )
        self.answers.put(answer_id, answer)
        logger.info(
            "answered=%s latency_ms=%d interface=%s",
            answer.answered,
            latency_ms,
            origin.interface,
            extra={"guild_id": origin.guild_id, "channel_id": origin.channel_id, "latency_ms": latency_ms},
        )
        return Served(answer, answer_id, latency_ms)

    def recall(self, answer_id: str) -> Answer | None:
        """A recent answer by id (for "More"); None once forgotten or after a restart."""
        return self.answers.get(answer_id)

    @staticmethod
    def check_bounds(since: str | None, until: str | None) -> None:
        """Raise BadFilter unless both timeline bounds (when given) are a year, a month or a day, in order."""
        try:
            periods = [parse_bound(bound) if bound else None for bound in (since, until)]
        except ValueError as error:
            raise BadFilter(str(error), "bad_bound") from None
        first, last = periods
        if first is not None and last is not None and first[0] > last[1]:
            raise BadFilter(f"--since {since} is after --until {until}", "bounds_reversed", since=since, until=until)

    async def timeline(self, topic: str | None, since: str | None, until: str | None, origin: Origin) -> Timeline:
        """Dated events on ``topic`` within [since, until], built in the worker thread.

        Logged as a "timeline" question citing its first events' sources. Raises BadFilter on a
        malformed bound or one after the other.
        """
        self.check_bounds(since, until)
        engine = self.engine
        started = time.perf_counter()
        try:
            result = await self._off_loop(partial(build_timeline, engine, topic=topic, since=since, until=until))
        except ValueError as error:
            raise BadFilter(str(error), "bad_bound") from None
        latency_ms = round((time.perf_counter() - started) * 1000)
        if self._recorder is not None:
            shown = result.events[:TIMELINE_LOGGED_EVENTS]
            entry = LogEntry(
                interface="timeline",
                question=topic or "(all)",
                answered=bool(result.events),
                reason=None if result.events else "no dated events match",
                sources=tuple(SourceRef(s.doc_id, s.line_start, s.line_end) for e in shown for s in e.sources),
                latency_ms=latency_ms,
                corpus_version=engine.version,
                guild_id=origin.guild_id,
                channel_id=origin.channel_id,
                user_id=origin.user_id,
            )
            await self._recorder.record(entry)
        return result

    def sources(self) -> list[dict[str, Any]]:
        """The documents, one record each (see the README's `corpusbot sources --json`)."""
        return self.engine.sources()

    def context(self, doc_id: str, start: int, end: int) -> Context | None:
        """The paragraph around a quoted span; None when the span is no longer in the corpus (reloaded)."""
        engine = self.engine
        found = engine.quote_at(doc_id, start, end)
        if found is None:
            return None
        paragraph, span = engine.context(found)
        return Context(found, paragraph, span)

    def complete_names(self, current: str) -> list[str]:
        """The text typed so far, its last word extended to names the corpus mentions (for autocomplete)."""
        engine = self.engine
        if self._names[0] != engine.version:
            self._names = (engine.version, corpus_names(engine.corpus))
        return complete(current, self._names[1])

    def titles(self) -> dict[str, str]:
        """Document titles by id for the current corpus (rebuilt after a reload)."""
        engine = self.engine
        if self._titles[0] != engine.version:
            self._titles = (engine.version, {s["doc_id"]: s["title"] for s in engine.sources()})
        return self._titles[1]

    def evaluate(self, path: Path) -> EvalReport:
        """hit@k and abstention on a JSON Lines question file (blocking; for the CLI)."""
        try:
            cases = read_cases(path)
        except (OSError, ValueError) as error:
            raise UnusableFile(str(error)) from None
        return evaluate(cases, self.engine.ask)

    def evaluate_timeline(self, path: Path) -> TimelineScore:
        """The timeline's precision and recall against a gold file (blocking; for the CLI)."""
        try:
            gold = read_gold(path)
        except (OSError, ValueError) as error:
            raise UnusableFile(str(error)) from None
        return score_timeline(build_timeline(self.engine).events, gold)

    async def reload(self) -> Reloaded:
        """Rebuild the index from the corpus folder and swap it in.

        Questions already running keep the engine they started with. A corpus that fails to load
        leaves the current one in place and raises CorpusUnreadable. ``on_reloaded`` then tells the
        other processes sharing the database.
        """
        reloaded = await self._reload_here()
        if self.on_reloaded is not None:
            self.on_reloaded(reloaded.new)
        return reloaded

    def reload_soon(self, why: str) -> None:
        """Reload in the background (another process asked); a broken folder is logged, the corpus kept."""
        task = asyncio.get_running_loop().create_task(self._reload_quietly(why))
        self._background_reloads.add(task)
        task.add_done_callback(self._background_reloads.discard)

    async def _reload_quietly(self, why: str) -> None:
        try:
            await self._reload_here()
        except Exception:
            logger.exception("reload (%s) failed; still serving corpus %s", why, self.engine.version)

    async def _reload_here(self) -> Reloaded:
        async with self._reload_lock:
            old, old_documents = self.engine.version, self.document_count
            seen = watch_state(self.settings)
            engine = await build_engine(self.settings, self.cache, previous=self.engine, serving=self.serving)
            self.engine, self._seen = engine, seen
            logger.info("corpus reloaded: %s -> %s (%d documents)", old, engine.version, self.document_count)
            return Reloaded(old, engine.version, old_documents, self.document_count)

    async def watch(self) -> None:
        """Reload when `corpusbot reload` asks, or (with watch_corpus) when the corpus folder changes.

        Changes are judged against the state the current engine was loaded from, so a request made
        while the bot was starting or reloading is not lost.
        """
        while True:
            await asyncio.sleep(WATCH_INTERVAL_SECONDS)
            current = watch_state(self.settings)
            requested = current.request != self._seen.request
            edited = self.settings.watch_corpus and current.corpus != self._seen.corpus
            if not (requested or edited):
                continue
            try:
                await self._reload_here()
            except Exception:
                self._seen = current  # report a broken folder once, not on every poll
                logger.exception("reload failed; still serving corpus %s", self.engine.version)

    def request_reload(self) -> Path:
        """Ask a running bot (another process, same database path) to reload: touch its request file.

        Called by `corpusbot reload` after this service loaded the folder, so a broken folder is
        reported before a running bot is told.
        """
        request = reload_request_path(self.settings)
        write_private(request, (self.engine.version + "\n").encode())
        return request
