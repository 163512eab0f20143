"""`corpusbot index`: read the corpus into the saved index ahead of time, with a progress bar.

Only new or changed files are read; a bot started afterwards (or told to reload) maps the result in
instead of reading the folder itself.
"""

from __future__ import annotations

import argparse
import sys
import time

from tqdm import tqdm

from bot.services.corpus import load_engine
from bot.settings import Settings
from retrieval.engine import new_file_cache


def add_parser(commands: argparse._SubParsersAction) -> None:
    commands.add_parser(
        "index", help="read new or changed corpus files into the saved index (CORPUSBOT_CACHE_DIR)"
    ).set_defaults(handler=cmd_index)


def cmd_index(args: argparse.Namespace, settings: Settings) -> int:
    cache = new_file_cache(settings.cache_dir)
    started = time.perf_counter()
    with tqdm(unit="file", desc="indexing", disable=not sys.stderr.isatty(), file=sys.stderr) as bar:

        def progress(done: int, total: int, name: str) -> None:
            bar.total = total
            bar.set_postfix_str(name, refresh=False)
            bar.update(done - bar.n)

        engine = load_engine(settings, cache=cache, progress=progress)
    corpus = engine.corpus
    print(
        f"saved index in {settings.cache_dir}: {len(corpus.documents)} documents, {len(corpus.passages)} passages "
        f"(corpus {corpus.version}) in {time.perf_counter() - started:.1f} s; "
        f"{cache.stats['built']} files read, {cache.stats['disk']} already saved."
    )
    for name in corpus.skipped:
        print(f"  skipped {name} (unreadable, empty or binary)")
    return 0
