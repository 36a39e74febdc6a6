"""Kazakh morphology for screening: the candidate stems of a word, read off a grammar of suffix chains.

A Kazakh word is a stem and a chain of suffixes in a fixed order. The search stemmer
(``school_sections.search.kazakh``) strips suffixes one by one and keeps ONE key; screening wants every
reading instead, so that a rule's word and a text's word meet whichever way each is read: ``ұрамыз``,
``ұрды``, ``ұрыңдар`` and ``ұру`` all have the stem ``ұр``. ``kazakh_stems`` returns every prefix of the
word (2 letters or more, with a vowel) whose rest is a valid chain, plus the word itself.

The chain grammar (``_chain``) is an ordered regular expression per vowel harmony, not "any sequence of
suffixes" (single letters like а, ы, п, н, с would make every string a chain):

* noun: derivation (-шы; -сыз or -лы; -лық; -ғы; ordinal -ыншы), plural, then possessive and case, or a
  predicate's person (оқушымын, дебилсің). The cases after a possessive take their own forms (after the
  3rd person -на, -н, -нда, -нан: баласына; after -м/-ң the dative -а: мектебіме); the attributive -дағы
  and -нікі are nouns again (мектептегілерге); the equative -ша and similative -дай (қазақша);
* verb: voice (reciprocal -ыс, reflexive/passive -ын/-ыл/-н/-л, causative -дыр/-тыр/-ғыз/-қыз/-т, twice
  at most), then one of: present -а/-е/-й/-и with its person (жазамыз, ойнаймын, оқиды); past -ды/-ты
  with its person (жаздық); participles -ған (inflected as a noun: атқандар), -атын, future -ар/-р;
  -мақ with -шы or a person (bare, it is a noun's end: тамақ, ақымақ, бармақ); converb -ып/-п (+ -ты,
  + person); verbal noun -у (inflected as a noun: ұруға, жазуы, оқушы); conditional -са; imperative
  (-ыңыз, -ыңдар, -сын, -айын, -айық, -шы); desire -ғы + possessive (алғыңыз); -ғалы; -ғыш (жарылғыш);
* the stem vowel of ы/і verbs before a consonant (оқы-ды, оқы-ған; the verbal noun оқу has none, оқиды is
  ы+й): ``оқ`` is the stem of all of them, and a verb's stem never ends in ы/і (сатып is сат-ып, not
  саты-п).

The negation -ма/-ба/-па stays in the stem (``NEGATION_IN_CHAIN`` turns this off): ``ұрмаңдар`` "don't hit"
gives ``ұрма``, not ``ұр``, and meets ``ұрмасын``, ``ұрмайды``, ``ұрмау`` but not ``ұрыңдар`` "hit". A
prevention text is full of negated verbs, and rules name negative forms when they mean them (a call to
shun: сөйлеспеңдер, бермесін); the search stemmer keeps the negation too. After it come the converb -й and
the future -с (жазбай, жазбас); a bare negation is not read (``алма`` "apple" is not ал+ма). The converb -а/-е/-й
alone is not read (``бала`` is no бал+а, ``жаңа`` no жаң+а), nor a voice suffix alone (``жеңіл`` is no
жең+іл, ``қоқыс`` no қоқ+ыс).

Every suffix carries the sound it may follow as a look-behind (vowel; л; р й у и; з ж; nasal;
voiceless), so its assimilated first letter is checked against the stem, and each later suffix against
the one before (лар/дар/тар, ға/қа, ды/ты, мен/бен/пен, мақ/бақ/пақ, ма/ба/па); its vowels follow the
stem's last vowel (back а о ұ ы, front ә ө ү і е). ``ұрпақ`` is no ұр+пақ (-пақ only after a voiceless
consonant).

A stem of two letters is a verb's root (ұр-, ат-, іш-, ал-, өл-): it takes a verb's inflection of two
letters or more or the verbal noun -у, no voice, derivation or noun inflection (``ата`` gives no ``ат``,
``ақша`` no ``ақ``, ``оның`` no ``он``). Also given as stems: the dictionary form of a stem voiced before a
vowel (мектеб-і: ``мектеп``; шег-у: ``шек``), the й of a stem written into ю/я (сү-ю: ``сүй``), and the
vowel dropped before a possessive (орн-ы: ``орын``, халқ-ы: ``халық``). A few frequent function words
whose readings would make them meet content words are kept whole (``_WHOLE``: туралы is no тура+лы).

Words typed without Kazakh letters (``урындар`` for ``ұрыңдар``, ``олтириндер``) are read with the same
grammar folded to Russian letters (ң as н, і as и, ғ as г...), harmony told only by ы (back) and е (front).

Known gaps: the grammar reads form, not meaning, so homographs get every reading (``атамыз`` "our
grandfather" gives ``ат`` "shoot"; ``теңге`` is also тең+ге); irregular stems (де-/дейді, же-/жейді), the
suppletive pronouns (мен/маған), verb-forming suffixes (-ла, -лан, -лас: ``ұрла`` "steal" stays apart from
``ұр`` "hit", which is right) and vowel elision in verbs are not modelled; -ғы/-гі after a vowel is not read
(сабағы is сабақ+ы).
"""

from __future__ import annotations

import re
from functools import lru_cache

# The negation -ма/-ба/-па read as a suffix of the chain (ұрмаңдар: ұр) rather than kept in the stem
# (ұрмаңдар: ұрма). Kept in the stem by default: see the module's docstring.
NEGATION_IN_CHAIN = False

_VOWELS = "аәеоөұүыіэюя"  # the vowels a suffix chooses its variant after (и and у act as й, a consonant)
_STEM_VOWELS = _VOWELS + "иу"  # a stem has one of these
_BACK, _FRONT = "аоұыя", "әөүіеэ"
_KAZAKH_LETTERS = frozenset("әғқңөұүһі")
_CYRILLIC_WORD = re.compile("[\u0430-\u04ff]+")  # lowercase Cyrillic letters only
_FOLD = str.maketrans("әғқңөұүһі", "агкноуухи")

# The sound before a suffix, as look-behind classes.
_V = _VOWELS
_C = f"^{_VOWELS}"  # any consonant, и, у, й included (negated class)
_SONORANT = "рйуи"  # with the vowels, take the л- variants (сулар, үйлер, жерлер; but көлдер)
_NASAL = "мнң"
_ZH = "зж"
_VOICED = "л" + _SONORANT + _ZH + _NASAL
_VOICELESS = "кқпстфхцчшщбвгд"  # б в г д end loanwords (клубта) and sound voiceless there

_VL = _V + _SONORANT  # after a vowel or р й у и
_VD = _V + _VOICED  # after a vowel or a voiced consonant
_VLN = _VL + "л" + _NASAL  # -мен, -мын, -мыз, -ма: after a vowel, л р й у и or a nasal


def _after(letters: str) -> str:
    return f"(?<=[{letters}])" if letters else ""


def _alt(*parts: str) -> str:
    return "(?:" + "|".join(parts) + ")"


def _opt(part: str) -> str:
    return f"(?:{part})?"


class _Harmony:
    """The suffix variants of one harmony: ``self("лар/лер", context)`` is the back or the front one."""

    def __init__(self, back: bool) -> None:
        self.back = back

    def __call__(self, forms: str, letters: str = "") -> str:
        variants = forms.split("/")
        form = variants[0] if self.back or len(variants) == 1 else variants[1]
        return _after(letters) + form

    def one_of(self, *specs: tuple[str, str]) -> str:
        return _alt(*(self(forms, letters) for forms, letters in specs))


def _chain(back: bool) -> tuple[str, str]:
    """The chain of suffixes after a stem, for one harmony: (any stem, a stem of two letters)."""
    m = _Harmony(back)

    # ---- Nouns.
    plural = m.one_of(("лар/лер", _VL), ("дар/дер", "л" + _ZH + _NASAL), ("тар/тер", _VOICELESS))
    genitive = m.one_of(("ның/нің", _V + _NASAL), ("дың/дің", "л" + _SONORANT + _ZH), ("тың/тің", _VOICELESS))
    dative = m.one_of(("ға/ге", _VD), ("қа/ке", _VOICELESS))
    accusative = m.one_of(("ны/ні", _V), ("ды/ді", _VOICED), ("ты/ті", _VOICELESS))
    locative = m.one_of(("да/де", _VD), ("та/те", _VOICELESS))
    ablative = m.one_of(("дан/ден", _VL + "л" + _ZH), ("нан/нен", _NASAL), ("тан/тен", _VOICELESS))
    # The instrumental has one form in both harmonies (баламен, мектеппен), and a longer one (-менен).
    instrumental = m.one_of(
        ("мен", _VLN), ("менен", _VLN), ("бен", _ZH), ("бенен", _ZH), ("пен", _VOICELESS), ("пенен", _VOICELESS)
    )
    plain_case = _alt(genitive, dative, accusative, locative, ablative, instrumental)
    # The cases after the 3rd person possessive -ы/-сы (баласына, баласын, баласында, баласынан).
    after_third = _alt(m("ның/нің"), m("на/не"), m("нда/нде") + _opt(m("ғы/гі")), m("нан/нен"), m("н"), m("мен"))
    # -дағы "the one in", -нікі "the one of": nouns again, with a plural and a case.
    attributive = (
        _alt(
            m.one_of(("дағы/дегі", _VD), ("тағы/тегі", _VOICELESS)),
            m.one_of(("ныкі/нікі", _V + _NASAL), ("дыкі/дікі", "л" + _SONORANT + _ZH), ("тыкі/тікі", _VOICELESS)),
        )
        + _opt(plural)
        + _opt(_alt(plain_case, after_third))
    )
    # Equative -ша (қазақша) and similative -дай (баладай): after four letters at least (анаша is no ана+ша).
    manner = "(?<=[^\\W\\d_]{4})" + _alt(m("ша/ше"), m.one_of(("дай/дей", _VD), ("тай/тей", _VOICELESS)))
    case = _alt(plain_case, attributive)
    # After the 1st and 2nd singular -м/-ң: the dative is -а/-е (балама, мектебіңе), the rest as after a nasal.
    after_first = _alt(m("а/е"), genitive, accusative, locative, ablative, instrumental, attributive)
    # The predicate's person: оқушымын, дебилсің, батырмыз, кінәлісіңдер.
    predicate = _alt(
        m.one_of(("мын/мін", _VLN), ("бын/бін", _ZH), ("пын/пін", _VOICELESS)),
        m.one_of(("мыз/міз", _VLN), ("быз/біз", _ZH), ("пыз/піз", _VOICELESS)),
        m("сыңдар/сіңдер"),
        m("сыздар/сіздер"),
        m("сың/сің"),
        m("сыз/сіз"),
    )

    # Plural, then possessive and case (after the 1st plural and the polite 2nd, which end in з, the cases are
    # a noun's), or the predicate's person.
    inflection = _opt(plural) + _alt(
        m.one_of(("ым/ім", _C), ("м", _V), ("ың/ің", _C), ("ң", _V)) + _opt(after_first),
        m.one_of(("ы/і", _C), ("сы/сі", _V)) + _opt(_alt(after_third, m("ша/ше"))),
        _opt(m.one_of(("ымыз/іміз", _C), ("мыз/міз", _V), ("ыңыз/іңіз", _C), ("ңыз/ңіз", _V)))
        + _opt(_alt(case, manner)),
        predicate,
    )
    # Derivation, in its order: agent -шы, "without" -сыз or "with" -лы, abstract -лық, of a time -ғы; ordinals.
    derivation = _alt(
        _opt(m("шы/ші"))
        + _opt(_alt(m("сыз/сіз"), m.one_of(("лы/лі", _VL), ("ды/ді", "л" + _ZH + _NASAL), ("ты/ті", _VOICELESS))))
        + _opt(m.one_of(("лық/лік", _VL), ("дық/дік", "л" + _ZH + _NASAL), ("тық/тік", _VOICELESS)))
        + _opt(m.one_of(("ғы/гі", _VOICED), ("қы/кі", _VOICELESS))),
        m.one_of(("ыншы/інші", _C), ("ншы/нші", _V)),
    )
    noun = _opt(derivation) + inflection

    # ---- Verbs: voice, then a final form or a form that is a noun (inflected as one). The negation -ма/-ба/-па
    # stays in the stem (ұрма-ңдар "don't hit" keeps apart from ұр-ыңдар "hit"): what follows it is read as
    # after any vowel stem, and the converb -й and the future -с only after it (жазба-й, жазба-с).
    negated = "(?<=[мбп][ае])"
    present_person = _alt(
        m("мын/мін"), m("сыңдар/сіңдер"), m("сыздар/сіздер"), m("сың/сің"), m("сыз/сіз"), m("ды/ді"), m("мыз/міз")
    )
    past_person = _alt(m("ңыздар/ңіздер"), m("ңдар/ңдер"), m("ңыз/ңіз"), m("м"), m("ң"), m("қ/к"))
    voice = (
        _opt(m.one_of(("ыс/іс", _C), ("с", _V), ("ын/ін", _C), ("н", _V)))
        + "(?:"
        + m.one_of(("дыр/дір", _VOICED), ("тыр/тір", _VOICELESS + "лр"), ("ғыз/гіз", _VOICED), ("қыз/кіз", _VOICELESS))
        + "|"
        + m("т", _V)
        + "){0,2}"
        + _opt(m.one_of(("ыл/іл", _C), ("л", _V), ("ын/ін", _C), ("н", _V)))
    )
    # The forms that begin with a consonant, which ы/і verb stems take with their vowel (оқы-ды, оқ-у).
    consonantal = _alt(
        m.one_of(("ды/ді", _VD), ("ты/ті", _VOICELESS)) + _opt(past_person),  # жазды, жаздық
        m.one_of(("ған/ген", _VD), ("қан/кен", _VOICELESS)) + _opt(_alt(predicate, noun)),  # жазған, атқандар
        m.one_of(("мақ/мек", _VL + "л"), ("бақ/бек", _ZH + _NASAL), ("пақ/пек", _VOICELESS))
        + _alt(m("шы/ші") + _opt(predicate), predicate),  # жазбақшы, жазбақпын (bare, a noun: тамақ, ақымақ)
        m("п", _V) + _opt(_alt(m("ты/ті"), predicate)),  # ойнап, ойнапты
        m("са/се") + _opt(past_person),  # жазса, жазсаңдар
        _alt(
            m.one_of(("ңыздар/ңіздер", _V), ("ңыз/ңіз", _V), ("ңдар/ңдер", _V), ("йын/йін", _V), ("йық/йік", _V)),
            m("сын/сін"),
        )
        + _opt(m("шы/ші")),  # imperative after a vowel: ойнаңыз, ойнаңдар, жазсын, ойнайық
        m.one_of(("ғы/гі", _VD), ("қы/кі", _VOICELESS)) + _alt(m("м"), m("ңыз/ңіз"), m("ң"), m("сы/сі"), m("мыз/міз")),
        m.one_of(("ғалы/гелі", _VD), ("қалы/келі", _VOICELESS)),  # жазғалы
    )
    final = _alt(
        consonantal,
        m.one_of(("а/е", _C), ("й", _V), ("и", _C)) + present_person,  # жазады, ойнаймын, оқиды (ы+й)
        m("и", _C) + _alt(m("ын/ін"), m("ық/ік")),  # оқиын, оқиық: imperative of ы/і stems (ы+йын, ы+йық)
        _after(_V) + "я" + present_person,  # қояды: й+а
        m("ып/іп", _C) + _opt(_alt(m("ты/ті"), predicate)),  # жазып, жазыпты, жазыппын
        _alt(
            m.one_of(("ыңыздар/іңіздер", _C), ("ыңыз/іңіз", _C), ("ыңдар/іңдер", _C)),
            m.one_of(("айын/ейін", _C), ("айық/ейік", _C)),
        )
        + _opt(m("шы/ші")),  # imperative after a consonant: жазыңыз, жазыңдар, жазайық
        m("шы/ші"),  # жазшы, келші
        m.one_of(("ар/ер", _C), ("р", _V)) + _opt(predicate),  # future: жазар, жазармын
        m("у") + noun,  # жазу, жазуға, жазуы, жазушы
        _after(_V) + "ю" + noun,  # сүю: й+у
        m.one_of(("атын/етін", _C), ("йтын/йтін", _V), ("итын/итін", _C)) + noun,  # жазатын, оқитындар
        _after(_V) + "ятын" + noun,
        m.one_of(("ғыш/гіш", _VD), ("қыш/кіш", _VOICELESS)) + noun,  # жарылғыш, атқыштар
        negated + "й",  # жазбай
        negated + m("с") + _opt(predicate),  # жазбас, бармаспын
    )
    # With NEGATION_IN_CHAIN, the negation between the voice and the final form (ұр-ма-ңдар, оқ-ы-ма-ды).
    after_stem_vowel = consonantal
    if NEGATION_IN_CHAIN:
        negation = m.one_of(("ма/ме", _VL + "л"), ("ба/бе", _ZH + _NASAL), ("па/пе", _VOICELESS))
        after_stem_vowel = _alt(consonantal, negation + final)
        final = _alt(final, negation + final)
    # An ы/і verb stem is given without its vowel (оқ-, not оқы-): сат-ып is not read as саты-п.
    verb = _alt("(?<![ыі])" + voice + final, m("ы/і", _C) + after_stem_vowel)
    # A stem of two letters is a verb's root (ұр-, ат-, іш-, ал-): its inflection only, no voice or derivation.
    short = _alt(final, m("ы/і", _C) + after_stem_vowel)
    full = _alt(verb, noun)
    return full, short


def _compiled(*, folded: bool) -> dict[str, tuple[tuple[re.Pattern[str], re.Pattern[str]], ...]]:
    """Per harmony of the stem ('b', 'f', '' when it does not tell: both), the chain patterns to try, each
    a pair (any stem, a stem of two letters)."""
    patterns = {}
    for harmony, back in (("b", True), ("f", False)):
        sources = _chain(back=back)
        if folded:
            sources = tuple(source.translate(_FOLD) for source in sources)
        patterns[harmony] = (re.compile(sources[0]), re.compile(sources[1]))
    return {"b": (patterns["b"],), "f": (patterns["f"],), "": (patterns["b"], patterns["f"])}


_CHAINS = _compiled(folded=False)
_FOLDED_CHAINS = _compiled(folded=True)

# Frequent function words kept whole: their readings (тура+лы, тек+ін, бар+лық, ке+йін) would meet content words.
_WHOLE = frozenset({
    "туралы", "арқылы", "бойынша", "сияқты", "секілді", "тәрізді", "немесе", "жөнінде", "бірге", "кейін",
    "дейін", "шейін", "сайын", "ретінде", "тегін", "теңге", "барлық", "барлығы", "барлығын", "барлығына",
    "барлығымыз", "бірақ", "және", "үшін", "емес",
})  # fmt: skip

# The letters a chain may begin with: a split whose rest begins otherwise is no reading.
_FIRST = frozenset("аеыіиюяуйлдтнмбпсшғгқкрңз")
_DEVOICE = str.maketrans("бгғ", "пкқ")
# Vowel dropped before a possessive (орын/орны, халық/халқы, ауыз/аузы, ерін/ерні): the consonants around it.
_ELIDED = re.compile("[рлйуғ][нқкзм]$")


def _harmony(letters: str, *, folded: bool) -> str:
    """'b' or 'f' from the stem's last vowel that tells; '' when none does."""
    back, front = ("ы", "еэ") if folded else (_BACK, _FRONT)
    for letter in reversed(letters):
        if letter in back:
            return "b"
        if letter in front:
            return "f"
        if folded and letter in "аоуияю":
            return ""  # а may be ә, и may be і: a word typed without Kazakh letters tells little
    return ""


def _stems(stem: str, rest: str, *, folded: bool) -> list[str]:
    """A stem and the dictionary forms of it that the suffix hid."""
    stems = [stem]
    first = rest[0]
    if stem[-1] in "бгғ" and first in _STEM_VOWELS:
        stems.append(stem[:-1] + stem[-1].translate(_DEVOICE))  # мектеб-і, шег-у
    if first in "юя" and stem[-1] in _VOWELS:
        stems.append(stem + "й")  # сү-ю, қо-яды
    if first in "ыі" and _ELIDED.search(stem) and len(stem) >= 3:
        stems.append(stem[:-1] + first + stem[-1])  # орн-ы, халқ-ы
    return stems


_PRIVATIVE = ("сыз", "сіз")


@lru_cache(maxsize=100_000)
def kazakh_stems(word: str) -> frozenset[str]:
    """The candidate stems of a lowercase Cyrillic Kazakh word: every prefix read off a valid chain, and the word.

    A prefix counts when it has 2 letters or more and a vowel and the rest of the word is a chain of
    suffixes of ``_chain`` (a verb's chain after a stem of two letters). A word that is not Cyrillic
    letters, or a function word of ``_WHOLE``, comes back alone.
    """
    found = {word}
    if len(word) < 3 or word in _WHOLE or not _CYRILLIC_WORD.fullmatch(word):
        return frozenset(found)
    word = word.replace("ё", "е")
    folded = not _KAZAKH_LETTERS.intersection(word)
    for position in range(2, len(word)):
        stem, rest = word[:position], word[position:]
        if rest[0] not in _FIRST or not any(letter in _STEM_VOWELS for letter in stem):
            continue
        if position == 2 and len(rest) < 2 and rest not in "ую":
            continue
        # "Without" -сыз/-сіз turns a word into its opposite: зиянсыз (harmless) must not meet зиян (harm),
        # қауіпсіз (safe) қауіп (danger), есірткісіз (drug-free) есірткі.
        if rest.startswith(_PRIVATIVE):
            continue
        # What the look-behinds of a chain see of the stem: its last two letters, and whether four letters
        # come before the chain (-ша, -дай); "ъ" stands for letters no look-behind names.
        context = ("ъъ" if position >= 4 else "") + stem[-2:]
        if _is_chain(context, rest, _harmony(stem, folded=folded), folded=folded, short=position == 2):
            found.update(_stems(stem, rest, folded=folded))
    return frozenset(found)


@lru_cache(maxsize=100_000)
def _is_chain(context: str, rest: str, harmony: str, *, folded: bool, short: bool) -> bool:
    """Whether ``rest`` is a chain after a stem ending in ``context`` (the same endings recur in every text)."""
    text = context + rest
    chains = _FOLDED_CHAINS if folded else _CHAINS
    return any((pair[1] if short else pair[0]).fullmatch(text, len(context)) for pair in chains[harmony])
