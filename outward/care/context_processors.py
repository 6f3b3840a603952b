def roles(request):
    """The navigation a page shows depends on who is looking."""
    return {
        "membership": getattr(request, "membership", None),
        "portal_client": getattr(request, "portal_client", None),
    }
