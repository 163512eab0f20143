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
from retrieval.fill import fill_cache


def add_parser(commands: argparse._SubParsersAction) -> None:
    index = commands.add_parser("index", help="read new or changed corpus files into the saved index")
    index.add_argument("--workers", type=int, help="worker processes reading files (default: one per core)")
    index.set_defaults(handler=cmd_index)


def cmd_index(args: argparse.Namespace, settings: Settings) -> int:
    started = time.perf_counter()
    with tqdm(unit="file", desc="reading", disable=not sys.stderr.isatty(), file=sys.stderr) as bar:

        def progress(done: int, total: int, name: str) -> None:
            bar.total = total
            bar.set_postfix_str(name, refresh=False)
            bar.update(done - bar.n)

        counts = fill_cache(settings.corpus_dir, settings.cache_dir, workers=args.workers, progress=progress)
    engine = load_engine(settings)  # maps the files in and saves the index arrays
    corpus = engine.corpus
    print(
        f"saved index in {settings.cache_dir}: {len(corpus.documents)} documents, {len(corpus.passages)} passages "
        f"(corpus {corpus.version}) in {time.perf_counter() - started:.1f} s; "
        f"{counts['read']} files read, {counts['held']} already saved."
    )
    for name in corpus.skipped:
        print(f"  skipped {name} (unreadable, empty or binary)")
    return 0
