from . import happenings


def roles(request):
    """The navigation a page shows depends on who is looking."""
    membership = getattr(request, "membership", None)
    return {
        "membership": membership,
        "portal_client": getattr(request, "portal_client", None),
        "client_tabs": happenings.client_tabs(),
        "portal_places": happenings.portal_places(),
        # Counted with the membership itself (selectors.membership_for_user): no query here.
        "attention_count": getattr(membership, "attention_count", 0)
        if membership is not None and membership.is_therapist
        else 0,
    }
