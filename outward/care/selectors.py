"""Reads for care. Every read of a client's record takes the acting user and 404s alike for
"missing" and "not yours", so a stranger cannot even learn that a client id exists."""

import functools

from django.db import connection
from django.db.models import Count, Exists, Max, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.http import Http404
from django.utils.translation import gettext as _

from outward.accounts.models import User
from outward.accounts.sessions import read_with_session
from outward.lib.hashchain import GENESIS
from outward.lib.periods import local_date, local_midnight, next_period_start, period_start
from outward.lib.rows import Columns, split, table

from . import happenings
from .models import (
    AuditEvent,
    CareTeamMember,
    ChainHead,
    Client,
    ClosureRequest,
    HashChained,
    Membership,
    Practice,
    ReminderPreference,
    SecurityEvent,
    SessionNote,
)


def membership_for_user(*, user: User) -> Membership | None:
    """The person's active staff membership, with its practice, if they are staff."""
    if not user.is_authenticated:
        return None
    membership = Membership.objects.select_related("practice").filter(user=user).first()
    return membership if membership is not None and membership.is_active else None


def practice_role(*, user: User) -> tuple[Membership | None, Client | None]:
    """Who the signed-in person is to a practice, each with its practice: their active staff
    membership, or else their client record, or neither. Taken from the rows read with this
    request's session (care.sessions, no query), else read (as membership_for_user and
    portal_client_for_user)."""
    if not user.is_authenticated:
        return None, None
    read_user = read_with_session("user")
    if read_user is None or read_user.pk != user.pk:
        membership = membership_for_user(user=user)
        return membership, (None if membership is not None else portal_client_for_user(user=user))
    membership = read_with_session("membership")
    if membership is not None and membership.is_active:
        membership.user, membership.practice = user, read_with_session("membership_practice")
        return membership, None
    client = read_with_session("client")
    if client is not None:
        client.user, client.practice = user, read_with_session("client_practice")
    return None, client


def attention_count(*, membership: Membership) -> int:
    """How many clients on this staff member's care teams need attention now: the header
    badge, counted only when a page shows it (not for redirects, fragments or downloads)."""
    # From the few clients who need attention, not from every client on the care teams; in
    # plain SQL, as it is on every page of a therapist's: building the ORM's count cost three
    # times as much as the statement made of the sources' own SQL.
    clients, params = happenings.attention_sql()
    if not clients:
        return 0
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT COUNT(*) FROM {table(CareTeamMember)} WHERE therapist_id = %s "  # noqa: S608
            f"AND client_id IN ({clients})",
            [membership.pk, *params],
        )
        return cursor.fetchone()[0]


def practice_of_user(*, user: User) -> Practice | None:
    """The practice a person belongs to, as staff (even deactivated) or as a client."""
    membership = Membership.objects.select_related("practice").filter(user=user).first()
    if membership is not None:
        return membership.practice
    client = Client.objects.select_related("practice").filter(user=user).first()
    return client.practice if client is not None else None


def portal_client_for_user(*, user: User) -> Client | None:
    """The client record that belongs to this signed-in person, if they are a client, with
    its practice."""
    if not user.is_authenticated:
        return None
    client = Client.objects.select_related("practice").filter(user=user).first()
    if client is not None:
        client.user = user  # the same person, read already
    return client


@functools.cache
def _client_gate() -> tuple[str, tuple[Columns, ...]]:
    """client_for_user's statement, and the client, practice and user its row reads."""
    columns = tuple(
        Columns(model, alias, connection)
        for model, alias in ((Client, "c"), (Practice, "p"), (User, "u"))
    )
    sql = (
        f"SELECT {', '.join(part.select for part in columns)} "  # noqa: S608
        f"FROM {table(Client)} c "
        f"INNER JOIN {table(Practice)} p ON p.id = c.practice_id "
        f"INNER JOIN {table(User)} u ON u.id = c.user_id "
        f"WHERE c.id = %s AND EXISTS (SELECT 1 FROM {table(CareTeamMember)} t "
        f"INNER JOIN {table(Membership)} m ON m.id = t.therapist_id "
        "WHERE t.client_id = c.id AND m.user_id = %s AND m.is_active = %s "
        "AND m.is_therapist = %s)"
    )
    return sql, columns


def client_for_user(*, user: User, client_id: int) -> Client:
    """A client whose care team includes this therapist (active, as a therapist), with the
    client's practice and user: the gate to all clinical reads. One plain SQL statement: it
    opens every client page, and the ORM spent more building it than the database answering."""
    # An id past what the column holds (the URL takes any digits) is missing, not an error.
    low, high = connection.ops.integer_field_range(Client._meta.pk.get_internal_type())
    if not user.is_authenticated or not low <= client_id <= high:
        raise Http404
    sql, columns = _client_gate()
    with connection.cursor() as cursor:
        cursor.execute(sql, [client_id, user.pk, True, True])
        row = cursor.fetchone()
    if row is None:
        raise Http404
    client, client.practice, client.user = split(row, columns, connection)
    return client


def client_for_admin(*, user: User, client_id: int) -> Client:
    """A client of the admin's practice, for administration only (care team, audit log)."""
    client = (
        Client.objects.select_related("practice", "user")
        .filter(
            pk=client_id,
            practice__members__user=user,
            practice__members__is_admin=True,
            practice__members__is_active=True,
        )
        .first()
        if user.is_authenticated
        else None
    )
    if client is None:
        raise Http404
    return client


def _search(clients: QuerySet[Client], search: str) -> QuerySet[Client]:
    if search:
        clients = clients.filter(
            Q(display_name__icontains=search) | Q(user__email__icontains=search)
        )
    return clients


class CaseloadOrder:
    """The ids of a therapist's clients in caseload order, for a Paginator: those who need
    attention first (few, found from their alerts), then the rest by name. Sorting the two
    apart spares the database testing every client for an alert to sort the whole list.

    Nothing here sorts every client: the page walks the practice's clients in name order
    (index `client_practice_name`), testing each for the care team and the filters, until
    it has enough. Unfiltered, the count is read from the care-team index alone, so the
    cost does not grow with the caseload. A search or status filter must test every client
    to count the matches; when they are few (walking would pass over many clients to find a
    page of them), the page is read the same way and the few matches sorted."""

    # A walk tests each client it passes for the care team (an index probe); a scan reads
    # every client of the care team once. Walk when the page lies in the first third of
    # the matches, where it passes fewer clients than a scan reads, each costing more.
    WALK_WHEN_MATCHES_EXCEED_PAGE_END = 3

    def __init__(self, therapist: Membership, *, search: str = "", status: str = ""):
        self.therapist = therapist
        self.filtered = bool(search or status)
        on_team = CareTeamMember.objects.filter(client=OuterRef("pk"), therapist=therapist)
        scan = Client.objects.filter(care_team__therapist=therapist)
        walk = Client.objects.filter(Exists(on_team), practice_id=therapist.practice_id)
        if status:
            scan, walk = scan.filter(status=status), walk.filter(status=status)
        self.scan, self.walk = _search(scan, search), _search(walk, search)
        self.first = list(
            self.scan.filter(happenings.attention_filter("pk"))
            .order_by("display_name", "pk")
            .values_list("pk", flat=True)
        )
        self.total: int | None = None

    def count(self) -> int:
        if self.total is None:
            self.total = (
                self.scan.count()
                if self.filtered
                else CareTeamMember.objects.filter(therapist=self.therapist).count()
            )
        return self.total

    def __getitem__(self, page: slice) -> list[int]:
        start, stop = page.start or 0, page.stop
        head = self.first[start:stop]
        skip = max(start - len(self.first), 0)
        take = stop - start - len(head)
        walk = not self.filtered or (
            self.count() > self.WALK_WHEN_MATCHES_EXCEED_PAGE_END * (skip + take)
        )
        rest = (
            (self.walk if walk else self.scan)
            .exclude(pk__in=self.first)
            .order_by("display_name", "pk")
            .values_list("pk", flat=True)
        )
        return head + list(rest[skip : skip + take])


def caseload_for_user(
    *, therapist: Membership, search: str = "", status: str = ""
) -> CaseloadOrder:
    """The ids of the therapist's clients in caseload order, to paginate; `caseload_rows` then
    reads one page of them. Clients who need attention (an open risk alert) come first, so
    none sits on page 2. `therapist` is the signed-in person's membership (the request's, so
    no query reads it again); only an active therapist has a caseload."""
    if not (therapist.is_active and therapist.is_therapist):
        raise Http404
    return CaseloadOrder(therapist, search=search, status=status)


CASELOAD_ROW_FIELDS = (
    "practice_id",
    "display_name",
    "status",
    "created",
    "user__is_active",
    "user__time_zone",
)


def caseload_rows(*, ids: list[int]) -> list[Client]:
    """One page of `caseload_for_user` (ids from it, so already the therapist's), in that
    order, with each client's last session date. One query."""
    last_session = (
        SessionNote.objects.filter(client=OuterRef("pk"))
        .order_by("-session_date")
        .values("session_date")[:1]
    )
    found = (
        Client.objects.select_related("user")
        # What the table and the rooms' columns read (a time zone for "this week", the date a
        # client was added); the rest of two rows per client is not built for nothing.
        .only(*CASELOAD_ROW_FIELDS)
        .annotate(last_session=Subquery(last_session))
    )
    by_id = {client.pk: client for client in found.filter(pk__in=ids)}
    return [by_id[pk] for pk in ids if pk in by_id]


def _sees_client(membership: Membership) -> bool:
    return membership.is_active and membership.is_therapist and membership.user.is_active


def _left_unseen_if_gone(clients: QuerySet[Client], leaving: Membership) -> list[Client]:
    """Those of `clients` who need attention (an open risk alert) and would have no therapist
    left to see it without `leaving` (one query)."""
    if not _sees_client(leaving):
        return []  # they see nothing now, so their going changes nothing
    others = (
        CareTeamMember.objects.filter(
            client=OuterRef("pk"),
            therapist__is_active=True,
            therapist__is_therapist=True,
            therapist__user__is_active=True,
        )
        .exclude(therapist=leaving)
        .values("pk")
    )
    return list(
        clients.filter(happenings.needs_attention(OuterRef("pk")))
        .exclude(Exists(others))
        .order_by("display_name", "pk")
    )


def _refusal(leaving: Membership, unseen: list[Client]) -> str:
    if not unseen:
        return ""
    return _(
        "%(therapist)s is the only therapist who can see an open risk alert of %(clients)s. "
        "Add another therapist to the care team first, so that the alert is not left with "
        "no one to see it."
    ) % {
        "therapist": leaving.user,
        "clients": ", ".join(client.display_name for client in unseen),
    }


def care_team_removal_refusal(*, client: Client, therapist: Membership) -> str:
    """Why taking `therapist` off this care team is refused, or "" when it may be done."""
    return _refusal(therapist, _left_unseen_if_gone(Client.objects.filter(pk=client.pk), therapist))


def deactivation_refusal(*, member: Membership) -> str:
    """Why deactivating `member` is refused, or "" when it may be done."""
    clients = Client.objects.filter(care_team__therapist=member)
    return _refusal(member, _left_unseen_if_gone(clients, member))


def practice_clients(*, membership: Membership, search: str = "") -> QuerySet[Client]:
    """All clients of an admin's practice, with their care team (one more query per page)."""
    clients = Client.objects.filter(practice=membership.practice).select_related("user")
    return (
        _search(clients, search)
        .prefetch_related(
            Prefetch("care_team", CareTeamMember.objects.select_related("therapist__user"))
        )
        # Who has an open alert (not what it is), first: the admin's escalation e-mail lands
        # here, and the admin's part is to see that someone on the care team acts on it.
        .annotate(
            needs_attention=happenings.needs_attention(OuterRef("pk")),
            closure_asked=Exists(
                ClosureRequest.objects.filter(
                    client=OuterRef("pk"), state=ClosureRequest.State.PENDING
                )
            ),
        )
        .order_by("-needs_attention", "display_name", "pk")
    )


def practice_staff(*, membership: Membership) -> QuerySet[Membership]:
    return (
        Membership.objects.filter(practice=membership.practice)
        .select_related("user")
        .annotate(caseload=Count("care_teams"))
        .order_by("-is_active", "user__full_name", "pk")
    )


def staff_member_for_admin(*, membership: Membership, member_id: int) -> Membership:
    member = (
        Membership.objects.select_related("user")
        .filter(practice=membership.practice, pk=member_id)
        .first()
    )
    if member is None:
        raise Http404
    return member


def care_team(*, client: Client) -> list[CareTeamMember]:
    return list(
        CareTeamMember.objects.filter(client=client)
        .select_related("therapist__user")
        .order_by("added", "pk")
    )


def care_team_members(*, client: Client) -> QuerySet[Membership]:
    return Membership.objects.filter(care_teams__client=client).select_related("user")


def session_notes(*, client: Client) -> QuerySet[SessionNote]:
    """Notes of a client already reached through `client_for_user`."""
    return (
        SessionNote.objects.filter(client=client)
        .select_related("author")
        .order_by("-session_date", "-id")
    )


def session_note_for_author(*, user: User, client_id: int, note_id: int) -> SessionNote:
    """A note the user wrote, of a client on their care team: only its author edits a note."""
    client = client_for_user(user=user, client_id=client_id)
    note = SessionNote.objects.filter(client=client, pk=note_id, author=user).first()
    if note is None:
        raise Http404
    return note


def client_summary(*, client: Client) -> dict:
    """What the client page header shows besides the client row itself."""
    return SessionNote.objects.filter(client=client).aggregate(
        notes=Count("pk"), last_session=Max("session_date")
    )


def audit_events(*, client: Client) -> QuerySet[AuditEvent]:
    return (
        AuditEvent.objects.filter(client=client).select_related("actor").order_by("-created", "-id")
    )


def security_events(
    *,
    membership: Membership,
    action: str = "",
    actor_email: str = "",
    start=None,
    end=None,
) -> QuerySet[SecurityEvent]:
    """The practice's security and administration log, newest first, for its admins only;
    each filter is served by one of SecurityEvent's indexes."""
    if not membership.is_admin:
        return SecurityEvent.objects.none()
    events = SecurityEvent.objects.filter(practice_id=membership.practice_id)
    if action:
        events = events.filter(action=action)
    if actor_email:
        events = events.filter(actor__email=actor_email.lower())
    if start is not None:
        events = events.filter(created__gte=start)
    if end is not None:
        events = events.filter(created__lt=end)
    return events.select_related("actor").order_by("-created", "-id")


def happenings_summary(*, client: Client, viewer: User, start, end) -> list[tuple[str, int]]:
    """What happened in [start, end) from every room's happenings: (label, count) per kind,
    counted in the database (wins not counted). What the client kept private is counted
    only when the client is the viewer."""
    labels = happenings.kinds()
    counts = happenings.counts(
        client=client,
        start=start,
        end=end,
        kinds=[kind for kind in labels if not kind.endswith(".win")],
        viewer=viewer,
    )
    return [(str(labels[kind]), count) for kind, count in sorted(counts.items()) if count]


def week_summary(*, client: Client, viewer: User, now) -> list[tuple[str, int]]:
    """This week so far (Monday onward, in the client's time), for the client's own Today."""
    zone = client.user.time_zone
    monday = period_start(local_date(now, zone), "week")
    return happenings_summary(
        client=client,
        viewer=viewer,
        start=local_midnight(monday, zone),
        end=local_midnight(next_period_start(monday, "week"), zone),
    )


def reminder_preference(*, client: Client) -> ReminderPreference:
    """The client's reminder settings (the defaults, unsaved, until they choose)."""
    return ReminderPreference.objects.filter(client=client).first() or ReminderPreference(
        client=client
    )


def _chain_break(model: type[HashChained]) -> str | None:
    """The first row of `model` whose link does not hold, in words; None if every chain holds.
    Walks the table once in id order (the order links are made in: see _chain_append)."""
    latest: dict[str, str] = {}
    for event in model.objects.order_by("pk").iterator(chunk_size=2000):
        name = event.chain_name(event.practice_id)
        prev_hash = latest.get(name, GENESIS)
        if event.hash is None:
            return f"{model.__name__} {event.pk}: carries no hash."
        if event.prev_hash != prev_hash:
            return (
                f"{model.__name__} {event.pk}: does not follow the row before it in chain "
                f"{name} (a row before it was removed, inserted or changed)."
            )
        if event.link(prev_hash) != event.hash:
            return f"{model.__name__} {event.pk}: its contents were changed after it was written."
        latest[name] = event.hash
    heads = dict(
        ChainHead.objects.filter(name__startswith=f"{model.CHAIN}:").values_list(
            "name", "last_hash"
        )
    )
    for name in sorted(set(heads) | set(latest)):
        if heads.get(name) != latest.get(name, GENESIS):
            return f"{model.__name__}: rows are missing from the end of chain {name}."
    return None


def audit_chain_breaks() -> list[str]:
    """For `outward verify_audit_chain`: the first break in each audit table, if any."""
    return [
        problem
        for problem in (_chain_break(AuditEvent), _chain_break(SecurityEvent))
        if problem is not None
    ]


def last_closure_decision(*, client: Client) -> ClosureRequest | None:
    """The practice's latest decision on the client's requests to close their account."""
    return (
        ClosureRequest.objects.filter(client=client)
        .exclude(state=ClosureRequest.State.PENDING)
        .order_by("-decided_at", "-pk")
        .first()
    )
