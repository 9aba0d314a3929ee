"""Word lists and spellings language ID reads: what only English, only Russian or only a third language writes."""

from __future__ import annotations

import re

WORD = re.compile(r"[^\W\d_]+")  # a word: a run of letters


def words(text: str) -> frozenset[str]:
    """The set of the space-separated words of `text`."""
    return frozenset(text.split())


def any_letter_of(letters: frozenset[str]) -> re.Pattern[str]:
    """A pattern that finds any one of `letters` in a text (none for no letters): searching a text with it is
    several times faster than a set operation on the text's characters."""
    return re.compile(f"[{re.escape(''.join(sorted(letters)))}]" if letters else "(?!)")


# Words only English uses among the Latin-script languages weighed (German and Spanish share "was", "an",
# "will", "her", "he", "has", so those are left out).
ENGLISH_MARKERS = words(
    "the of and to is were are been have had it its this that with for not you she they we his their our "
    "my your which would there what who from but at by"
)

# Frequent words only Russian writes so among the Cyrillic languages weighed (Ukrainian що, це, його, якщо;
# Bulgarian че, това, ако, само; Belarusian што, гэта, яго, калі; Serbian and Macedonian што).
RUSSIAN_MARKERS = words(
    "что чтобы это его который которая которое которые которых которым также меня если только сегодня "
    "себя очень когда потому нет можно ещё еще году будет может сказал тоже своей своих"
)

ENGLISH_ONLY_WORDS = words(
    "than these those some could should because being very said how when where why about into out up just "
    "them then only other such each many much any can new during between through without while"
)

# Frequent words of the third languages weighed that English and Russian never write (German, French, Spanish,
# Italian, Portuguese, Polish, Turkish, Dutch, Czech, Swedish; not "les", "los", "del", "pour", "ale", "jest", "son",
# which are English words or parts of names): with one of them, a short line or one whose nouns are capitalised
# ("Der Hund biss den Mann.") is worth asking lingua about, names and all.
FOREIGN_MARKERS = words(
    "der das und nicht ist ich wir sie ein eine einen einem mit auf für sich zu auch oder wenn est une "
    "dans pas avec nous vous sont mais très cette por una muy pero está sono anche questo perché não uma "
    "mais nie się czy już bir için çok değil het een niet zijn voor maar je jsem jsou není och att jag "
    "inte är som"
)

# What shows that a Cyrillic text (with no letter Russian lacks: і, ї, є, ґ, ў, ј, …) is in none of the other
# Cyrillic languages weighed, each ruled out on its own; a text all of them rule out needs no statistical model.
# Serbian and Macedonian: their alphabets have none of these letters, a j is written between и and a vowel
# (линија, Србије), and в, от, для, как, мне, так, все are у, од, за, као, мени, тако, све there.
NOT_SERBIAN_OR_MACEDONIAN_LETTERS = frozenset("йщьюяёъыэ")
NOT_SERBIAN_OR_MACEDONIAN_SPELLING = r"и[аеиу]"
# Belarusian: its alphabet has no и, щ or ъ (і, шч and an apostrophe stand for them); т and д before a soft vowel
# are ц and дз there, р, ж and ш are always hard (тебе, где, реке, жена: табе, дзе, рацэ, жонка), and an unstressed
# о is written а, so no word has two (голова, хорошо: галава, добра).
NOT_BELARUSIAN_LETTERS = frozenset("ищъ")
NOT_BELARUSIAN_SPELLING = r"[тдр][еёиюяь]|[жш][еёюяь]|о\w*о"
# Ukrainian has no ё, ъ, ы, э; no word starts with и (the conjunction is і, й, та); и is never followed by a vowel
# (Russian -ия, -ие, -ии are -ія, -іє, -ії there); no ь after ж, ч, ш, щ or at the end after р (ночь, мышь, дверь:
# ніч, миша, двері); no word ends in -тся or -ость (Ukrainian -ться, -тися; -ість), and е after a vowel is є there
# (-ает, -ое, -ее: -ає, -е; -ают: -ають; not -ует: дует, a duet, in both).
NOT_UKRAINIAN_SPELLING = r"[ёъыэ]|\bи|и[аеёиоуыэюя]|[жчшщ]ь|рь\b|тся\b|ость\b|[аеоуюя]е\b|[ая]ет\b|[ая]ют\b"
# Bulgarian has no ё, ы, э; writes ь only before о (шофьор); has no cases, so no -ию, -ую, -юю (информацию, новую),
# and no -ого or -его but in много, строго, убого, кого, него; no -тся (се is written apart), and its present tense
# has no -ает, -ают (играе, играят).
NOT_BULGARIAN_SPELLING = (
    r"[ёыэ]|ь(?!о)|тся\b|[иую]ю\b|(?<![кн])(?<!\bмн)(?<!\bстр)(?<!\bуб)ого\b|(?<!н)его\b|[ая]ет\b|[ая]ют\b"
)
# Frequent Russian words each language does not write so (Ukrainian: як, з, він, вона, мені, де, після, між, хто,
# тоді, завжди, зараз, тут, навіть, її, йому, нього; Bulgarian: за, към, той, тя, те, ми, вече, къде, през, кой,
# тогава, винаги, сега, тук, ето, един, година, човек, време, нея, му).
NOT_SERBIAN_OR_MACEDONIAN_WORDS = RUSSIAN_MARKERS | words("в от для как мне так все через об")
NOT_UKRAINIAN_WORDS = RUSSIAN_MARKERS | words(
    "к с как из она оно они мне где после между тот кто чем ли со во тогда всегда никогда сейчас теперь "
    "здесь лишь лучше больше меньше ничего чего конечно вообще хотя даже вот пока надо всех всем всего года "
    "человек время ее её ему их него нее неё ней тебя"
)
NOT_BULGARIAN_WORDS = RUSSIAN_MARKERS | words(
    "для к он мне уже где через перед кто тот чем со во об тогда всегда никогда сейчас теперь здесь лишь "
    "лучше больше меньше ничего чего конечно вообще хотя вот всех всем всего один одна одно одни года человек "
    "время ее её ему их нее неё ней тебя тут"
)

# More words only English writes among the Latin-script languages weighed (not "even", Dutch; "still", "last",
# German; "under", "make", "must", Swedish; "same", "more", "most", "like", Croatian; "ago", Italian; "use",
# "time", Portuguese; "begin", Dutch), and spellings only English has: a word starting with wh, -ght, n't, 'll,
# 're, 've.
ENGLISH_WORDS = words(
    "after before against already again around away down never every now off often own too until upon yet him "
    "herself himself itself themselves yourself myself does did done got get gets know knew known think people "
    "woman women world year years day days way work good great little first next few please thank thanks "
    "yes shall may cannot something nothing anything everything someone anyone everyone nobody everybody "
    "however although though both either neither since within among across along behind below above toward "
    "towards rather quite almost enough maybe perhaps really actually usually today tomorrow yesterday tonight "
    "used using well become became began found told asked says went came seen saw"
)
ENGLISH_SPELLING = r"\bwh|ght|n['’]t\b|['’](?:ll|re|ve)\b"

# More frequent words of the third languages weighed (French, Spanish, Italian, Portuguese, Dutch, Romanian, German,
# Swedish, Polish, Czech, Croatian; Bulgarian, Ukrainian, Serbian, Macedonian) that the Russian and English sides of
# the dev corpora never write as small-letter words (checked on all of them; "son", "per", "non", "do", "pour",
# "com", "au", "des" and "е", "са" do occur there): a short text with one is left to lingua's full models
# (align.third_language), though it is not enough for detector_text to weigh a short text names and all.
SCREEN_FOREIGN_WORDS = words(
    "le les du aux qui que ici par ces ses leur ils elle el los las para con es como di della delle dei degli nel "
    "nella che os dos em van ook bij naar dat nu este sau din pentru să şi și pe von dem det för på med av se za od "
    "ili są że jak се ще към във със като този това които з що або це од су"
)
