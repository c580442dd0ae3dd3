"""Fault test (issue 13): two people edit the same case's plan — its texts, an intervention,
the sub-goals — and a contact at once, on SQLite and on PostgreSQL.

Each person is a thread with its own connection to the database (peewee keeps one connection
per thread), running the real use cases. A seeded random scheduler interleaves their steps —
load, edit, save — and sometimes lets both save at the very same moment. After every save the
stored state is checked against what was confirmed:

- a save that returned success is in the database, until a later confirmed save of the same
  field replaces it (0 lost updates, checked after every step and at the end);
- a save that was refused said so as a conflict, carrying the stored value and mine;
- a save of a different field of a record someone changed since it was loaded merges.
"""

from __future__ import annotations

import dataclasses
import queue
import random
import threading
from collections.abc import Callable
from typing import Any

import peewee

from sipdesk.casework import contacts
from sipdesk.errors import ConflictError, FieldConflict
from sipdesk.plans import plan
from sipdesk.plans.plan import InterventionInput
from sipdesk.storage.db import database
from sipdesk.storage.models import User
from tests.faults.conftest import size
from tests.plan_scenarios import fill, plan_world, principal

PLAN_FIELDS = ("current_situation", "main_goal", "what_matters")
INTERVENTION_FIELDS = ("what", "how_often")
CONTACT_FIELDS = ("role", "phone")
WAIT_S = 60  # a step that takes longer than this has hung


class Client:
    """One person at their own PC: a thread with its own database connection."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.jobs: queue.Queue[tuple[Callable[[], Any], queue.Queue[Any]] | None] = (
            queue.Queue())
        self.thread = threading.Thread(target=self._run, name=f"client-{name}", daemon=True)
        self.thread.start()

    def _run(self) -> None:
        while (job := self.jobs.get()) is not None:
            work, answer = job
            try:
                answer.put((True, work()))
            except Exception as exc:  # handed to the test thread, which decides
                answer.put((False, exc))
        database.close()  # this thread's own connection

    def start(self, work: Callable[[], Any]) -> queue.Queue[Any]:
        answer: queue.Queue[Any] = queue.Queue()
        self.jobs.put((work, answer))
        return answer

    @staticmethod
    def result(answer: queue.Queue[Any]) -> tuple[bool, Any]:
        return answer.get(timeout=WAIT_S)

    def call(self, work: Callable[[], Any]) -> Any:
        ok, value = self.result(self.start(work))
        if not ok:
            raise value
        return value

    def stop(self) -> None:
        self.jobs.put(None)
        self.thread.join(timeout=WAIT_S)


@dataclasses.dataclass
class Edit:
    """One person's edit in progress: loaded, then changed, then saved."""

    record: str  # "plan", "intervention", "sub_goals", "contact"
    field: str
    loaded: Any
    new: Any
    save: Callable[[], FieldConflict | None]
    seen: int  # the record's confirmed saves when it was loaded (to count merges)


class World:
    """The shared case, what each save confirmed, and the figures."""

    def __init__(self) -> None:
        w = plan_world()
        self.plan = fill(w)
        self.users = {"a": w["officer"], "b": w["manager"]}
        kommun = principal("Exempelby kommun").id
        self.intervention_id = next(i.id for i in plan.interventions(self.plan)
                                    if i.principal_id == kommun)
        self.contact_id = w["doctor"].id
        self.editor = w["manager"]  # contacts are kept by unit managers
        self.confirmed: dict[tuple[str, str], Any] = {}
        self.saves: dict[str, int] = {}
        self.counter = 0
        self.figures = {"edits": 0, "saved": 0, "merged": 0, "conflicts": 0, "parallel": 0}

    def unique(self, who: str) -> str:
        self.counter += 1
        return f"{who}-{self.counter}"

    # ---- what a person does (runs in their thread) -----------------------------------------

    def load(self, who: str, rng: random.Random, other: Edit | None) -> Callable[[], Edit]:
        """What `who` loads and how they change it; half the time the record the other
        person has open (then the same field or another one)."""
        record = (other.record if other is not None and rng.random() < 0.5 else
                  rng.choice(("plan", "intervention", "sub_goals", "contact")))
        user: User = self.users[who]
        new_text = self.unique(who)
        seen = self.saves.get(record, 0)
        plan_id, item_id, contact_id, editor = (self.plan.id, self.intervention_id,
                                                self.contact_id, self.editor)

        if record == "plan":
            field = rng.choice(PLAN_FIELDS)

            def load_plan() -> Edit:
                version = plan.get_version(plan_id)
                loaded = getattr(version, field)

                def save() -> FieldConflict | None:
                    clashes = plan.update_fields(user, plan.get_version(plan_id),
                                                 {field: (loaded, new_text)})
                    return clashes[0] if clashes else None
                return Edit(record, field, loaded, new_text, save, seen)
            return load_plan
        if record == "intervention":
            field = rng.choice(INTERVENTION_FIELDS)

            def load_intervention() -> Edit:
                base = InterventionInput.of(plan.Intervention.get_by_id(item_id))
                data = dataclasses.replace(base, **{field: new_text})

                def save() -> FieldConflict | None:
                    try:
                        plan.save_intervention(user, plan.get_version(plan_id), data, item_id,
                                               base=base)
                    except ConflictError as conflict:
                        [clash] = conflict.conflicts
                        return clash
                    return None
                return Edit(record, field, getattr(base, field), new_text, save, seen)
            return load_intervention
        if record == "sub_goals":
            def load_goals() -> Edit:
                loaded = plan.sub_goals(plan.get_version(plan_id))
                new = [*loaded[-3:], new_text]  # a list edited as a whole

                def save() -> FieldConflict | None:
                    return plan.save_sub_goals(user, plan.get_version(plan_id), loaded, new)
                return Edit(record, "list", loaded, new, save, seen)
            return load_goals

        field = rng.choice(CONTACT_FIELDS)

        def load_contact() -> Edit:
            contact = contacts.get_contact(contact_id)
            loaded = getattr(contact, field)
            setattr(contact, field, new_text)

            def save() -> FieldConflict | None:
                try:
                    contacts.update_contact(editor, contact)
                except ConflictError as conflict:
                    [clash] = conflict.conflicts
                    return clash
                return None
            return Edit(record, field, loaded, new_text, save, seen)
        return load_contact

    # ---- what is stored (read by the test's own connection) --------------------------------

    def stored(self, record: str, field: str) -> Any:
        if record == "plan":
            return getattr(plan.get_version(self.plan.id), field)
        if record == "intervention":
            return getattr(plan.Intervention.get_by_id(self.intervention_id), field)
        if record == "sub_goals":
            return plan.sub_goals(self.plan)
        return getattr(contacts.get_contact(self.contact_id), field)

    def settle(self, edit: Edit, outcome: tuple[bool, Any]) -> None:
        """Book one save's answer: confirmed, or a conflict carrying both sides."""
        ok, clash = outcome
        if not ok:
            raise clash  # neither success nor a conflict: the test fails with it
        self.figures["edits"] += 1
        key = (edit.record, edit.field)
        if clash is None:
            self.confirmed[key] = edit.new
            self.figures["saved"] += 1
            if self.saves.get(edit.record, 0) != edit.seen:
                self.figures["merged"] += 1  # the record moved since loaded: merged
            self.saves[edit.record] = self.saves.get(edit.record, 0) + 1
        else:
            self.figures["conflicts"] += 1
            assert clash.mine == edit.new  # my text comes back …
            assert clash.theirs != edit.loaded  # … with what someone else saved meanwhile

    def lost(self) -> list[str]:
        """Fields whose last confirmed save is not what is stored."""
        return [f"{record}.{field}" for (record, field), value in self.confirmed.items()
                if self.stored(record, field) != value]


def test_two_people_editing_at_once_lose_nothing(db: peewee.Database,
                                                 figures: Callable[..., None]) -> None:
    world = World()
    rounds = size(50, 500)
    rng = random.Random(13)
    clients = {"a": Client("a"), "b": Client("b")}
    pending: dict[str, Edit | None] = {"a": None, "b": None}
    done = {"a": 0, "b": 0}
    lost_during: list[str] = []
    try:
        while min(done.values()) < rounds:
            both = all(pending.values())
            if both and rng.random() < 0.3:
                # Both save at the very same moment, on their own connections.
                edits = {who: e for who, e in pending.items() if e is not None}
                answers = {who: clients[who].start(e.save) for who, e in edits.items()}
                outcomes = {who: Client.result(a) for who, a in answers.items()}
                world.figures["parallel"] += 1
                for who, edit in edits.items():
                    world.settle(edit, outcomes[who])
                    pending[who], done[who] = None, done[who] + 1
            else:
                who = rng.choice([w for w in clients if done[w] < rounds] or list(clients))
                edit = pending[who]
                if edit is None:
                    other = pending["b" if who == "a" else "a"]
                    pending[who] = clients[who].call(world.load(who, rng, other))
                    continue
                world.settle(edit, Client.result(clients[who].start(edit.save)))
                pending[who], done[who] = None, done[who] + 1
            lost_during += world.lost()  # checked after every save, not only at the end
    finally:
        for client in clients.values():
            client.stop()

    lost = sorted(set(lost_during + world.lost()))
    figures(engine=db.__class__.__name__.replace("Database", ""), **world.figures,
            lost=len(lost))
    assert lost == []
    assert world.figures["edits"] >= 2 * rounds
    assert world.figures["conflicts"] > 0 and world.figures["merged"] > 0  # both paths ran
