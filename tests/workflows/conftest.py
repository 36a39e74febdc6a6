"""Helpers for the publishing rules: a prohibited example from the corpus, a news draft."""

from school_sections.models import NewsIndexPage, NewsPage
from workflows.screening.corpus import DEFAULT_CORPUS, corpus_examples


def prohibited_example(clause: str, language: str) -> str:
    return corpus_examples(DEFAULT_CORPUS / "prohibited" / f"{clause}.{language}.txt")[0]


def news_draft(author, *, title="School news", intro="<p>The school choir won the city contest.</p>"):
    """A news item drafted (not published) by ``author``, as the editor saves it."""
    index = NewsIndexPage.objects.get()
    page = index.add_child(instance=NewsPage(title=title, title_en=title, body_en=intro, live=False, owner=author))
    page.save_revision(user=author)
    return page
