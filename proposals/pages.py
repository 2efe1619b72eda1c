"""What proposals add to other apps' pages: the question's credit, the profile list."""

from proposals.selectors import proposers, visible_proposals


def credit_context(question) -> dict:
    """Return who proposed the question, if someone did."""
    return {"proposed_by": proposers([question]).get(question.pk)}


def profile_context(viewer, subject) -> dict:
    """Return the subject's proposals when they look at their own profile."""
    if not viewer.is_authenticated or viewer.pk != subject.pk:
        return {"own_proposals": None}
    return {"own_proposals": list(visible_proposals(viewer).filter(author=viewer))}
