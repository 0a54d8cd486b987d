"""De-roling from the roles actually played: each player steps out of each role, by name.

The list is built from the session's facts, never from the scenario alone:

- every role a person held while the scene was played (an action phase), as dealt, chosen by
  hand, swapped or reversed by a `role-reversal` phase (`SessionState.played`), and the role they
  hold now;
- roles lent by techniques (core/techniques.py): in a role reversal each of the two played the
  other's role; a mirror played the protagonist; a double was the protagonist's double.

In a phase of kind `de-roling` the trainer marks who has stepped out (`deroled NAME [ROLE]`, a
tick per person on the console); each is logged as `de_roled`, and the report says who did.
The sentence the group hears ("Ana, you are no longer Alex; you are Ana") is the console's, in
the session's language; here are only the facts.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from roleplay.core.i18n import _
from roleplay.core.state import CommandError, SessionState
from roleplay.core.techniques import TECHNIQUES

DOUBLE = "double"  # the key of having been someone's double (role ids are the scenario's)


@dataclass
class RoleToLeave:
    participant: str
    key: str  # a role id, or DOUBLE
    role: str  # the role's name in the session's language ("" for a double)
    doubled: list[str] = field(default_factory=list)  # for a double: whom they doubled
    via: list[str] = field(default_factory=list)  # techniques that lent it; empty: they held the role
    done: bool = False

    def described(self) -> str:
        """For the report: "Alex (through role reversal)", "double of Ana"."""
        text = _("double of {names}").format(names=", ".join(self.doubled)) if self.key == DOUBLE else self.role
        lent = [str(TECHNIQUES[t].name).lower() for t in self.via if t in TECHNIQUES]
        return _("{role} (through {techniques})").format(role=text, techniques=", ".join(lent)) if lent else text


@dataclass
class PersonToDerole:
    participant: str
    roles: list[RoleToLeave]

    @property
    def done(self) -> bool:
        return all(r.done for r in self.roles)


def roles_to_leave(session: SessionState) -> list[PersonToDerole]:
    """Everyone who played a role, in the order of the participants, with their roles in the order taken."""
    found: dict[str, dict[str, RoleToLeave]] = {name: {} for name in session.participants}

    def add(name: str, role_id: str | None, via: str | None = None) -> None:
        if not role_id or name not in found:
            return
        item = found[name].get(role_id)
        if item is None:
            item = found[name][role_id] = RoleToLeave(name, role_id, session.role_name(role_id), via=[via] if via else [])
        elif via and item.via and via not in item.via:
            item.via.append(via)  # a role they held themselves stays theirs, whatever lent it again

    for name in session.participants:
        for role_id in [*session.played.get(name, []), session.roles.get(name)]:
            add(name, role_id)
    for used in session.techniques:
        technique = TECHNIQUES.get(used["technique"])
        who, roles = used["who"], used.get("roles", {})
        if technique is None or len(who) < 2:
            continue
        first, helpers = who[0], who[1:]
        if technique.lends == "swap":
            add(first, roles.get(helpers[0]), technique.id)
            add(helpers[0], roles.get(first), technique.id)
        elif technique.lends == "first":
            for name in helpers:
                add(name, roles.get(first), technique.id)
        elif technique.lends == "double":
            for name in helpers:
                if name not in found:
                    continue
                double = found[name].setdefault(DOUBLE, RoleToLeave(name, DOUBLE, "", via=[technique.id]))
                if first not in double.doubled:
                    double.doubled.append(first)
    done = set(session.deroled)
    people = []
    for name, items in found.items():
        for item in items.values():
            item.done = (name, item.key) in done
        if items:
            people.append(PersonToDerole(name, list(items.values())))
    return people


def check_step_out(session: SessionState, name: str, role: str | None) -> list[str]:
    """The role keys `name` steps out of now (`role` None: all they have not left yet); else CommandError."""
    phase = session.current
    if phase.kind != "de-roling":
        raise CommandError(_("stepping out of roles is marked in a de-roling phase; '{phase}' is a phase of kind {kind}").format(
            phase=session.phase, kind=phase.kind))
    person = next((p for p in roles_to_leave(session) if p.participant == name), None)
    if person is None:
        raise CommandError(_("{name} played no role to step out of").format(name=name))
    if role is None:
        left = [r.key for r in person.roles if not r.done]
        if not left:
            raise CommandError(_("{name} has stepped out of every role already").format(name=name))
        return left
    wanted = role.strip().casefold()
    item = next((r for r in person.roles if wanted in (r.key.casefold(), r.role.casefold())), None)
    if item is None:
        raise CommandError(_("{name} did not play '{role}' (roles to step out of: {roles})").format(
            name=name, role=role, roles=", ".join(r.key for r in person.roles)))
    if item.done:
        if item.key == DOUBLE:
            raise CommandError(_("{name} has stepped out of being a double already").format(name=name))
        raise CommandError(_("{name} has stepped out of {role} already").format(name=name, role=item.role))
    return [item.key]
