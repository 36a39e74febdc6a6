"""Reads on the teachers' materials section (clause 3.2.5): materials by subject and teacher, filterable."""

from __future__ import annotations

from dataclasses import dataclass, field

from school_sections.translation import LANGUAGE_CODES, translated


@dataclass
class Subject:
    key: str  # the subject as the school names it (its default language first): the same in every language
    name: str  # the subject in the visitor's language, or the school's


@dataclass
class SubjectMaterials:
    subject: Subject
    materials: list = field(default_factory=list)  # the blocks' values, newest first


@dataclass
class TeachingMaterials:
    subjects: list[Subject]  # every subject of the section, for the filter
    teachers: list[str]  # every teacher, for the filter
    subject: str  # the chosen subject's key ("" for all)
    teacher: str  # the chosen teacher ("" for all)
    by_subject: list[SubjectMaterials]  # what the choice shows, grouped by subject in alphabetical order

    @property
    def filtered(self) -> bool:
        return bool(self.subject or self.teacher)


def _folded(text: str) -> str:
    return " ".join(text.split()).casefold()


def _subject_key(value, default_language: str) -> str:
    """The subject in the school's default language, else the first language that has it: a shared link
    (``?subject=…``) means the same subject to a visitor in any language."""
    for language in dict.fromkeys([default_language, *LANGUAGE_CODES]):
        if name := " ".join((value.get(f"subject_{language}") or "").split()):
            return name
    return ""


def teaching_materials(
    page, *, subject: str = "", teacher: str = "", default_language: str = "kk"
) -> TeachingMaterials:
    """The section's materials grouped by subject, narrowed to a subject and a teacher when given; an unknown
    subject or teacher in the address shows nothing rather than everything."""
    values = [child.value for child in page.materials]
    subjects: dict[str, Subject] = {}
    for value in values:
        key = _subject_key(value, default_language)
        if key and _folded(key) not in subjects:
            name = str(translated(value, "subject", default_language=default_language)) or key
            subjects[_folded(key)] = Subject(key, name)
    teachers = sorted(
        {" ".join(value["teacher"].split()) for value in values if value["teacher"].strip()}, key=_folded
    )
    groups: dict[str, SubjectMaterials] = {}
    for value in values:
        key = _folded(_subject_key(value, default_language))
        if (subject and key != _folded(subject)) or (teacher and _folded(value["teacher"]) != _folded(teacher)):
            continue
        groups.setdefault(key, SubjectMaterials(subjects.get(key, Subject("", "")))).materials.append(value)
    for group in groups.values():
        group.materials.sort(key=lambda value: value["date"], reverse=True)
    return TeachingMaterials(
        subjects=sorted(subjects.values(), key=lambda item: _folded(item.name)),
        teachers=teachers,
        subject=" ".join(subject.split()),
        teacher=" ".join(teacher.split()),
        by_subject=sorted(groups.values(), key=lambda group: _folded(group.subject.name)),
    )
