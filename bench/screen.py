"""What lingua's low-accuracy screen (align/third_language.py) decides against its full models, on real text.

usage: python bench/screen.py [--bench ../shared/bench] [--per-language 1500] [--seed 1]
Every text that reaches lingua (align.language.detector_text is not None) is weighed both ways: the dev corpora's
lines (expected: their side's language), Text+Berg's German and French (as if in an English file), and up to
--per-language messages of this machine's gettext catalogs (/usr/share/locale) in 19 third languages (as if in a
Russian file for Cyrillic ones, an English file for the rest). Prints per source: texts weighed, those the screen
leaves to the full models, those the full models call "other", and the verdicts the screen changes.
"""

from __future__ import annotations

import argparse
import gettext
import json
import random
import re
from collections import Counter
from pathlib import Path

from lingua import Language, LanguageDetectorBuilder

from align.language import ALL_LANGS, detector_text
from align.third_language import LowAccuracyScreen, foreign_code

HERE = Path(__file__).resolve().parent
DEV = ("wmt22_generaltest_ru-en", "wmt22_generaltest_en-ru", "tico19_en-ru", "tatoeba_laser_rus-eng", "bilinguator_dev")
CYRILLIC_THIRD = ("uk", "be", "bg", "sr", "mk", "kk")
LATIN_THIRD = ("de", "fr", "es", "it", "pt", "pl", "tr", "nl", "cs", "sv", "ro", "hu", "hr")
PLACEHOLDER = re.compile(r"%[-#0 +]*\d*(?:\.\d+)?[hlLqjzt]*[a-zA-Z%]|\{[^}]*\}|\$\{?\w+\}?|<[^>]+>|&\w+;|_")
MIN_MESSAGE_LETTERS = 10


def dev_texts(bench: Path) -> list[tuple[str, str, str]]:
    """(source, expected language, line) of the dev corpora and of Text+Berg's German and French."""
    rows = []
    for corpus in DEV:
        for side in ("ru", "en"):
            text = (bench / "corpora" / corpus / f"{side}.txt").read_text(encoding="utf-8")
            rows += [(corpus, side, line.strip()) for line in text.splitlines() if line.strip()]
    for lang in ("de", "fr"):
        text = (bench / "corpora" / "textberg_de-fr_dev" / f"dev.{lang}").read_text(encoding="utf-8")
        rows += [(f"textberg.{lang}", "en", line.strip()) for line in text.splitlines() if line.strip()]
    return rows


def messages(lang: str) -> list[str]:
    """The lines of this machine's gettext messages in `lang`, placeholders and markup blanked, sorted."""
    found: set[str] = set()
    for path in sorted(Path("/usr/share/locale", lang, "LC_MESSAGES").glob("*.mo")):
        try:
            with path.open("rb") as handle:
                catalog = gettext.GNUTranslations(handle)._catalog  # noqa: SLF001 - the messages themselves
        except (OSError, ValueError, UnicodeDecodeError):
            continue
        for key, value in catalog.items():
            if key and isinstance(value, str):
                lines = (" ".join(PLACEHOLDER.sub(" ", line).split()) for line in value.split("\n"))
                found.update(line for line in lines if sum(map(str.isalpha, line)) >= MIN_MESSAGE_LETTERS)
    return sorted(found)


def gettext_texts(per_language: int, seed: int) -> list[tuple[str, str, str]]:
    """(source, expected language, message) for a seeded sample of each third language's messages."""
    rng = random.Random(seed)
    rows = []
    for lang in CYRILLIC_THIRD + LATIN_THIRD:
        found = messages(lang)
        sample = rng.sample(found, min(per_language, len(found)))
        rows += [(f"gettext.{lang}", "ru" if lang in CYRILLIC_THIRD else "en", text) for text in sample]
    return rows


def compared(rows: list[tuple[str, str, str]]) -> dict[str, Counter]:
    """Per source: weighed, left to the full models, called other by them, verdicts the screen changes."""
    asked = [(query, text, lang, source) for source, lang, text in rows if (query := detector_text(text))]
    queries = [query for query, _, _, _ in asked]
    full = LanguageDetectorBuilder.from_languages(*[getattr(Language, n) for n in ALL_LANGS]).build()
    full_values = full.compute_language_confidence_values_in_parallel(queries)
    screen = LowAccuracyScreen(ALL_LANGS)
    settled = screen.settled([(q, text, lang) for q, text, lang, _ in asked], screen.values(queries))
    result: dict[str, Counter] = {}
    for (_, _, lang, source), values, found in zip(asked, full_values, settled, strict=True):
        counts = result.setdefault(source, Counter())
        truth = foreign_code(values, lang)
        verdict = truth if found is None else foreign_code(found, lang)
        counts["weighed"] += 1
        counts["full models needed"] += found is None
        counts["other (full models)"] += bool(truth)
        counts["other missed by the screen"] += bool(truth) and not verdict
        counts["other added by the screen"] += bool(verdict) and not truth
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bench", type=Path, default=HERE.parents[1] / "shared" / "bench")
    parser.add_argument("--per-language", type=int, default=1500)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    result = compared(dev_texts(args.bench) + gettext_texts(args.per_language, args.seed))
    total: Counter = sum(result.values(), Counter())
    for source, counts in [*result.items(), ("total", total)]:
        print(json.dumps({"source": source, **counts}))


if __name__ == "__main__":
    main()
