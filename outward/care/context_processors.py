from functools import cache

from . import happenings, selectors


def roles(request):
    """The navigation a page shows depends on who is looking."""
    membership = getattr(request, "membership", None)
    context = {
        "membership": membership,
        "portal_client": getattr(request, "portal_client", None),
        "client_tabs": happenings.client_tabs(),
        "portal_places": happenings.portal_places(),
        "attention_count": 0,
    }
    if membership is not None and membership.is_therapist:
        # Lazy: one query, and only when a page draws the header (not for htmx fragments).
        context["attention_count"] = cache(lambda: selectors.attention_count(user=request.user))
    return context
