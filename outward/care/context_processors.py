from functools import partial

from . import happenings, selectors


def roles(request):
    """The navigation a page shows depends on who is looking."""
    membership = getattr(request, "membership", None)
    return {
        "membership": membership,
        "portal_client": getattr(request, "portal_client", None),
        "client_tabs": happenings.client_tabs(),
        "portal_places": happenings.portal_places(),
        # A callable: the template counts only if it shows the badge (base.html does).
        "attention_count": partial(selectors.attention_count, membership=membership)
        if membership is not None and membership.is_therapist
        else 0,
    }
