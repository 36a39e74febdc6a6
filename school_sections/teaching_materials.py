"""Reads on the teachers' materials section (clause 3.2.5): materials by subject and teacher, filterable."""

from __future__ import annotations

from dataclasses import dataclass, field

from school_sections.translation import translated


@dataclass
class SubjectMaterials:
    subject: str
    materials: list = field(default_factory=list)  # the blocks' values, newest first


@dataclass
class TeachingMaterials:
    subjects: list[str]  # every subject of the section, in the visitor's language, for the filter
    teachers: list[str]  # every teacher, for the filter
    subject: str  # the chosen subject ("" for all)
    teacher: str  # the chosen teacher ("" for all)
    by_subject: list[SubjectMaterials]  # what the choice shows, grouped by subject in alphabetical order

    @property
    def filtered(self) -> bool:
        return bool(self.subject or self.teacher)


def _key(text: str) -> str:
    return " ".join(text.split()).casefold()


def teaching_materials(
    page, *, subject: str = "", teacher: str = "", default_language: str = "kk"
) -> TeachingMaterials:
    """The section's materials grouped by subject (named in the visitor's language), narrowed to a subject
    and a teacher when given; an unknown subject or teacher in the address shows nothing rather than all."""
    values = [child.value for child in page.materials]
    named = [(str(translated(value, "subject", default_language=default_language)), value) for value in values]
    subjects = sorted({name for name, _value in named if name}, key=_key)
    teachers = sorted({" ".join(value["teacher"].split()) for value in values if value["teacher"].strip()}, key=_key)
    groups: dict[str, SubjectMaterials] = {}
    for name, value in named:
        if subject and _key(name) != _key(subject):
            continue
        if teacher and _key(value["teacher"]) != _key(teacher):
            continue
        groups.setdefault(_key(name), SubjectMaterials(name)).materials.append(value)
    for group in groups.values():
        group.materials.sort(key=lambda value: value["date"], reverse=True)
    return TeachingMaterials(
        subjects=subjects,
        teachers=teachers,
        subject=subject.strip(),
        teacher=teacher.strip(),
        by_subject=[groups[key] for key in sorted(groups)],
    )
