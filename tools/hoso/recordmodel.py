"""Case-record models, built from a procedure definition.

The case header is fixed by the data contract. Each event of the history is validated by a
pydantic model generated from the procedure's field specs, and the whole history is a
discriminated union on ``event``, so a new procedure needs only a new YAML file.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from functools import cached_property
from typing import Annotated, Any, Literal, Optional, Union

from pydantic import BaseModel, Field, StringConstraints, TypeAdapter, create_model

from hoso.base import Date, Strict
from hoso.calendar import WorkCalendar
from hoso.org import MEMBER_CODE, OFFICER_ID, UNIT_ID
from hoso.procedure import FieldSpec, Procedure

CASE_ID = r"^[A-Z0-9]+(?:-[A-Z0-9]+)*$"

NonNeg = Annotated[int, Field(ge=0)]
Ref = Annotated[str, StringConstraints(min_length=1, max_length=200)]
FreeText = Annotated[str, StringConstraints(max_length=4000)]


class CaseHeader(Strict):
    """A case file as the data contract fixes it; ``history`` is checked per event."""

    case: str = Field(pattern=CASE_ID, max_length=64)
    procedure: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    unit: str = Field(pattern=UNIT_ID)
    member: str = Field(pattern=MEMBER_CODE)
    member_status: Literal["full", "probationary"]
    history: list[dict[str, Any]] = Field(min_length=1, max_length=500)


class Ballot(Strict):
    """A secret ballot's tallies: never who voted how."""

    members_total: NonNeg
    excluded: dict[str, NonNeg] = {}
    present: NonNeg
    for_: NonNeg = Field(alias="for")
    against: NonNeg
    invalid: NonNeg = 0
    secret: bool = False

    @property
    def eligible(self) -> int:
        return self.members_total - sum(self.excluded.values())


def _literal(values: list[str]) -> Any:
    return Literal.__getitem__(tuple(values)) if values else Literal[""]


def _objects_in(spec: FieldSpec) -> int:
    """How many object models :meth:`Compiled._annotation` builds for ``spec``."""
    if spec.type == "list":
        return _objects_in(spec.item) if spec.item else 0
    if spec.type == "object":
        return 1 + sum(_objects_in(s) for s in (spec.fields or {}).values())
    return 0


class EventModels(Mapping[str, type[BaseModel]]):
    """A procedure's event models by event name, in procedure order, built on first lookup."""

    def __init__(self, compiled: Compiled) -> None:
        self._compiled = compiled

    def __getitem__(self, event: str) -> type[BaseModel]:
        if event not in self._compiled.proc.events:
            raise KeyError(event)
        return self._compiled.event_model(event)

    def __iter__(self) -> Iterator[str]:
        return iter(self._compiled.proc.events)

    def __len__(self) -> int:
        return len(self._compiled.proc.events)


class Compiled:
    """A procedure with its generated models and its calendar, built once per run."""

    def __init__(self, proc: Procedure) -> None:
        self.proc = proc
        self.calendar = WorkCalendar(proc.calendar.country, tuple(proc.calendar.weekend))
        self._objects = 0
        self._stage_events: dict[tuple[str, bool], list[str]] = {}
        self._event_models: dict[str, type[BaseModel]] = {}
        self._offsets: dict[str, int] | None = None
        self._adapters: dict[frozenset[str], TypeAdapter[Any]] = {}
        self.plans: dict[str, Any] = {}  # event -> hoso.checks.Plan, worked out on first use

    @cached_property
    def opening_events(self) -> list[str]:
        return self.proc.opening_events()

    def stage_events(self, stage: str, ended: bool) -> list[str]:
        """The events a case at ``stage`` may take besides its stage's own next steps: those
        allowed from any open stage, and those naming this stage in ``from`` (procedure order).
        Computed once per stage: the engine asks at every step of every case."""
        key = (stage, ended)
        events = self._stage_events.get(key)
        if events is None:
            events = [name for name, ev in self.proc.events.items()
                      if (ev.from_ == "open" and not ended) or ev.from_ == "any"
                      or (isinstance(ev.from_, list) and stage in ev.from_)]
            self._stage_events[key] = events
        return events

    @cached_property
    def ballot_model(self) -> type[BaseModel]:
        reasons = self.proc.excluded_reasons()
        if not reasons:
            return Ballot
        key: Any = _literal(reasons)
        return create_model(f"Ballot_{self.proc.id}", __base__=Ballot, excluded=(dict[key, NonNeg], {}))

    def _annotation(self, name: str, spec: FieldSpec) -> Any:
        t = spec.type
        if t == "date":
            return Date
        if t == "text":
            return FreeText
        if t == "ref":
            return Ref
        if t == "officer":
            return Annotated[str, Field(pattern=OFFICER_ID)]
        if t == "unit":
            return Annotated[str, Field(pattern=UNIT_ID)]
        if t == "procedure":
            return Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9-]*$")]
        if t == "enum":
            return _literal(self.proc.vocabulary_values(spec))
        if t == "bool":
            return bool
        if t == "int":
            return NonNeg
        if t == "ballot":
            return self.ballot_model
        if t == "values":
            return Annotated[dict[str, Any], Field(min_length=1, max_length=50)]
        if t == "list":
            item = self._annotation(name, spec.item) if spec.item else Any
            lo = self.proc.amount(spec.min_items)
            return Annotated[list[item], Field(min_length=lo, max_length=100)]  # type: ignore[valid-type]
        # object
        return self._object_model(name, spec.fields or {})

    def _object_model(self, name: str, fields: dict[str, FieldSpec]) -> type[BaseModel]:
        self._objects += 1
        return create_model(
            f"{self.proc.id}_{name}_{self._objects}",
            __base__=Strict,
            **{k: self._field(k, s) for k, s in fields.items()},  # type: ignore[call-overload]
        )

    def _field(self, name: str, spec: FieldSpec) -> tuple[Any, Any]:
        ann = self._annotation(name, spec)
        if spec.required and spec.required_when is None:
            return (ann, ...)
        return (Optional[ann], None)

    def event_model(self, event: str) -> type[BaseModel]:
        """The model of one event of the procedure, built the first time it is asked for."""
        model = self._event_models.get(event)
        if model is None:
            # the object models inside are numbered as if every event before this one had been
            # built first, so a model's name does not depend on which events a run met before
            self._objects = self._object_offsets()[event]
            fields = {k: self._field(k, s) for k, s in self.proc.all_fields(event).items()}
            model = create_model(  # type: ignore[call-overload]
                f"{self.proc.id}_{event}",
                __base__=Strict,
                event=(Literal[event], ...),
                **fields,
            )
            self._event_models[event] = model
        return model

    @property
    def built_events(self) -> list[str]:
        """The events whose models this run has built so far."""
        return list(self._event_models)

    def _object_offsets(self) -> dict[str, int]:
        """For each event, how many object models the events before it (procedure order) hold."""
        if self._offsets is None:
            self._offsets, n = {}, 0
            for event in self.proc.events:
                self._offsets[event] = n
                n += sum(_objects_in(s) for s in self.proc.all_fields(event).values())
        return self._offsets

    @cached_property
    def event_models(self) -> EventModels:
        """Every event's model, by event name; each is built when first looked up (a one-case
        command builds only the models of the events its case holds)."""
        return EventModels(self)

    @cached_property
    def history_adapter(self) -> TypeAdapter[Any]:
        """A history of any of the procedure's events (the schema of the whole procedure)."""
        return _list_adapter(tuple(self.event_models.values()))

    def history_adapter_for(self, events: frozenset[str]) -> TypeAdapter[Any]:
        """A history of only these (known) events: a one-case command builds only the models its
        case holds, and a run builds one adapter per set of events its cases hold."""
        adapter = self._adapters.get(events)
        if adapter is None:
            order = self.proc.events
            adapter = self._adapters[events] = _list_adapter(
                tuple(self.event_models[e] for e in sorted(events, key=list(order).index)))
        return adapter


def _list_adapter(models: tuple[type[BaseModel], ...]) -> TypeAdapter[Any]:
    """A list of entries, each validated by the model its ``event`` names."""
    if len(models) == 1:
        return TypeAdapter(list[models[0]])  # type: ignore[valid-type]
    union: Any = Annotated[Union[models], Field(discriminator="event")]
    return TypeAdapter(list[union])
