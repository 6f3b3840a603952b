from . import happenings


def roles(request):
    """The navigation a page shows depends on who is looking."""
    return {
        "membership": getattr(request, "membership", None),
        "portal_client": getattr(request, "portal_client", None),
        "client_tabs": happenings.client_tabs(),
        "portal_places": happenings.portal_places(),
    }
