"""A Kazakh suffix stemmer: one search key for every inflected form of a word, from Kazakh grammar.

Kazakh is agglutinative: a word is a stem and a chain of suffixes in a fixed order (noun: plural,
possessive, case, person; verb: voice, negation, tense or participle, person). Each suffix has variants
chosen by vowel harmony (back а о ұ ы, front ә ө ү і е) and by the sound before it (vowel; л р й у; з ж;
м н ң; voiceless). ``stem`` strips suffixes from the end, the outermost first and the longest first, as
long as the variant fits the stem before it and a stem of a few letters with a vowel stays. The key is
for search, not display: it may cut more than a grammarian would, as long as every form of a word gets
the same key (``мектеп``, ``мектебіміздегі``: ``мектеп``; ``оқу``, ``оқиды``, ``оқымады``: ``оқ``).

Choices where the grammar is ambiguous (homographs a dictionary would resolve) are commented at the rule.
Derivational suffixes make other words and stay: -шы/-ші (``оқушы`` "pupil" keeps a key of its own,
``оқуш``, apart from ``оқу`` "to read", ``оқ``), -лық/-лік/-дық/-тық, -лы/-лі, -сыз/-сіз "without",
causatives (``өткізу`` "to hold" is not ``өту`` "to pass").

Known gaps (a dictionary would be needed): vowel elision (орын/орны, халық/халқы); the 1st and 2nd singular
possessive after a vowel (балам); the past 1st plural (келдік: -дық/-тық is also derivational); the -ар/-мас
future; short passives (ашылды, алынды, оқылды); homographs read one way (ақпарат+ын is cut as a participle
-атын, бала+мыз as a verb -амыз, жағдай+ды as -йды, мысал+ды as a passive, тест+і as -ті).
"""

import re
import unicodedata
from functools import lru_cache
from typing import NamedTuple

# One word: letters (any script) and digits, with combining marks of text that is not NFC; hyphens split.
WORD_PATTERN = re.compile(r"[^\W_](?:[^\W_]|[\u0300-\u036f])*")

_KAZAKH_WORD = re.compile(r"[а-яёәғқңөұүһі]+")
_VOWELS = "аәеиоөұүыіэюяу"  # у is a vowel for "the stem keeps a vowel"; as the sound before a suffix, a glide
_V = "аәеиоөұүыіэюя"  # vowels before a suffix
_BACK, _FRONT = "аоұыя", "әөүіеэ"

# What the stem must end with for a suffix variant (regular expressions matched at the end of the stem).
_CONTEXTS = {
    "": "",
    "V": f"[{_V}]",  # after a vowel
    "Vb": "[аәеоөұүэюя]",  # after a vowel but ы/і, whose stems take the -ы-/-і- variant anyway (ғылым ≠ ғылы+м)
    "C": f"[^{_V}]",  # after a consonant (у and й included)
    # After a consonant that is not the negation -ма/-ба/-па: жаз-ба-ды is past, not жазб-ады.
    "Cn": f"(?:[^{_V}мбп]|(?<![{_V}лрйу])м|(?<![зжмнң])б|(?<![кқпстфхцчшщ])п)",
    "AE": "[ае]",  # after the vowel of a verb stem in -а/-е (ы/і stems write ы+й as и)
    "VD": f"[{_V}лрйузжмнң]",  # after a vowel or a voiced consonant
    "D": "[лрйузжмнң]",  # after a voiced consonant
    "DL": "[лрйузж]",  # after a voiced consonant but a nasal
    "VN": f"[{_V}мнң]",  # after a vowel or a nasal
    "VDL": f"[{_V}лрйузж]",  # after a vowel or a voiced consonant but a nasal
    "LV": f"[{_V}лрйу]",  # after a vowel or л р й у
    "LVN": f"[{_V}лрйумнң]",  # after a vowel, л р й у or a nasal
    "LVNb": "[аәеиоөұүэюялрйумнң]",  # the same but ы/і
    "Z": "[лзжмнң]",  # after л, з, ж or a nasal
    "ZN": "[зжмнң]",
    "T": "[кқпстфхцчшщбвгд]",  # after a voiceless consonant (final б в г д of loanwords sound voiceless)
    "I": "[ыі]",  # after the 3rd person possessive -ы/-і/-сы/-сі
    "IN": "[ыімнң]",
    # -сы/-сі (3rd person possessive after a vowel) against the -ыс/-іс nouns (жұмыс-ы, жарыс-ы): the с
    # belongs to the stem unless -шы/-ші (agents), -қы/-кі or -ғы/-гі (жылқы, жарғы) come before it.
    "S": "(?:[аәеоөұүэюя]|[шқкғг][ыі])",
    # The converb -п of vowel stems, only after the verb-forming -ла/-да/-та (жарияла-п, баста-п, тоқта-п):
    # кітап, мектеп, есеп, жауап end in -п too.
    "P": "(?:[лд][ае]|[сқт]т[ае])",
}

_NOUN, _AMBIGUOUS, _VERB = "noun", "ambiguous", "verb"

# (variants, kind, context, shortest stem left). A noun suffix lets stripping go on; a verb suffix ends it
# on the verb stem; an ambiguous one (-ды: accusative or past) is a verb's only after a passive stem.
_SPEC: tuple[tuple[str, str, str, int], ...] = (
    # Nouns. Plural.
    ("лар лер", _NOUN, "LV", 2),
    ("дар дер", _NOUN, "Z", 2),
    ("тар тер", _NOUN, "T", 2),
    # Possessive. The 1st person -ым/-ім leaves 4 letters: білім, ғылым, ұйым, бөлім are words, not білі+м.
    # The 1st and 2nd singular after a vowel (балам, балаң, балама) stay: rare on a school's site, and
    # адам, әлем, көктем, қалам, өлең, кезең end the same way.
    ("ым ім", _NOUN, "C", 4),
    ("ың ің", _NOUN, "C", 3),
    ("ыңыз іңіз ыңдар іңдер", _NOUN, "C", 2),
    ("ңыз ңіз ңдар ңдер", _NOUN, "Vb", 3),
    ("ы і", _NOUN, "C", 2),
    ("сы сі", _NOUN, "S", 3),
    ("ымыз іміз", _NOUN, "C", 2),
    # Predicative person endings (оқушымын "I am a pupil"); 1st plural also the possessive after a vowel.
    ("мыз міз", _NOUN, "Vb", 3),
    ("мын мін", _NOUN, "LVNb", 2),  # not after ы/і: білім-і-н, мұғалім-і-н
    ("быз біз бын бін", _NOUN, "ZN", 3),
    ("пыз піз пын пін", _NOUN, "T", 2),
    ("сың сің", _NOUN, "", 2),
    # Cases. After a vowel the н-variants (баланы) look like a stem in -н with a possessive (ауданы = аудан+ы):
    # a final -н after a vowel goes as well (аудан, ауданы, ауданда: ауда), and both are kept off short stems.
    ("ның нің", _NOUN, "VN", 2),
    ("дың дің", _AMBIGUOUS, "DL", 2),
    ("тың тің", _NOUN, "T", 2),
    ("ны ні н", _NOUN, "V", 3),
    ("ды ді", _AMBIGUOUS, "D", 2),
    ("ты ті", _NOUN, "T", 2),
    ("ға ге", _NOUN, "VD", 2),
    ("қа ке", _NOUN, "T", 2),
    ("на не", _NOUN, "I", 3),
    ("да де", _NOUN, "VD", 2),
    ("та те", _NOUN, "T", 2),
    ("нда нде", _NOUN, "I", 3),
    ("дан ден", _NOUN, "VDL", 2),
    ("нан нен", _NOUN, "IN", 2),
    ("тан тен", _NOUN, "T", 2),
    ("мен менен", _NOUN, "LVN", 2),
    ("бен бенен", _NOUN, "ZN", 2),
    ("пен пенен", _NOUN, "T", 2),
    ("дағы дегі", _NOUN, "VD", 2),
    ("тағы тегі", _NOUN, "T", 2),
    ("ндағы ндегі", _NOUN, "I", 3),
    # Attributive -ғы/-гі (жазғы, қазіргі, жарғы) and the desire form (жазғым келеді); never after a
    # vowel, where -ғы is a stem in -қ with its possessive (сабағы = сабақ+ы).
    ("ғы гі", _NOUN, "D", 2),
    ("қы кі", _NOUN, "T", 2),
    # Verbs. Present -а/-е/-й with a person ending; the habitual participle -атын/-йтын; -и- is ы/і+й
    # (оқы+йды = оқиды). 1st plural and 2nd polite read as verbs: жазамыз, аласыз, not бала+мыз, бала+сыз.
    ("ады еді амын емін асың есің асыз есіз амыз еміз атын етін айық ейік", _VERB, "Cn", 2),
    # After а/е only: сүй-ді, қой-ды, үй-ді are a й stem with -ды. The accusative of nouns in -ай/-ей
    # (жағдайды) reads as a verb.
    ("йды йді ймын ймін йсың йсің йсыз йсіз ймыз йміз йық йік", _VERB, "AE", 2),
    ("йтын йтін", _VERB, "AE", 3),  # 3: сайт+ын is a noun
    ("иды иді имын имін исың исің исыз исіз имыз иміз итын итін иық иік", _VERB, "C", 2),
    # Past -ды/-ты with its person endings. After a vowel only a verb (the accusative is -ны there).
    ("ды ді дың дің дық дік", _VERB, "V", 2),
    ("дым дім дыңыз діңіз дыңдар діңдер", _VERB, "VD", 2),
    ("тым тім тыңыз тіңіз тыңдар тіңдер", _VERB, "T", 2),
    # Participle -ған (кен after a voiceless consonant only: үлкен "big" is no participle).
    ("ған ген", _VERB, "VD", 2),
    ("қан кен", _VERB, "T", 2),
    ("мақ мек", _VERB, "LV", 3),  # future of intention; 3 letters left: көмек, тамақ are nouns
    ("бақ бек", _VERB, "ZN", 3),
    ("пақ пек", _VERB, "T", 3),
    ("май мей", _VERB, "LV", 2),  # negative converb
    ("бай бей", _VERB, "ZN", 2),
    ("пай пей", _VERB, "T", 2),
    ("са се сам сем саң сең саңыз сеңіз сақ сек саңдар сеңдер", _VERB, "", 2),  # conditional
    ("сын сін", _VERB, "C", 2),  # 3rd person imperative; after a vowel -сы+н is a noun's
    ("ып іп ыпты іпті", _VERB, "C", 2),  # converb (and its evidential past)
    ("п пты пті", _VERB, "P", 3),
    ("у", _VERB, "", 2),  # verbal noun: оқу, жазу, жариялау (and the nouns made of it: байқау, қабылдау)
    ("ю", _VERB, "", 2),  # verbal noun of й stems: сүю, қою (ю = й+у, я = й+а)
    ("яды ямын ясың ясыз ямыз ятын", _VERB, "", 2),
    ("и", _VERB, "C", 2),  # converb -й of ы/і stems (оқи); also ғылыми, тарихи, ресми, to their nouns
)

# Words kept whole. Nouns that look like an inflected verb: in -ып/-іп, -п (converb), -ыл/-іл (passive).
# Numerals: their final vowel is no suffix (жеті "seven" is not жет-у "to reach", елу "fifty" not ел).
_NOUNS = frozenset({"сынып", "әріп", "кәсіп", "талап", "көңіл", "қызыл", "жасыл", "екі", "жеті", "елу"})

# A verb's voice: passive -ыл/-іл/-л, and -н/-ын/-ін after л and for some vowel stems (жарияла-н-ды).
_PASSIVES = tuple(
    (re.compile(pattern), cut, shortest)
    for pattern, cut, shortest in (
        (f"[^{_V}][ыі]л$", 2, 3),  # жаз-ыл, бер-іл, өткіз-іл (ауыл, ақыл: too short a stem)
        ("[аәеоөұүэюяи]л$", 1, 3),  # жаса-л, марапатта-л, жина-л
        ("[ыі]л$", 1, 4),
        ("л[ыі]н$", 2, 3),  # бөл-ін, сал-ын
        ("[лд][ае]н$", 1, 5),  # жарияла-н, қабылда-н (аудан is a noun)
        ("[ыіе]н$", 1, 4),  # үйре-н, көрі-н
    )
)
_NEGATION = re.compile(f"(?:(?<=[{_V}лрйу])м[ае]|(?<=[зжмнң])б[ае]|(?<=[кқпстфхцчшщ])п[ае])$")
_DEVOICE = str.maketrans("бгғ", "пкқ")  # мектеб-і, жүрег-і, сабағ-ы: the key has the dictionary form


class _Rule(NamedTuple):
    kind: str
    context: re.Pattern[str]
    shortest: int
    harmony: str


def _harmony(letters: str, *, last: bool = False) -> str:
    """'b' for back vowels, 'f' for front, '' when the letters have none that tell (и, у, ю, consonants)."""
    for letter in reversed(letters) if last else letters:
        if letter in _BACK:
            return "b"
        if letter in _FRONT:
            return "f"
    return ""


def _rules() -> dict[str, tuple[_Rule, ...]]:
    rules: dict[str, list[_Rule]] = {}
    for variants, kind, context, shortest in _SPEC:
        pattern = re.compile(f"(?:{_CONTEXTS[context]})$")
        for suffix in variants.split():
            # The instrumental -мен/-бен/-пен has no back variant (баламен, кітаппен).
            harmony = "" if suffix.endswith("ен") and suffix[0] in "мбп" else _harmony(suffix)
            rules.setdefault(suffix, []).append(_Rule(kind, pattern, shortest, harmony))
    return {suffix: tuple(found) for suffix, found in rules.items()}


_RULES = _rules()
_LONGEST = max(map(len, _RULES))


def _has_vowel(letters: str) -> bool:
    return any(letter in _VOWELS for letter in letters)


def _fits(rule: _Rule, suffix: str, rest: str) -> bool:
    if len(rest) < rule.shortest or not _has_vowel(rest) or not rule.context.search(rest):
        return False
    if any(noun.startswith(rest) and len(noun) > len(rest) and (rest + suffix).startswith(noun) for noun in _NOUNS):
        return False  # the suffix would cut into сынып (сыныпты is сынып+ты, not сын+ыпты)
    # A stem in -ын/-ін with 2 letters before it is a word (ойын, ақын, орын), not ой+ы+н: keep it.
    if suffix[0] == "н" and rest[-1] in "ыі" and len(rest) < 4:
        return False
    stem_harmony = _harmony(rest, last=True)
    return not (rule.harmony and stem_harmony and rule.harmony != stem_harmony)


def _strip_once(word: str) -> tuple[_Rule, str, str] | None:
    """The longest suffix that fits, with what is left of the word."""
    for length in range(min(_LONGEST, len(word) - 1), 0, -1):
        suffix, rest = word[-length:], word[:-length]
        for rule in _RULES.get(suffix, ()):
            if _fits(rule, suffix, rest):
                return rule, suffix, rest
    return None


def _passive(stem: str) -> str | None:
    if stem in _NOUNS:
        return None
    for pattern, cut, shortest in _PASSIVES:
        if pattern.search(stem) and len(stem) - cut >= shortest:
            return stem[:-cut]
    return None


def _verb_stem(stem: str) -> str:
    """The key of a verb stem: without negation and passive, and without a final vowel.

    Vowel stems lose the vowel (оқы-ды, оқ-у, оқ-иды: оқ; жарияла-ды, жариял-ады: one key), which makes
    the two readings of -ады (present of жаз-, past of жарияла-) meet.
    """
    negation = _NEGATION.search(stem)
    if negation and negation.start() >= 2 and _has_vowel(stem[: negation.start()]):
        stem = stem[: negation.start()]
    while True:
        if stem[-1] in "аеыіи" and len(stem) > 2 and _has_vowel(stem[:-1]):
            stem = stem[:-1]
            continue
        active = _passive(stem)
        if active is None:
            return stem
        stem = active


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """The search key of one word: lowercase, without inflectional suffixes, stem-final б/г/ғ as п/к/қ.

    Words that are not Cyrillic letters (digits, Latin) come back lowercased and otherwise unchanged.
    """
    word = unicodedata.normalize("NFC", word).lower()
    if "-" in word:
        return "-".join(stem(part) for part in word.split("-") if part) or word
    if not _KAZAKH_WORD.fullmatch(word):
        return word
    key = _devoiced(word.replace("ё", "е"))
    while key not in _NOUNS and (found := _strip_once(key)):
        rule, suffix, rest = found
        rest = _devoiced(rest) + ("й" if suffix[0] in "юя" else "")  # қою = қой+у, қояды = қой+а+ды
        if rule.kind == _VERB or (rule.kind == _AMBIGUOUS and _passive(rest) is not None):
            return _devoiced(_verb_stem(rest))
        key = rest
    return key


def _devoiced(letters: str) -> str:
    return letters[:-1] + letters[-1].translate(_DEVOICE)


def stems(text: str) -> list[str]:
    """The key of every word of a text, in order (a hyphenated word counts as its parts)."""
    return [stem(match.group()) for match in WORD_PATTERN.finditer(text)]
