"""The PCE application's allowed transitions: action -> (from states, to state)."""

from .models import PCEApplication

S = PCEApplication.State

TRANSITIONS = {
    "approve": ((S.APPLIED,), S.APPROVED),
    "reject": ((S.APPLIED,), S.REJECTED),
}


def target_state(action: str, current: str) -> str | None:
    """The state `action` leads to from `current`, or None when not allowed."""
    sources, target = TRANSITIONS[action]
    return target if current in sources else None
