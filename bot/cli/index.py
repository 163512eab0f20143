"""`corpusbot index`: read the corpus into the saved index ahead of time, with a progress bar.

Only new or changed files are read; a bot started afterwards (or told to reload) maps the result in
instead of reading the folder itself.
"""

from __future__ import annotations

import argparse
import sys
import time

from tqdm import tqdm

from bot.cli.session import with_services
from bot.services.build import index_corpus
from bot.services.container import Services
from bot.services.documents import skipped_line
from bot.settings import Settings


def add_parser(commands: argparse._SubParsersAction) -> None:
    """`index` and its options."""
    index = commands.add_parser("index", help="read new or changed corpus files into the saved index")
    index.add_argument("--workers", type=int, help="worker processes reading files (default: one per core)")
    index.set_defaults(handler=cmd_index)


def cmd_index(args: argparse.Namespace, settings: Settings) -> int:
    """Fill the saved index (progress bar on a terminal), then load it once to save the index arrays."""
    started = time.perf_counter()
    with tqdm(unit="file", desc="reading", disable=not sys.stderr.isatty(), file=sys.stderr) as bar:

        def progress(done: int, total: int, name: str) -> None:
            bar.total = total
            bar.set_postfix_str(name, refresh=False)
            bar.update(done - bar.n)

        counts = index_corpus(settings, workers=args.workers, progress=progress)

    async def report(services: Services) -> None:
        summary = services.corpus.summary()  # loading maps the files in and saves the index arrays
        print(
            f"saved index in {settings.cache_dir}: {summary.documents} documents, {summary.passages} passages "
            f"(corpus {summary.version}) in {time.perf_counter() - started:.1f} s; "
            f"{counts['read']} files read, {counts['held']} already saved."
        )
        for file in summary.skipped:
            print(f"  skipped {skipped_line(file)}")

    with_services(settings, report, database=False)
    return 0
