"""Who may open a page. Signed-out people are sent to sign in; signed-in people of the wrong
kind get the same 404 as a missing page (the access rule in DESIGN.md)."""

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.http import Http404


def _role_required(has_role):
    def decorator(view):
        @login_required
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if not has_role(request):
                raise Http404
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


therapist_required = _role_required(
    lambda r: r.membership is not None and r.membership.is_therapist
)
admin_required = _role_required(lambda r: r.membership is not None and r.membership.is_admin)
client_required = _role_required(lambda r: r.portal_client is not None)
