"""Who may open a page. Signed-out people are sent to sign in; signed-in people of the wrong
kind get the same 404 as a missing page (the access rule in DESIGN.md)."""

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.http import Http404

from outward.lib.net import client_ip

from . import selectors, services
from .models import AuditEvent


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


def client_record(*, portal: bool = True, care_team: bool = True):
    """A view of one client's record, reached by the client's care team (URLs with a
    `client_id`) or by the client themself (URLs without). Sets `request.record_client` and
    `request.in_portal`; `portal` / `care_team` say which of the two may use the view."""

    def decorator(view):
        @login_required
        @wraps(view)
        def wrapper(request, *args, client_id=None, **kwargs):
            if client_id is None:
                if not portal or request.portal_client is None:
                    raise Http404
                request.record_client, request.in_portal = request.portal_client, True
            else:
                is_therapist = request.membership is not None and request.membership.is_therapist
                if not care_team or not is_therapist:
                    raise Http404
                request.record_client = selectors.client_for_user(
                    user=request.user, client_id=client_id
                )
                request.in_portal = False
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


def audit_view(request, target, *, client=None) -> None:
    """Record that the care team looked at a client's record (DESIGN: every view is audited).
    The client's own looks at their portal are not recorded. `client` defaults to the record
    the `client_record` decorator reached."""
    if getattr(request, "in_portal", False):
        return
    services.audit_record(
        actor=request.user,
        client=client or request.record_client,
        action=AuditEvent.Action.VIEW,
        target=target,
        ip=client_ip(request),
    )
