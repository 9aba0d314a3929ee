"""align/refine.py, the second pass of --presplit pairs other than ru,en: a number spelled alike on both sides
re-cuts two 1-1 beads into the 2-2 bead the translation is, a picture credit like no sentence of the other side is
left one-sided, plain 1-1 translations stay 1-1, the anchors are the numbers and long words both texts share, a line
opening with the same list number on both sides opens a bead there, and files shorter than the largest bead align
(real encoder, de/fr sentences written for these tests)."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from align.align import Link
from align.languages import presplit_options
from align.load import Input
from align.model import Alignment, Segment
from align.pipeline import Pipeline, PipelineSpec
from align.refine import Anchors, anchor_bags, anchor_words, item_number, numbered_items, path_band

# The French translator moved "250 m ... two days" from the first sentence to the second: the sentences pair
# 2-2. Each cut embeds alike, so the first pass alone cuts it into two 1-1 beads; "250" says where the text went.
GERMAN = [
    "Am Morgen des 7. Juli verliessen die beiden Seilschaften das Lager am Fuss der Nordwand.",
    "Die ersten beiden Seillängen über dem Bergschrund kosteten Stunden, und für die 250 Höhenmeter bis zum Band"
    " brauchten sie zwei Tage.",
    "Sechs Stunden lang stiegen sie mit Steigeisen über vereiste Platten, die nur mit Haken zu bewältigen waren.",
    "Am Abend des dritten Tages erreichten sie endlich den Grat.",
    "Dort richteten sie auf einem schmalen Band ein Biwak ein.",
]
FRENCH = [
    "Le matin du 7 juillet, les deux cordées quittèrent le camp au pied de la face nord.",
    "Les deux premières longueurs de corde au-dessus de la rimaye coûtèrent des heures d'efforts.",
    "Il fallut deux jours pour gravir les 250 mètres jusqu'à la vire, puis six heures de cramponnage sur des dalles"
    " verglacées, franchies à l'aide de pitons.",
    "Le soir du troisième jour, ils atteignirent enfin l'arête.",
    "Ils y installèrent un bivouac sur une étroite banquette.",
]
CROSSED = [([0], [0]), ([1, 2], [1, 2]), ([3], [3]), ([4], [4])]
# A picture credit between two paragraphs of the French page, with nothing like it on the German side.
GERMAN_CAPTIONED = [
    "Der Lhotse misst amtlich noch immer 8501 m, wird aber wohl bald auf 8510 m heraufgesetzt werden müssen.",
    "Für den Makalu gilt weiterhin die Höhe von 8481 m.",
    "Die Vermessung des Cho Oyu ist noch nicht abgeschlossen.",
    "Neue Zahlen werden im nächsten Jahr erwartet.",
]
FRENCH_CAPTIONED = [
    "Officiellement, le Lhotse mesure toujours 8501 m, mais ce chiffre devra sans doute être porté à 8510 m.",
    "2 - Photo Schweiz .",
    "Pour le Makalu, l'altitude de 8481 m reste valable.",
    "La mensuration du Cho Oyu n'est pas encore terminée.",
    "De nouveaux chiffres sont attendus l'année prochaine.",
]
CAPTION_ALONE = [([0], [0]), ([], [1]), ([1], [2]), ([2], [3]), ([3], [4])]
# A chronicle opens its list of peaks with a sentence each side words its own way; item 1 is one line more in each
# language. The joined texts embed alike, so the first pass takes the three lines of each side as one 3-3 bead.
GERMAN_LISTED = [
    "Wir beginnen unseren Überblick wieder im Osten , beim östlichsten Achttausender :",
    "1. Vom Kangchendzönga ist bergsteigerisch nicht viel Neues zu melden .",
    "Die grossartige Erstersteigung wurde bereits in unserer Himalaya-Chronik 1955 behandelt ( « Die Alpen » 1956 ,"
    " Nr. 4 ) .",
]
FRENCH_LISTED = [
    "Cette fois encore , nous commencerons à l' est notre revue des principales expéditions récentes à l' Himalaya .",
    "1. Kangchenjunga .",
    "Au point de vue alpinistique , il n' y a pas grand-chose à ajouter à ce que nous avons dit dans notre chronique"
    " himalayenne 1955 ( voir Les Alpes 1956 , no 4 ) .",
]
ITEM_APART = [([0], [0]), ([1, 2], [1, 2])]
# Five plain sentence-for-sentence translations, with numbers and a name on both sides: nothing to re-cut.
GERMAN_PLAIN = [
    "Im Jahr 1953 erreichten Hillary und Tenzing als Erste den Gipfel des Everest.",
    "Die Expedition hatte im März mit 350 Trägern Kathmandu verlassen.",
    "Das Basislager stand auf 5400 m am Rand des Khumbugletschers.",
    "Der Eisbruch wurde in zehn Tagen mit Leitern und Seilen gesichert.",
    "Am 29. Mai um halb zwölf standen die beiden auf dem höchsten Punkt der Erde.",
]
FRENCH_PLAIN = [
    "En 1953, Hillary et Tenzing atteignirent les premiers le sommet de l'Everest.",
    "L'expédition avait quitté Katmandou en mars avec 350 porteurs.",
    "Le camp de base se trouvait à 5400 m, au bord du glacier du Khumbu.",
    "La cascade de glace fut équipée en dix jours d'échelles et de cordes.",
    "Le 29 mai à onze heures et demie, les deux hommes se tenaient sur le point le plus haut de la Terre.",
]


@pytest.fixture(scope="module")
def pipelines() -> dict[bool, Pipeline]:
    """The --presplit de,fr pipeline with the second pass and without it (real USE encoder, no cache)."""
    options = presplit_options()
    spec = PipelineSpec(options=options, langs=("de", "fr"), presplit=True)
    first = replace(spec, options=replace(options, refine=False))
    return {True: spec.build(), False: first.build()}


def aligned(pipeline: Pipeline, folder: Path, german: list[str], french: list[str]) -> list[tuple[list, list]]:
    """The beads of the two texts written one sentence a line, as 0-based line numbers per side."""
    source, target = folder / "page.de", folder / "page.fr"
    source.write_text("\n".join(german) + "\n", encoding="utf-8")
    target.write_text("\n".join(french) + "\n", encoding="utf-8")
    alignment = pipeline.result(Input("page", (str(source), str(target))))
    assert isinstance(alignment, Alignment)
    return [([s.line - 1 for s in bead.ru], [s.line - 1 for s in bead.en]) for bead in alignment.beads]


def test_presplit_options_of_other_pairs_enable_the_pass_and_the_default_options_do_not() -> None:
    from align.align import AlignOptions

    assert presplit_options().refine
    assert not AlignOptions().refine


def test_a_number_moved_across_a_sentence_boundary_makes_a_2_2_bead(pipelines: dict[bool, Pipeline], tmp_path: Path):
    assert aligned(pipelines[True], tmp_path, GERMAN, FRENCH) == CROSSED


def test_without_the_pass_the_same_sentences_are_cut_1_1(pipelines: dict[bool, Pipeline], tmp_path: Path) -> None:
    beads = aligned(pipelines[False], tmp_path, GERMAN, FRENCH)
    assert ([1, 2], [1, 2]) not in beads  # what the pass adds: the embeddings alone do not see the 2-2 bead


def test_a_picture_credit_like_nothing_on_the_other_side_stays_one_sided(
    pipelines: dict[bool, Pipeline], tmp_path: Path
) -> None:
    assert aligned(pipelines[True], tmp_path, GERMAN_CAPTIONED, FRENCH_CAPTIONED) == CAPTION_ALONE
    assert aligned(pipelines[False], tmp_path, GERMAN_CAPTIONED, FRENCH_CAPTIONED)[0] == ([0], [0, 1])  # first pass


def test_plain_translations_with_shared_numbers_stay_1_1(pipelines: dict[bool, Pipeline], tmp_path: Path) -> None:
    assert aligned(pipelines[True], tmp_path, GERMAN_PLAIN, FRENCH_PLAIN) == [([k], [k]) for k in range(5)]


def test_a_numbered_item_opens_a_bead_on_both_sides(pipelines: dict[bool, Pipeline], tmp_path: Path) -> None:
    assert aligned(pipelines[True], tmp_path, GERMAN_LISTED, FRENCH_LISTED) == ITEM_APART
    assert aligned(pipelines[False], tmp_path, GERMAN_LISTED, FRENCH_LISTED) == [([0, 1, 2], [0, 1, 2])]  # first pass


def test_files_shorter_than_the_largest_bead_align(pipelines: dict[bool, Pipeline], tmp_path: Path) -> None:
    # beads of up to 5 lines a side, files of 3 and 1 lines: no run of 4 or 5 lines exists on either side (the
    # search once failed on them: "operands could not be broadcast together")
    beads = aligned(pipelines[True], tmp_path, GERMAN_LISTED, FRENCH_LISTED[:1])
    assert sorted(k for ru, _ in beads for k in ru) == [0, 1, 2]
    assert sorted(k for _, en in beads for k in en) == [0]


def test_anchor_words_are_words_of_four_letters_or_more_and_numbers_of_two_characters_or_more() -> None:
    assert anchor_words("Le 7 juillet, Hartog vit le K2 et 8848 m.", Anchors()) == ["juillet", "hartog", "k2", "8848"]


def test_an_anchor_is_a_word_both_texts_hold() -> None:
    def segments(texts: list[str]) -> list[Segment]:
        return [Segment("f", 0, len(t), k + 1, t, "de", 0) for k, t in enumerate(texts)]

    german = segments(["Hartog und Patey am 16. Juli 1956.", "Der Gipfel ist 7273 m hoch."])
    french = segments(["Le 16 juillet 1956, Hartog et Patey.", "Photo 1957."])
    ru_bags, en_bags = anchor_bags(german, french, Anchors())
    assert [dict(bag) for bag in ru_bags] == [{"hartog": 1, "patey": 1, "16": 1, "1956": 1}, {}]
    assert [dict(bag) for bag in en_bags] == [{"16": 1, "1956": 1, "hartog": 1, "patey": 1}, {}]


def test_the_band_follows_the_first_path_widened_on_each_side() -> None:
    links = [Link((0,), (0,), 1.0), Link((1, 2), (1,), 1.0), Link((), (2,), 0.0), Link((3,), (3, 4), 1.0)]
    lo, hi = path_band(links, 4, 5, 1)
    assert lo.tolist() == [0, 0, 0, 0, 2]
    assert hi.tolist() == [2, 3, 3, 5, 5]
    assert (lo[1:] <= hi[:-1]).all() and (np.diff(lo) >= 0).all() and (np.diff(hi) >= 0).all()


@pytest.mark.parametrize(
    ("line", "number"),
    [
        ("12. Dans cette même vallée débouche aussi le glacier de Kulti .", "12."),
        ("b ) la déviation des forces d' attraction ;", "b)"),
        ("C ) .", "c)"),
        ("3) Nachschub", "3)"),
        ("1.", "1."),
        ("A. Desio ) .", None),  # an initial, not an item
        ("1952 Augustin Lombard geologisch", None),  # a year: more than 3 digits, no mark
        ("12.5 km weiter oben", None),  # a decimal number
        ("Am 3. Juli kamen sie an .", None),  # a number inside the line
    ],
)
def test_what_opens_a_numbered_item(line: str, number: str | None) -> None:
    assert item_number(line) == number


def test_numbered_items_pair_the_same_number_near_the_band() -> None:
    def segments(texts: list[str]) -> list[Segment]:
        return [Segment("f", 0, len(t), k + 1, t, "de", 0) for k, t in enumerate(texts)]

    german = segments(["1. Eins .", "Text .", "2. Zwei .", "1. Wieder eins ."])
    french = segments(["1. Un .", "Texte .", "2. Deux .", "Texte .", "Texte .", "Texte .", "1. De nouveau un ."])
    lo, hi = np.array([0, 0, 1, 2, 6]), np.array([1, 2, 3, 4, 7])  # rows 0..4: the columns around a diagonal path
    assert numbered_items(german, french, lo, hi, reach=1) == [(0,), (), (2,), (6,)]
