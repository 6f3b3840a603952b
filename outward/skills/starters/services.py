"""Writes for conversation starters: keeping one as a favourite, writing one's own, rehearsing
one alone, and a practice adding to its bank. Every change to a client's record is audited."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from outward.accounts.models import User
from outward.care import services as care_services
from outward.care.models import AuditEvent, Client, Practice

from ..models import CONFIDENCE_MAX, FavouriteStarter, OwnStarter, Rehearsal, Starter
from ..roleplay.services import rehearsal_record
from . import selectors

SAY_IT_TIMES = 3  # "say it aloud three times" (forms.TAPS)


def _starter(client: Client, actor: User, key: str):
    found = selectors.starter_texts(client=client, viewer=actor, keys=[key]).get(key)
    if found is None:
        raise ValidationError(_("This starter is not one you can use."))
    return found


def _only_the_client(client: Client, actor: User) -> None:
    if actor.pk != client.user_id:
        raise ValidationError(_("Only the client keeps their own starters."))


@transaction.atomic
def favourite_set(
    *, client: Client, actor: User, key: str, favourite: bool, ip: str | None
) -> None:
    """Keep a starter as a favourite, or let it go. Doing it twice changes nothing."""
    _only_the_client(client, actor)
    starter = _starter(client, actor, key)
    kept = FavouriteStarter.objects.filter(client=client, starter_key=starter.key).first()
    if favourite and kept is None:
        kept = FavouriteStarter(client=client, author=actor, starter_key=starter.key)
        kept.full_clean(validate_constraints=False)
        try:
            with transaction.atomic():  # two taps at once: the constraint decides
                kept.save()
        except IntegrityError:
            return
        action = AuditEvent.Action.CREATE
    elif not favourite and kept is not None:
        action = AuditEvent.Action.UPDATE
        pk = kept.pk
        kept.delete()
        kept.pk = pk  # the audit names the row let go
    else:
        return
    care_services.audit_record(actor=actor, client=client, action=action, target=kept, ip=ip)


@transaction.atomic
def own_starter_add(
    *, client: Client, author: User, text: str, setting: str, openness: int, ip: str | None
) -> OwnStarter:
    """A starter the client wrote; it is one of their favourites from the start."""
    _only_the_client(client, author)
    starter = OwnStarter(
        client=client, author=author, text=text.strip(), setting=setting, openness=openness
    )
    starter.full_clean()
    starter.save()
    FavouriteStarter.objects.create(client=client, author=author, starter_key=starter.key)
    care_services.audit_record(
        actor=author, client=client, action=AuditEvent.Action.CREATE, target=starter, ip=ip
    )
    return starter


@transaction.atomic
def starter_rehearse(
    *,
    client: Client,
    author: User,
    key: str,
    times_said: int,
    confidence_before: int,
    confidence_after: int,
    next_time: str,
    ip: str | None,
) -> Rehearsal:
    """The client rehearsed a starter on their own: said it aloud (one to three times), with
    their confidence before and after (0–10) and what they would say next time. Kept with the
    starter's setting and level, so the next level up can be suggested."""
    _only_the_client(client, author)
    starter = _starter(client, author, key)
    errors = {
        name: _("Choose a number from 0 to %(top)s.") % {"top": CONFIDENCE_MAX}
        for name, value in (
            ("confidence_before", confidence_before),
            ("confidence_after", confidence_after),
        )
        if not 0 <= value <= CONFIDENCE_MAX
    }
    if not 1 <= times_said <= SAY_IT_TIMES:
        errors["times_said"] = _("Say it aloud at least once, and tap each time you do.")
    if errors:
        raise ValidationError(errors)
    # Saved, audited and announced (a happening, toward cadences and wins) like every rehearsal.
    return rehearsal_record(
        client=client,
        author=author,
        ip=ip,
        mode=Rehearsal.Mode.ALONE,
        starter_key=starter.key,
        setting=starter.setting,
        openness=starter.openness,
        occurred=timezone.now(),
        times_said=times_said,
        confidence_before=confidence_before,
        confidence_after=confidence_after,
        next_time=next_time.strip(),
    )


@transaction.atomic
def practice_starter_add(
    *, practice: Practice, author: User, text: str, setting: str, openness: int
) -> Starter:
    """A starter for the practice's bank: every client of the practice sees it."""
    starter = Starter(
        practice=practice, author=author, text=text.strip(), setting=setting, openness=openness
    )
    starter.full_clean()
    starter.save()
    return starter


@transaction.atomic
def practice_starter_delete(*, starter: Starter) -> None:
    starter.delete()
