"""Word lists language ID reads: function words that only English, only Russian or only a third language writes."""

from __future__ import annotations


def words(text: str) -> frozenset[str]:
    """The set of the space-separated words of `text`."""
    return frozenset(text.split())


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
