"""The trust rules, folded over page histories written by organizers, participants and hostile accounts."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from bot.program import Message, Program, ProgramPageError, SignupStatus
from bot.program_reader import build_program
from bot.trust import PageRevision, TrustState, fold, messages
from tests.test_program_page import CONTEXT

T0 = datetime(2026, 3, 1, 10, 0, tzinfo=UTC)
PAGE = """{{{{Program|start={start}|end=2026-03-31|organizers={organizers}{extra}}}}}
== Participants ==
{lines}"""


def page(lines: str = "", start: str = "2026-03-01", organizers: str = "Ana", extra: str = "") -> str:
    return PAGE.format(start=start, organizers=organizers, extra=extra, lines=lines)


def line(user: str) -> str:
    return f"* {{{{Program sign-up|user={user}}}}}\n"


def history(*edits: tuple[str | None, str]) -> list[PageRevision]:
    return [
        PageRevision(revid=10 + i, user=user, timestamp=T0 + timedelta(days=i), text=text)
        for i, (user, text) in enumerate(edits)
    ]


def run(revisions: list[PageRevision], state: TrustState | None = None, admins: frozenset[str] = frozenset()):  # type: ignore[no-untyped-def]
    return fold(state or TrustState(), revisions, context=CONTEXT, title="Project:P", admins=admins)


def statuses(state: TrustState) -> dict[str, SignupStatus]:
    return {name: p.status for name, p in state.participants.items()}


def test_creator_defines_and_participants_sign_themselves_up() -> None:
    state = run(history(("Zoe", page()), ("Bob", page(line("Bob"))), ("Carol", page(line("Bob") + line("Carol")))))
    assert state.creator == "Zoe"
    assert state.trusted["start"] == "2026-03-01"
    assert statuses(state) == {"Bob": SignupStatus.CONFIRMED, "Carol": SignupStatus.CONFIRMED}
    assert state.participants["Carol"].added_by == "Carol"
    assert state.participants["Carol"].revision == 12
    assert messages(state) == ()


def test_untrusted_definition_change_is_held_reported_and_not_approved_by_unrelated_organizer_edits() -> None:
    state = run(
        history(
            ("Ana", page()),
            ("Mallory", page(start="2020-01-01")),  # Mallory moves the start date back six years
            ("Ana", page(line("Ana"), start="2020-01-01")),  # Ana signs up; she does not touch the date
        )
    )
    assert state.trusted["start"] == "2026-03-01"
    assert state.page["start"] == "2020-01-01"
    assert messages(state) == (Message("problem-untrusted-change", ("start", "Mallory", "11")),)
    # Ana reverts: nothing left to report; then she changes the date herself: accepted.
    state = run(
        history(
            ("Ana", page()), ("Mallory", page(start="2020-01-01")), ("Ana", page()), ("Ana", page(start="2026-03-05"))
        )
    )
    assert state.trusted["start"] == "2026-03-05" and messages(state) == ()


def test_facilitators_and_admins_are_trusted_and_organizer_lists_are_guarded() -> None:
    state = run(
        history(
            ("Ana", page(extra="|facilitators=Fay")),
            ("Fay", page(start="2026-03-02", extra="|facilitators=Fay")),
            ("Mallory", page(start="2026-03-02", organizers="Mallory", extra="|facilitators=Fay")),
            ("Mallory", page(start="2026-01-01", organizers="Mallory", extra="|facilitators=Fay")),
            ("Root", page(start="2026-03-03", organizers="Mallory", extra="|facilitators=Fay")),
        ),
        admins=frozenset({"Root"}),
    )
    assert state.trusted["start"] == "2026-03-03"  # Fay (facilitator) and Root (admin) changed it
    assert state.trusted["organizers"] == "Ana"  # Mallory could not make herself an organizer ...
    assert messages(state) == (Message("problem-untrusted-change", ("organizers", "Mallory", "12")),)


def test_signups_by_others_withdrawals_and_removals() -> None:
    state = run(
        history(
            ("Ana", page()),
            ("Mallory", page(line("Bob"))),  # Mallory signs Bob up: held
            ("Ana", page(line("Bob") + line("Carol"))),  # the organizer adds Carol: confirmed
            ("Dave", page(line("Bob") + line("Carol") + line("Dave"))),
            ("Mallory", page(line("Bob") + line("Dave"))),  # Mallory removes Carol: ignored
            ("Dave", page(line("Bob"))),  # Dave withdraws himself
        )
    )
    assert statuses(state) == {
        "Bob": SignupStatus.UNCONFIRMED, "Carol": SignupStatus.CONFIRMED, "Dave": SignupStatus.WITHDRAWN,
    }  # fmt: skip
    assert messages(state) == (
        Message("problem-signup-unconfirmed", ("Bob", "Mallory")),
        Message("problem-signup-removed-by-other", ("Carol", "Mallory", "14")),
    )
    # Bob edits the page while the line Mallory wrote is there (here: he removes it and signs up again): confirmed.
    later = fold(state, [PageRevision(20, "Bob", T0 + timedelta(days=9), page()),
                         PageRevision(21, "Bob", T0 + timedelta(days=9), page(line("Bob")))],
                 context=CONTEXT, title="Project:P", admins=frozenset())  # fmt: skip
    assert later.participants["Bob"].status is SignupStatus.CONFIRMED


def test_signups_after_close_are_refused_unless_an_organizer_adds_them() -> None:
    state = run(
        history(
            ("Ana", page(extra="|signup_close=2026-03-01")),  # closes at the end of 1 March
            ("Bob", page(line("Bob"), extra="|signup_close=2026-03-01")),  # 2 March
            ("Ana", page(line("Bob") + line("Carol"), extra="|signup_close=2026-03-01")),
        )
    )
    assert statuses(state) == {"Bob": SignupStatus.LATE, "Carol": SignupStatus.CONFIRMED}
    assert messages(state) == (Message("problem-signup-late", ("Bob", "2026-03-02")),)


def test_hidden_authors_are_untrusted_and_hidden_text_changes_nothing() -> None:
    state = run(history(("Ana", page()), (None, page(start="2026-01-01")), ("Bob", None)))  # type: ignore[arg-type]
    assert state.trusted["start"] == "2026-03-01"
    assert state.last_revid == 12


def test_incremental_fold_equals_full_fold() -> None:
    edits = history(
        ("Ana", page()), ("Bob", page(line("Bob"))), ("Mallory", page(line("Bob"), start="2020-01-01")),
        ("Carol", page(line("Bob") + line("Carol"), start="2020-01-01")),
    )  # fmt: skip
    full = run(edits)
    stepwise = TrustState()
    for revision in edits:
        stepwise = TrustState.from_json(run([revision], stepwise).to_json())
    assert stepwise == full


def test_build_program_keeps_the_last_good_definition_and_marks_unknown_users() -> None:
    edits = history(
        ("Ana", page(line("Bob") + line("Ghost"))), ("Ana", page(line("Bob") + line("Ghost"), start="2026-13-01"))
    )
    program, state = build_program(
        page_id=3, title="Project:P", context=CONTEXT, state=TrustState(), new_revisions=edits,
        admins=frozenset(), missing_users=lambda names: frozenset(n for n in names if n == "Ghost"),
    )  # fmt: skip
    assert isinstance(program, Program)
    assert program.definition.event_start == date(2026, 3, 1)
    assert program.confirmed == ("Bob",)
    assert [(p.username, p.status) for p in program.participants] == [
        ("Bob", SignupStatus.CONFIRMED), ("Ghost", SignupStatus.UNKNOWN_USER),
    ]  # fmt: skip
    assert program.messages == (
        Message("problem-definition-kept"),
        Message("problem-date-invalid", ("start", "2026-13-01")),
        Message("problem-unknown-user", ("Ghost",)),
    )
    assert state.trusted["start"] == "2026-13-01"


def test_a_program_added_by_a_stranger_is_not_a_program() -> None:
    edits = history(("Ana", "Some page."), ("Mallory", page()))
    program, _state = build_program(
        page_id=3, title="Project:P", context=CONTEXT, state=TrustState(), new_revisions=edits,
        admins=frozenset(), missing_users=lambda names: frozenset(),
    )  # fmt: skip
    assert isinstance(program, ProgramPageError)
    assert program.messages == (Message("problem-definition-untrusted", ("Mallory",)),)


def test_the_participant_confirms_a_line_someone_else_wrote_by_editing_the_page() -> None:
    state = run(history(("Ana", page()), ("Mallory", page(line("Bob"))), ("Ana", page(line("Bob") + "ok\n"))))
    assert statuses(state) == {"Bob": SignupStatus.UNCONFIRMED}  # an organizer's unrelated edit is not enough
    state = run(history(("Ana", page()), ("Mallory", page(line("Bob"))), ("Bob", page(line("Bob") + "~~~~\n"))))
    assert statuses(state) == {"Bob": SignupStatus.CONFIRMED}
    assert state.participants["Bob"].added_by == "Bob"


def test_a_revision_that_cannot_be_read_is_reported_and_the_rest_of_the_history_still_folds(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """One revision that makes a reader fail (here: the sign-up reader raising on it) must not lose the state of all
    the others, nor be re-read on every run."""
    import bot.trust as trust_module

    real = trust_module.signups

    def failing(text: str, context: object) -> tuple[str, ...]:
        if "BOOM" in text:
            raise RecursionError("maximum recursion depth exceeded")
        return real(text, context)  # type: ignore[arg-type]

    monkeypatch.setattr(trust_module, "signups", failing)
    state = run(history(("Ana", page()), ("Bob", page(line("Bob")) + "BOOM"), ("Bob", page(line("Bob")))))
    assert state.last_revid == 12
    assert state.unreadable == {11: "RecursionError"}
    assert statuses(state) == {"Bob": SignupStatus.CONFIRMED}
    assert Message("problem-revision-unreadable", ("11", "RecursionError")) in messages(state)
    assert TrustState.from_json(state.to_json()) == state
