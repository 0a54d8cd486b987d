"""The trainer's checklist before the first exercise of the day, and the conduct it reminds of.

It follows the course's notes for trainers (seeds/002, "notes for trainers", points 1-6): a venue
that is accessible, easy to find and equipped, with space for group work and help with language
and reading; a trusting atmosphere, built from group rules the group agrees on and from trainers
who show no stigma, respect every opinion and listen with empathy rather than preach; no rushing,
time for questions, kept breaks and an ending on time; room for every voice in a mixed group;
confidentiality; and two routes of quality control, the anonymous complaint procedure and the
quality-control sheet. The texts are the program's own words (N_: translated where shown).
"""

from __future__ import annotations

from dataclasses import dataclass

from roleplay.core.i18n import N_, LazyText


@dataclass(frozen=True)
class Check:
    id: str
    title: LazyText
    text: LazyText


CHECKLIST: tuple[Check, ...] = (
    Check("room", N_("The room"), N_(
        "It is accessible and easy to find, with signs if people need them. The projector, the flipchart and "
        "whatever else you need work. There is space to move for group work, and a quiet place for anyone who needs a pause.")),
    Check("language", N_("Language and reading"), N_(
        "You know who may find the language or the written material hard, and how you will help: "
        "reading aloud, simpler words, a neighbour who translates.")),
    Check("rules", N_("Group rules"), N_(
        "You will agree the group's rules together at the start: what is said here stays here, everyone takes part "
        "by choice, and anyone can stop a scene by saying 'time-out' or making a T with their hands.")),
    Check("respect", N_("Respect, no stigma"), N_(
        "Nothing in your words or manner stigmatises anyone. Opinions that differ from the material are welcome: "
        "you share what the course has learned, you do not preach, and you listen with empathy.")),
    Check("no-rush", N_("No rushing"), N_(
        "The plan leaves time for questions and reflection. When you invite questions, wait for them: "
        "a good discussion matters more than getting through every slide.")),
    Check("breaks", N_("Breaks and ending"), N_("Breaks are in the plan and you keep them; the session ends on time.")),
    Check("every-voice", N_("Every voice"), N_(
        "In a mixed group (people with lived experience, relatives, professionals) you make room for everyone: "
        "every kind of experience counts the same.")),
    Check("confidentiality", N_("Confidentiality"), N_(
        "Everyone knows that what is shared stays with the group, and how recordings are kept, who may watch them "
        "and when they are deleted.")),
    Check("complaints", N_("Complaints and the quality sheet"), N_(
        "Everyone knows the anonymous complaint procedure, and that each session ends with the anonymous "
        "quality-control sheet.")),
)
