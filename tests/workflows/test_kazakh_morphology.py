"""The Kazakh reducer of screening (workflows.screening.kazakh): real paradigms meet their dictionary form,
unrelated words do not meet, and the grammar of suffix chains is not "any sequence of any suffixes"."""

import time

import pytest

from workflows.screening.kazakh import NEGATION_IN_CHAIN, kazakh_stems
from workflows.screening.words import rule_word_keys, text_words, word_keys

# Verbs: the dictionary form (verbal noun -у), the stem every form must have, and the forms: present
# (1sg, 3, 1pl), past (3, 1pl), imperative 2pl and polite 2sg, 3rd person, 1pl, participles (past, habitual),
# converb, conditional, verbal noun in the dative; then the passive or other forms where they exist.
VERBS = {
    ("ұру", "ұр"): "ұрамын ұрасың ұрады ұрамыз ұрасыңдар ұрдым ұрды ұрдық ұрыңдар ұрыңыз ұрсын ұрайық ұрған "
    "ұрғандар ұратын ұрып ұрса ұруға ұруы ұрмақшы",
    ("өлтіру", "өлтір"): "өлтіремін өлтіреді өлтіреміз өлтірді өлтірдік өлтіріңдер өлтіріңіз өлтірсін өлтірейік "
    "өлтірген өлтіретін өлтіріп өлтірсе өлтіруге өлтірілді өлтірушілер",
    ("сату", "сат"): "сатамын сатады сатамыз сатты саттық сатыңдар сатыңыз сатсын сатайық сатқан сататын сатып "
    "сатса сатуға сатылады сатушы",
    ("беру", "бер"): "беремін береді береміз берді бердік беріңдер беріңіз берсін берейік берген беретін беріп "
    "берсе беруге берілді",
    ("алу", "ал"): "аламын алады аламыз алды алдық алыңдар алыңыз алсын алайық алған алатын алып алса алуға",
    ("ішу", "іш"): "ішемін ішеді ішеміз ішті іштік ішіңдер ішіңіз ішсін ішейік ішкен ішетін ішіп ішсе ішуге",
    ("шегу", "шек"): "шегемін шегеді шегеміз шекті шектік шегіңдер шегіңіз шексін шегейік шеккен шегетін шегіп "
    "шексе шегуге",
    ("жіберу", "жібер"): "жіберемін жібереді жібереміз жіберді жібердік жіберіңдер жіберіңіз жіберсін жіберейік "
    "жіберген жіберетін жіберіп жіберсе жіберуге жіберші",
    ("қорқыту", "қорқыт"): "қорқытамын қорқытады қорқытамыз қорқытты қорқыттық қорқытыңдар қорқытыңыз қорқытсын "
    "қорқытайық қорқытқан қорқытатын қорқытып қорқытса қорқытуға",
    ("ату", "ат"): "атамын атады атамыз атты аттық атыңдар атыңыз атсын атайық атқан атқандар ататын атып атса атуға",
    ("жару", "жар"): "жарамын жарады жарамыз жарды жардық жарыңдар жарыңыз жарсын жарайық жарған жаратын жарып "
    "жарса жаруға жарылғыш",
    ("өртеу", "өрте"): "өртеймін өртейді өртейміз өртеді өртедік өртеңдер өртеңіз өртесін өртейік өртеген "
    "өртейтін өртеп өртесе өртеуге",
    ("оқу", "оқ"): "оқимын оқиды оқимыз оқыды оқыдық оқыңдар оқыңыз оқысын оқиық оқыған оқитын оқып оқыса оқуға",
}

# Negative verbs: the negation -ма/-ба/-па, and what the negated forms share.
NEGATIVES = {
    ("ұру", "ұрмау", "ұрма"): "ұрмаймын ұрмайды ұрмады ұрмаңдар ұрмаңыз ұрмасын ұрмаған ұрмай ұрмас",
    ("ішу", "ішпеу", "ішпе"): "ішпеймін ішпейді ішпеді ішпеңдер ішпеңіз ішпесін ішпеген ішпей",
    ("ату", "атпау", "атпа"): "атпаймын атпайды атпады атпаңдар атпасын атпаған атпай",
    ("беру", "бермеу", "берме"): "бермеймін бермейді бермеді бермеңдер бермесін бермеген бермей бермес",
    ("жазу", "жазбау", "жазба"): "жазбаймын жазбайды жазбады жазбаңдар жазбасын жазбаған жазбай жазбас",
    ("өртеу", "өртемеу", "өртеме"): "өртемеймін өртемейді өртемеді өртемеңдер өртемесін өртемеген",
}

# Nouns: the dictionary form and its forms: plural, possessive (1sg, 2sg, 3, 1pl, polite 2), all cases
# (genitive, dative, accusative, locative, ablative, instrumental), and a few chains.
NOUNS = {
    "есірткі": "есірткілер есірткім есірткің есірткісі есірткіміз есірткіңіз есірткінің есірткіге есірткіні "
    "есірткіде есірткіден есірткімен есірткілерді есірткісін есірткісіне есірткісінен",
    "мұғалім": "мұғалімдер мұғалімім мұғалімің мұғалімі мұғаліміміз мұғаліміңіз мұғалімнің мұғалімге "
    "мұғалімді мұғалімде мұғалімнен мұғаліммен мұғалімдерге мұғалімдеріміз мұғаліміне мұғалімін мұғаліммін",
    "оқушы": "оқушылар оқушым оқушың оқушысы оқушымыз оқушыңыз оқушының оқушыға оқушыны оқушыда оқушыдан "
    "оқушымен оқушыларға оқушыларымыз оқушысына оқушысын оқушымын",
    "ақша": "ақшалар ақшам ақшаң ақшасы ақшамыз ақшаңыз ақшаның ақшаға ақшаны ақшада ақшадан ақшамен ақшаңды ақшасын",
    "диплом": "дипломдар дипломым дипломың дипломы дипломымыз дипломның дипломға дипломды дипломда дипломнан "
    "дипломмен дипломын дипломдарды",
    "анықтама": "анықтамалар анықтамам анықтамасы анықтамамыз анықтаманың анықтамаға анықтаманы анықтамада "
    "анықтамадан анықтамамен анықтамасын",
    "мектеп": "мектептер мектебім мектебің мектебі мектебіміз мектептің мектепке мектепті мектепте мектептен "
    "мектеппен мектебімізде мектептегі мектептегілер мектебіне мектебінде",
    "бала": "балалар балам балаң баласы баламыз балаңыз баланың балаға баланы балада баладан баламен балаларға "
    "балаңызды баласына",
}


def _cases(table):
    return [(key, form) for key, forms in table.items() for form in forms.split()]


@pytest.mark.parametrize(("verb", "form"), _cases(VERBS))
def test_a_verbs_forms_share_its_stem_with_the_dictionary_form(verb, form):
    dictionary, stem = verb
    assert stem in kazakh_stems(dictionary), (dictionary, sorted(kazakh_stems(dictionary)))
    assert stem in kazakh_stems(form), (form, sorted(kazakh_stems(form)))


@pytest.mark.parametrize(("verb", "form"), _cases(NEGATIVES))
def test_a_negated_verb_keeps_its_negation(verb, form):
    dictionary, negated, stem = verb
    if NEGATION_IN_CHAIN:
        assert kazakh_stems(form) & kazakh_stems(dictionary), (form, sorted(kazakh_stems(form)))
        return
    # "Don't hit" is not "hit": the negated forms meet each other, not the positive ones.
    assert stem in kazakh_stems(negated)
    assert stem in kazakh_stems(form), (form, sorted(kazakh_stems(form)))
    positive = kazakh_stems(dictionary) - {dictionary}
    assert not positive & kazakh_stems(form), (form, sorted(positive & kazakh_stems(form)))


@pytest.mark.parametrize(("noun", "form"), _cases(NOUNS))
def test_a_nouns_forms_share_the_dictionary_form(noun, form):
    assert noun in kazakh_stems(form), (form, sorted(kazakh_stems(form)))


@pytest.mark.parametrize(
    ("word", "stem"),
    [
        ("ақшаңды", "ақша"),  # 2sg possessive after a vowel, then the accusative
        ("дипломын", "диплом"),  # 3rd possessive, then the accusative -н
        ("мектебімізде", "мектеп"),  # stem voiced before a vowel: the dictionary form comes back
        ("сабағында", "сабақ"),
        ("жүрегі", "жүрек"),
        ("орны", "орын"),  # vowel dropped before a possessive
        ("халқы", "халық"),
        ("сүю", "сүй"),  # ю is й+у
        ("қояды", "қой"),  # я is й+а
        ("қазақша", "қазақ"),  # equative
        ("мектептегілерге", "мектеп"),  # attributive -тегі, a noun again
        ("сіздікі", "сіз"),
        ("жарылғыш", "жар"),  # passive + -ғыш
        ("алғыңыз", "ал"),  # desire: -ғы + possessive
        ("бесінші", "бес"),  # ordinal
        ("оқушымын", "оқушы"),  # predicate's person
        ("дебилсің", "дебил"),
        ("урындар", "ур"),  # typed without Kazakh letters (ұрыңдар)
        ("олтириндер", "олтир"),  # (өлтіріңдер)
        ("согындар", "сог"),  # (соғыңдар)
    ],
)
def test_inflected_words_give_their_stem(word, stem):
    assert stem in kazakh_stems(word), sorted(kazakh_stems(word))


@pytest.mark.parametrize(
    ("word", "other"),
    [
        ("ұрпақ", "ұру"),  # generation: no ұр+пақ (-пақ follows a voiceless consonant only)
        ("сабақ", "сабау"),  # lesson, to beat
        ("балық", "бала"),  # fish, child
        ("қазақ", "қазу"),  # Kazakh, to dig
        ("ақымақ", "ақылы"),  # fool, paid: the bare future -мақ is not read (тамақ, бармақ are nouns)
        ("бармақ", "барамын"),  # finger, I go
        ("жарық", "жарамыз"),  # light, we blow up
        ("атақ", "атамыз"),  # fame, we shoot
        ("жеңіл", "жеңу"),  # light (weight), to win: a voice suffix alone is not read
        ("қызыл", "қыздар"),  # red, girls
        ("түрме", "түрі"),  # prison, its kind: the negation stays in the stem
        ("өлең", "өлу"),  # poem, to die
        ("жаңа", "жаңбыр"),  # new, rain: the converb -а alone is not read
        ("ішік", "ішу"),  # fur coat, to drink
        ("көмек", "көмір"),  # help, coal
        ("туралы", "тура"),  # "about", a function word kept whole
        ("тегін", "тек"),  # free, only
        ("анаша", "аналар"),  # cannabis, mothers: -ша after four letters only
    ],
)
def test_unrelated_words_share_no_stem_of_three_letters(word, other):
    shared = {stem for stem in kazakh_stems(word) & kazakh_stems(other) if len(stem) >= 3}
    assert not shared, (word, other, sorted(shared))


def test_a_verb_stem_in_a_high_vowel_is_given_without_it():
    assert "саты" not in kazakh_stems("сатып")  # сат-ып, not саты-п
    assert "оқы" not in kazakh_stems("оқыды")  # оқ-ы-ды: the stem of оқу, оқиды


@pytest.mark.parametrize(("word", "root"), [("ұрпақ", "ұр"), ("өлең", "өл"), ("өлке", "өл"), ("ата", "ат")])
def test_a_root_of_two_letters_comes_only_before_a_verbs_ending(word, root):
    assert root not in kazakh_stems(word), sorted(kazakh_stems(word))


@pytest.mark.parametrize(("word", "root"), [("ақша", "ақ"), ("оның", "он"), ("ақылы", "ақ"), ("ұрысу", "ұр")])
def test_a_root_of_two_letters_takes_no_noun_inflection_derivation_or_voice(word, root):
    assert root not in kazakh_stems(word), sorted(kazakh_stems(word))


@pytest.mark.parametrize("word", ["абвгдеж", "бвгджзк", "school", "дипл0м", "ұ", "ат"])
def test_a_string_that_is_no_kazakh_word_yields_only_itself(word):
    assert kazakh_stems(word) == {word}


def test_harmony_and_assimilation_are_checked():
    assert "жаз" not in kazakh_stems("жазлар")  # after з the plural is -дар
    assert "мектеп" not in kazakh_stems("мектепга")  # after п the dative is -ке
    assert "кітап" not in kazakh_stems("кітапке")  # back stem, front suffix
    assert "бала" not in kazakh_stems("баладер")  # back stem, front suffix
    assert "қыз" not in kazakh_stems("қызпен")  # after з the instrumental is -бен
    assert "ұр" not in kazakh_stems("ұрбады")  # after р the negation is -ма


def test_rules_and_texts_meet_through_the_stems():
    def meets(rule_word, text):
        (word,) = text_words(text)
        return bool(word.keys & rule_word_keys(rule_word))

    assert meets("өлтіру", "өлтіріңдер")
    assert meets("сату", "сатамыз")
    assert meets("ұр", "ұрамыз")  # a rule that means a root of two letters writes it
    assert meets("ақшаңды", "ақшасын")
    assert not meets("ұрпақ", "ұрамыз")


def test_without_is_not_read_off_its_noun():
    """ "Without" -сыз/-сіз makes the opposite word: harmless is not harm, safe is not danger."""
    assert word_keys("зиянсыз").isdisjoint(rule_word_keys("зиян"))
    assert word_keys("қауіпсіз").isdisjoint(rule_word_keys("қауіп"))


def test_the_keys_of_the_russian_and_english_words_are_left_alone():
    assert word_keys("ученики") == {"ученики", "ученик"}
    assert word_keys("schools") == {"schools", "school"}


def test_a_page_of_kazakh_words_is_reduced_in_a_few_milliseconds():
    words = [form for forms in (*VERBS.values(), *NOUNS.values()) for form in forms.split()]
    kazakh_stems.cache_clear()
    started = time.perf_counter()
    for word in words:
        kazakh_stems(word)
    per_word = (time.perf_counter() - started) / len(words)
    assert per_word < 0.001, f"{per_word * 1e6:.0f} µs a word"
