"""Writes for care. Each change to a client's record leaves an audit event in the same
transaction, so the record and its audit trail cannot disagree."""

import datetime

from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import connection, transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from outward.accounts import services as account_services
from outward.accounts.models import User
from outward.lib.periods import CARE_DATES, local_date
from outward.lib.rows import table

from . import selectors
from .models import (
    AuditEvent,
    CareTeamMember,
    ChainHead,
    Client,
    HashChained,
    Membership,
    Practice,
    ReminderPreference,
    SecurityEvent,
    SessionNote,
)


def _locked_head(cursor, name: str) -> tuple[int, str] | None:
    """The id and last hash of the chain's head row, locked until the transaction ends
    (SQLite has no row locks: its transactions here take the write lock when they begin)."""
    sql = f"SELECT id, last_hash FROM {table(ChainHead)} WHERE name = %s"  # noqa: S608
    if connection.features.has_select_for_update:
        sql += f" {connection.ops.for_update_sql()}"
    cursor.execute(sql, [name])
    return cursor.fetchone()


def _insert(cursor, event: HashChained) -> None:
    """Insert the new link as its ORM save would (each field's value prepared for the
    database by the field itself), in one plain statement that returns its id."""
    if not connection.features.can_return_columns_from_insert:
        event.save()
        return
    model, quote = type(event), connection.ops.quote_name
    fields = [field for field in model._meta.concrete_fields if not field.primary_key]
    values = [field.get_db_prep_save(field.pre_save(event, True), connection) for field in fields]
    cursor.execute(
        f"INSERT INTO {table(model)} "  # noqa: S608
        f"({', '.join(quote(field.column) for field in fields)}) "
        f"VALUES ({', '.join(['%s'] * len(fields))}) RETURNING {quote(model._meta.pk.column)}",
        values,
    )
    event.pk = cursor.fetchone()[0]
    event._state.adding, event._state.db = False, connection.alias


def _chain_append(event: HashChained, *, practice_id: int | None) -> HashChained:
    """Save `event` as the next link of its practice's chain. The chain's head row is locked
    until the transaction ends, so concurrent appends take turns instead of forking it. All
    in plain SQL: every view of a client's record appends a link, and building the ORM's
    three queries cost more than the database's work."""
    name = event.chain_name(practice_id)
    with connection.cursor() as cursor:
        head = _locked_head(cursor, name)
        if head is None:  # the chain's first link: two first links at once meet in get_or_create
            ChainHead.objects.get_or_create(name=name)
            head = _locked_head(cursor, name)
        head_id, last_hash = head
        event.prev_hash = last_hash
        event.hash = event.link(last_hash)
        _insert(cursor, event)
        cursor.execute(
            f"UPDATE {table(ChainHead)} SET last_id = %s, last_hash = %s WHERE id = %s",  # noqa: S608
            [event.pk, event.hash, head_id],
        )
    return event


# No savepoint: an audit event is written inside the change it records (or alone, in its own
# transaction), and a view's audit event should cost as few queries as possible.
@transaction.atomic(savepoint=False)
def audit_record(
    *, actor: User | None, client: Client, action: str, target: object, ip: str | None
) -> AuditEvent:
    """Append one event; `target` is the row touched (its kind and id are kept)."""
    event = AuditEvent(
        practice_id=client.practice_id,
        client=client,
        actor=actor if actor is not None and actor.is_authenticated else None,
        action=action,
        target=f"{target._meta.model_name}:{target.pk}",
        ip=ip,
    )
    return _chain_append(event, practice_id=client.practice_id)


def record_saved(record, *, actor: User, action: str, ip: str | None, update_fields=None):
    """Validate and save one row of a client's record (a model with a `client`), and audit
    the change: the write every room's services make (the caller holds the transaction)."""
    record.full_clean()
    record.save(update_fields=update_fields)
    audit_record(actor=actor, client=record.client, action=action, target=record, ip=ip)
    return record


def _short(text: object) -> str:
    text = str(text)
    return text if len(text) <= 200 else text[:199] + "…"


@transaction.atomic
def security_event_record(
    *,
    practice: Practice | None,
    actor: User | None,
    action: str,
    target: str = "",
    before: str = "",
    after: str = "",
    ip: str | None = None,
) -> SecurityEvent:
    """Append one entry to the practice's security and administration log. `before` and
    `after` are short labels (a setting's old and new value, a role), never clinical content."""
    event = SecurityEvent(
        practice=practice,
        actor=actor if actor is not None and actor.is_authenticated else None,
        action=action,
        target=_short(target),
        before=_short(before),
        after=_short(after),
        ip=ip,
    )
    event.full_clean()
    return _chain_append(event, practice_id=practice.pk if practice is not None else None)


@transaction.atomic
def practice_create(*, name: str, time_zone: str, require_two_factor: bool = False) -> Practice:
    practice = Practice(name=name, time_zone=time_zone, require_two_factor=require_two_factor)
    practice.full_clean()
    practice.save()
    return practice


def on_off(value: bool) -> str:
    """A switch's label in the security log."""
    return "on" if value else "off"


def security_change_record(
    *,
    practice: Practice,
    actor: User | None,
    action: str,
    target: str,
    before: str,
    after: str,
    ip: str | None,
) -> None:
    """A setting was saved: the security log keeps it only when it changed."""
    if before != after:
        security_event_record(
            practice=practice,
            actor=actor,
            action=action,
            target=target,
            before=before,
            after=after,
            ip=ip,
        )


def _roles(member: Membership) -> str:
    roles = [("therapist", member.is_therapist), ("practice admin", member.is_admin)]
    return ", ".join(name for name, held in roles if held)


def _person(user: User) -> str:
    return f"{user.full_name} <{user.email}>"


@transaction.atomic
def practice_settings_update(
    *,
    practice: Practice,
    require_two_factor: bool,
    alert_escalation_hours: int | None = None,
    retention_years: int | None = None,
    actor: User | None = None,
    ip: str | None = None,
) -> Practice:
    was = practice.require_two_factor
    was_hours = practice.alert_escalation_hours
    was_years = practice.retention_years
    practice.require_two_factor = require_two_factor
    if alert_escalation_hours is not None:
        practice.alert_escalation_hours = alert_escalation_hours
    if retention_years is not None:
        practice.retention_years = retention_years
    practice.full_clean()
    practice.save(update_fields=["require_two_factor", "alert_escalation_hours", "retention_years"])
    changes = [
        ("require two-step sign-in for staff", on_off(was), on_off(require_two_factor)),
        (
            "risk alerts escalate after (hours)",
            str(was_hours),
            str(practice.alert_escalation_hours),
        ),
        ("closed records kept for (years)", str(was_years), str(practice.retention_years)),
    ]
    for target, before, after in changes:
        security_change_record(
            practice=practice,
            actor=actor,
            action=SecurityEvent.Action.PRACTICE_SETTINGS,
            target=target,
            before=before,
            after=after,
            ip=ip,
        )
    return practice


@transaction.atomic
def staff_invite(
    *,
    practice: Practice,
    invited_by: User,
    email: str,
    full_name: str,
    is_therapist: bool = True,
    is_admin: bool = False,
    ip: str | None = None,
) -> tuple[Membership, str]:
    """A new staff member who signs in through the returned one-time token."""
    user = account_services.invited_user_create(
        email=email, full_name=full_name, time_zone=practice.time_zone
    )
    membership = Membership(
        user=user, practice=practice, is_therapist=is_therapist, is_admin=is_admin
    )
    membership.full_clean()
    membership.save()
    _invitation, token = account_services.invitation_create(user=user, created_by=invited_by)
    security_event_record(
        practice=practice,
        actor=invited_by,
        action=SecurityEvent.Action.STAFF_INVITE,
        target=_person(user),
        after=_roles(membership),
        ip=ip,
    )
    return membership, token


@transaction.atomic
def staff_invitation_renew(*, member: Membership, invited_by: User) -> str:
    if not member.is_active:
        raise ValidationError(_("Reactivate %(name)s first.") % {"name": member.user})
    _invitation, token = account_services.invitation_create(user=member.user, created_by=invited_by)
    return token


@transaction.atomic
def staff_set_active(
    *, member: Membership, active: bool, acting: Membership, ip: str | None = None
) -> Membership:
    """Deactivating a member also ends their sign-in; their care-team places stay for history
    but grant nothing while inactive. Refused when they are the last therapist who can see a
    client's open risk alert."""
    if member.pk == acting.pk and not active:
        raise ValidationError(_("You cannot deactivate yourself."))
    if not active:
        _lock(Client.objects.filter(care_team__therapist=member))
        refusal = selectors.deactivation_refusal(member=member)
        if refusal:
            raise ValidationError(refusal)
    was = member.is_active
    member.is_active = active
    member.full_clean()
    member.save(update_fields=["is_active"])
    security_change_record(
        practice=member.practice,
        actor=acting.user,
        action=SecurityEvent.Action.STAFF_REACTIVATE
        if active
        else SecurityEvent.Action.STAFF_DEACTIVATE,
        target=_person(member.user),
        before="active" if was else "deactivated",
        after="active" if active else "deactivated",
        ip=ip,
    )
    if member.user.has_usable_password():
        member.user.is_active = active
        member.user.save(update_fields=["is_active"])
    elif not active:
        account_services.invitations_revoke(user=member.user)
    return member


@transaction.atomic
def client_create(
    *, therapist: Membership, email: str, display_name: str, ip: str | None
) -> Client:
    """A new client on the creating therapist's care team, not yet able to sign in."""
    user = account_services.invited_user_create(
        email=email, full_name=display_name, time_zone=therapist.practice.time_zone
    )
    client = Client(practice=therapist.practice, user=user, display_name=display_name)
    client.full_clean()
    client.save()
    CareTeamMember.objects.create(client=client, therapist=therapist)
    audit_record(
        actor=therapist.user, client=client, action=AuditEvent.Action.CREATE, target=client, ip=ip
    )
    return client


@transaction.atomic
def client_update(
    *, client: Client, actor: User, display_name: str, status: str | None = None, ip: str | None
) -> Client:
    """Rename the client or change their status (None: unchanged). Closing an account is the
    practice admin's decision (closures.closure_decide), and a closed account stays closed."""
    closing_or_reopening = Client.Status.CLOSED in (status, client.status)
    if status is not None and status != client.status and closing_or_reopening:
        raise ValidationError(_("A closed account cannot be reopened or closed here."))
    client.display_name = display_name
    if status is not None:
        client.status = status
    client.full_clean()
    client.save(update_fields=["display_name", "status", "updated"])
    audit_record(actor=actor, client=client, action=AuditEvent.Action.UPDATE, target=client, ip=ip)
    return client


@transaction.atomic
def client_invitation_create(*, client: Client, actor: User, ip: str | None) -> str:
    """A fresh one-time link for the client to set their password (earlier links stop working)."""
    invitation, token = account_services.invitation_create(user=client.user, created_by=actor)
    audit_record(
        actor=actor, client=client, action=AuditEvent.Action.INVITE, target=invitation, ip=ip
    )
    return token


INVITATION_EMAILS_PER_HOUR = 3  # per client: a typo'd address is fixed, a loop is stopped
INVITATION_GONE = _lazy("This invitation link no longer works: make a new one.")


@transaction.atomic
def client_invitation_email(
    *, client: Client, token: str, link: str, actor: User, ip: str | None
) -> None:
    """E-mail the client the invitation link just made for them (the therapist holds it: only
    its digest is stored, so it is sent now rather than queued, where it would be kept). No
    clinical content, not even the practice's name; audited, and at most a few an hour."""
    try:
        invitation = account_services.invitation_check(token)
    except account_services.InvitationInvalid as invalid:
        raise ValidationError(INVITATION_GONE, code="gone") from invalid
    if invitation.user_id != client.user_id:
        raise ValidationError(INVITATION_GONE, code="gone")
    client_lock(client=client)  # two clicks at once count as two
    recent = AuditEvent.objects.filter(
        client=client,
        action=AuditEvent.Action.INVITE_EMAIL,
        created__gte=timezone.now() - datetime.timedelta(hours=1),
    ).count()
    if recent >= INVITATION_EMAILS_PER_HOUR:
        raise ValidationError(
            _(
                "The invitation was emailed %(count)s times in the last hour. Check the address, "
                "or show the QR code or give the link in person."
            )
            % {"count": recent},
            code="too_many",
        )
    audit_record(
        actor=actor,
        client=client,
        action=AuditEvent.Action.INVITE_EMAIL,
        target=invitation,
        ip=ip,
    )
    expires = date_format(local_date(invitation.expires, client.user.time_zone), "j F Y")
    # Sent inside the transaction: if the mail server refuses it, nothing is audited as sent.
    send_mail(
        subject=_("Your invitation to Outward"),
        message=_(
            "You have been invited to Outward. Open this link to choose a password:\n\n"
            "%(link)s\n\nThe link works once and expires on %(date)s. If you were not "
            "expecting this email, you can ignore it."
        )
        % {"link": link, "date": expires},
        from_email=None,
        recipient_list=[client.user.email],
    )


@transaction.atomic
def care_team_add(
    *, client: Client, therapist: Membership, actor: User, ip: str | None
) -> CareTeamMember:
    if therapist.practice_id != client.practice_id or not therapist.is_therapist:
        raise ValidationError(_("Only therapists of this practice can join the care team."))
    place, created = CareTeamMember.objects.get_or_create(client=client, therapist=therapist)
    if created:
        audit_record(
            actor=actor,
            client=client,
            action=AuditEvent.Action.CARE_TEAM_ADD,
            target=therapist,
            ip=ip,
        )
        _care_team_event(client, therapist, actor, SecurityEvent.Action.CARE_TEAM_ADD, ip)
    return place


def client_lock(*, client: Client) -> None:
    """Hold the client's row until the transaction ends: two clicks or two people acting on
    the same client at once take turns."""
    _lock(Client.objects.filter(pk=client.pk))


def _lock(clients) -> None:
    """Lock the clients' rows, so two admins acting at once cannot each take away one of the
    last two therapists who can see an open alert."""
    list(Client.objects.select_for_update().filter(pk__in=clients.values("pk")).values_list("pk"))


@transaction.atomic
def care_team_remove(*, client: Client, therapist: Membership, actor: User, ip: str | None) -> None:
    """Refused (ValidationError) when it would leave an open risk alert with no therapist."""
    _lock(Client.objects.filter(pk=client.pk))
    refusal = selectors.care_team_removal_refusal(client=client, therapist=therapist)
    if refusal:
        raise ValidationError(refusal)
    removed, _counts = CareTeamMember.objects.filter(client=client, therapist=therapist).delete()
    if removed:
        audit_record(
            actor=actor,
            client=client,
            action=AuditEvent.Action.CARE_TEAM_REMOVE,
            target=therapist,
            ip=ip,
        )
        _care_team_event(client, therapist, actor, SecurityEvent.Action.CARE_TEAM_REMOVE, ip)


def _care_team_event(client, therapist, actor, action, ip) -> None:
    """The practice's log names the client (the admin manages care teams by name) and the
    therapist; nothing from the record itself."""
    security_event_record(
        practice=client.practice,
        actor=actor,
        action=action,
        target=f"{client.display_name} (client {client.pk})",
        after=_person(therapist.user),
        ip=ip,
    )


@transaction.atomic
def session_note_create(
    *, client: Client, author: User, session_date: datetime.date, text: str, ip: str | None
) -> SessionNote:
    CARE_DATES.check(session_date, "session_date")
    note = SessionNote(client=client, author=author, session_date=session_date, text=text)
    note.full_clean()
    note.save()
    audit_record(actor=author, client=client, action=AuditEvent.Action.CREATE, target=note, ip=ip)
    return note


@transaction.atomic
def session_note_update(
    *, note: SessionNote, actor: User, session_date: datetime.date, text: str, ip: str | None
) -> SessionNote:
    CARE_DATES.check(session_date, "session_date")
    note.session_date = session_date
    note.text = text
    note.full_clean()
    note.save(update_fields=["session_date", "text", "updated"])
    audit_record(
        actor=actor, client=note.client, action=AuditEvent.Action.UPDATE, target=note, ip=ip
    )
    return note


@transaction.atomic
def reminder_preference_set(
    *,
    client: Client,
    actor: User,
    email_enabled: bool,
    send_at: datetime.time,
    quiet_start: datetime.time,
    quiet_end: datetime.time,
    ip: str | None,
) -> ReminderPreference:
    preference, _created = ReminderPreference.objects.get_or_create(client=client)
    preference.email_enabled = email_enabled
    preference.send_at = send_at
    preference.quiet_start = quiet_start
    preference.quiet_end = quiet_end
    preference.full_clean()
    preference.save()
    audit_record(
        actor=actor, client=client, action=AuditEvent.Action.UPDATE, target=preference, ip=ip
    )
    return preference


@transaction.atomic
def reminders_stop(*, client: Client, ip: str | None) -> None:
    """The unsubscribe link: works without signing in, so the actor is unknown."""
    preference, _created = ReminderPreference.objects.get_or_create(client=client)
    preference.email_enabled = False
    preference.save(update_fields=["email_enabled", "updated"])
    audit_record(
        actor=None, client=client, action=AuditEvent.Action.UPDATE, target=preference, ip=ip
    )
