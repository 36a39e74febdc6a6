"""What screening reads of a document: a reader's whole text, words not glued or split by the format."""

import io
import zipfile

from workflows.screening.documents import _hyphenation_joined, file_text

W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def _docx(members: dict[str, str]) -> io.BytesIO:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, xml in members.items():
            archive.writestr(name, f'<?xml version="1.0"?><w:document {W}>{xml}</w:document>')
    buffer.seek(0)
    return buffer


def test_footnotes_endnotes_and_comments_are_read_with_the_body():
    text = file_text(
        _docx(
            {
                "word/document.xml": "<w:p><w:r><w:t>Школа жаңалықтары</w:t></w:r></w:p>",
                "word/footnotes.xml": "<w:p><w:r><w:t>Сноска: реклама магазина</w:t></w:r></w:p>",
                "word/endnotes.xml": "<w:p><w:r><w:t>Endnote text</w:t></w:r></w:p>",
                "word/comments.xml": "<w:p><w:r><w:t>A comment</w:t></w:r></w:p>",
            }
        ),
        "docx",
    )
    for part in ("Школа жаңалықтары", "Сноска: реклама магазина", "Endnote text", "A comment"):
        assert part in text


def test_tabs_and_line_breaks_keep_words_apart():
    run = "<w:t>купить</w:t><w:tab/><w:t>справку</w:t><w:br/><w:t>дёшево</w:t>"
    text = file_text(_docx({"word/document.xml": f"<w:p><w:r>{run}</w:r></w:p>"}), "docx")
    assert "купить справку\nдёшево" in text


def test_a_word_hyphenated_at_a_line_end_is_one_word_again():
    assert _hyphenation_joined("Продаём нарко-\nтики и спайс-\n  микс") == "Продаём наркотики и спайсмикс"
    assert _hyphenation_joined("город Алма-\nАта") == "город Алма-\nАта"  # a capital: a hyphenated name
    assert _hyphenation_joined("в 2025-\n2026 году") == "в 2025-\n2026 году"
