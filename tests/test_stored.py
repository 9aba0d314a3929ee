"""align.stored: a cached alignment's header (notes, name, digest, statistics) read at once, its sentences and
beads decoded only when read, and equal to what was stored."""

from __future__ import annotations

import dataclasses
import pickle

import pytest

from align.model import Alignment
from align.runner import Request, run
from align.stats import bead_stats
from align.stored import (
    DamagedRecord,
    StoredAlignment,
    alignment_digest,
    digest_of,
    name_of,
    record_of,
    stats_of,
    stored_alignment,
)
from tests.story import write_text_pair


@pytest.fixture(scope="module")
def alignment(tmp_path_factory: pytest.TempPathFactory) -> Alignment:
    """The story's alignment (one English paragraph without Russian), made by the real pipeline, not cached."""
    ru, en = write_text_pair(tmp_path_factory.mktemp("story"))
    return run(Request(paths=(str(ru), str(en)), pair=True, cache=False)).alignments[0]


def test_the_header_gives_name_digest_and_statistics_without_decoding_and_they_match_the_decoded_alignment(
    alignment: Alignment,
) -> None:
    stored, notes = stored_alignment(record_of(alignment, ["story.ru.txt: decoded as cp1251"]))
    assert notes == ["story.ru.txt: decoded as cp1251"] and isinstance(stored, StoredAlignment)
    assert name_of(stored) == "story" and stored.body is not None  # nothing decoded yet
    assert digest_of(stored) == alignment_digest(alignment) and stats_of(stored) == bead_stats([alignment])
    assert stats_of(stored).untranslated_en > 0 and stored.body is not None
    assert stored.document == alignment.document and stored.beads == alignment.beads and stored.body is None
    assert alignment_digest(stored) == digest_of(stored)  # the decoded sentences and beads give the same digest


def test_a_record_whose_body_was_changed_or_that_is_no_record_is_damaged(alignment: Alignment) -> None:
    record = bytearray(record_of(alignment, []))
    record[-5] ^= 0xFF
    for damaged in (bytes(record), b"not zlib", b"", None, "a TEXT value"):  # SQLite may hold NULL or TEXT there
        with pytest.raises(DamagedRecord):
            stored_alignment(damaged)  # type: ignore[arg-type]


def test_a_stored_alignment_pickled_before_decoding_decodes_equal(alignment: Alignment) -> None:
    stored, _ = stored_alignment(record_of(alignment, []))
    again = pickle.loads(pickle.dumps(stored))  # worker processes send outcomes back this way
    assert again.beads == alignment.beads and again.document == alignment.document


def test_a_copy_with_other_beads_has_its_own_digest_and_statistics(alignment: Alignment) -> None:
    stored, _ = stored_alignment(record_of(alignment, []))
    fewer = dataclasses.replace(stored, beads=stored.beads[:1])
    assert digest_of(fewer) == alignment_digest(Alignment(alignment.document, alignment.beads[:1]))
    assert digest_of(fewer) != digest_of(stored) and stats_of(fewer) == bead_stats([fewer])


def test_a_missing_attribute_is_an_attribute_error(alignment: Alignment) -> None:
    stored, _ = stored_alignment(record_of(alignment, []))
    assert not hasattr(stored, "nothing") and stored.body is not None


def test_a_stored_alignment_equals_an_alignment_of_the_same_document_and_beads_either_way_round(
    alignment: Alignment,
) -> None:
    stored, _ = stored_alignment(record_of(alignment, []))
    eager = Alignment(alignment.document, alignment.beads)  # no seconds, as one read back from the cache
    assert stored == eager and eager == stored and [stored] == [eager]
    assert pickle.loads(pickle.dumps(stored_alignment(record_of(alignment, []))[0])) == eager
    assert stored != Alignment(alignment.document, alignment.beads[:1]) and stored != "story"


def test_a_stored_alignment_changed_after_decoding_gives_the_name_digest_and_statistics_of_what_it_holds(
    alignment: Alignment,
) -> None:
    stored, _ = stored_alignment(record_of(alignment, []))
    stored.beads = stored.beads[:1]
    assert digest_of(stored) == alignment_digest(Alignment(alignment.document, alignment.beads[:1]))
    assert stats_of(stored) == bead_stats([stored])
    stored.beads.pop()  # changed in place
    stored.document.name = "renamed"
    assert (name_of(stored), stats_of(stored).pairs, digest_of(stored)) == ("renamed", 0, alignment_digest(stored))
